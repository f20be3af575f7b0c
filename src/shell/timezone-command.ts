// `timezone`: the zone rfc3339 times are shown in (the session's display zone, see query/time-zone.ts).
import { resolveTimeZone } from '../query/time-zone.js';
import type { Command } from '../core/commands.js';

/** The session's zone as `settings` and `timezone` show it: `local (Europe/Berlin)`, a name, or UTC. */
export function zoneLabel(zone: string | undefined): string {
  if (!zone) return 'UTC';
  return /^local$/i.test(zone) ? `local (${resolveTimeZone('local')})` : zone;
}

export const timezoneCmd: Command = {
  name: 'timezone',
  usage: 'timezone local|UTC|<IANA name>',
  summary: 'the zone rfc3339 times are shown in (e.g. Europe/Berlin); no argument shows it',
  argValues: ['local', 'UTC'],
  run(ctx, args) {
    const s = ctx.session;
    const v = args.trim();
    if (!v) {
      ctx.out(zoneLabel(s.timeZone) + '\n');
      return true;
    }
    try {
      s.timeZone = /^local$/i.test(v) ? 'local' : resolveTimeZone(v);
    } catch (e) {
      ctx.error((e as Error).message);
      return false;
    }
    const epochs = s.precision === 'rfc3339' ? '' : `; precision is ${s.precision}, so times print as epochs until precision rfc3339`;
    ctx.info(`times shown in ${zoneLabel(s.timeZone)}${epochs}`);
    return true;
  },
};
