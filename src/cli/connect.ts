// From parsed options to a connected session: --local, password prompt, ping.
import { InfluxHttp } from '../connection/http.js';
import { resolveSettings, unsafeSslWarning, wantsPasswordPrompt, type ConnectionFlags } from '../connection/settings.js';
import { loadProfile, type Profile } from '../connection/profiles.js';
import { FORMATS, isFormat, type FormatName } from '../format/names.js';
import { PRECISIONS, CONSISTENCIES, type Session } from '../core/session.js';
import { resolveTimeZone } from '../query/time-zone.js';
import { UserError } from './errors.js';
import { readSecret } from './secret.js';

export interface CliOptions extends ConnectionFlags {
  local?: boolean;
  localData?: string;
  database?: string;
  retentionPolicy?: string;
  format?: string;
  pretty?: boolean;
  precision?: string;
  tz?: string;
  consistency?: string;
  chunkSize?: string;
  chunked?: boolean;
  node?: string;
}

/**
 * Resolves options (starting a local server when asked) into an unconnected HTTP client.
 * `shell`: the shell's banner says the -unsafeSsl warning; every other run says it on stderr here.
 */
export async function connectionFromOptions(o: CliOptions, opts: { shell?: boolean } = {}): Promise<InfluxHttp> {
  const flags: ConnectionFlags = { ...o };
  if (o.local) {
    // child_process and the influxd configuration code load only for --local.
    const { defaultDataDir, startLocalServer } = await import('../connection/local.js');
    const server = await startLocalServer({ dataDir: o.localData ?? defaultDataDir(), detached: true });
    flags.url = server.url;
    flags.host = flags.port = undefined;
  }
  if (wantsPasswordPrompt(o)) {
    if (!process.stdin.isTTY) throw new UserError('unable to prompt for a password with no TTY: set INFLUX_PASSWORD or pass -password <value>');
    flags.password = await readSecret('password: ');
  }
  const settings = resolveSettings(flags);
  const warning = unsafeSslWarning(settings);
  if (warning && !opts.shell) process.stderr.write(warning + '\n');
  return new InfluxHttp(settings);
}

/**
 * The session's query settings. Times: the interactive shell shows RFC 3339 in the local zone by
 * default; scripts keep 1.x's ns epochs unless --tz (or a profile's tz) asks for a zone.
 */
export function validateQueryOptions(o: CliOptions, defaults: { format: FormatName; interactive?: boolean }): Omit<Session, 'conn' | 'serverVersion' | 'interactive'> {
  const profile: Profile = o.profile ? loadProfile(o.profile) : {};
  const format = (o.format ?? profile.format ?? defaults.format).toLowerCase();
  if (!isFormat(format)) throw new UserError(`unknown format "${format}": use ${FORMATS.join(', ')}`, 2);
  // A profile's tz is for the shell: scripts stay byte-exact with 1.x unless --tz is given.
  const tz = o.tz ?? (defaults.interactive ? (profile.tz ?? 'local') : undefined);
  // `local` always resolves (to UTC at worst), and asking Intl for it loads the zone data: about as
  // many instructions as Node's whole start-up, which the shell's first prompt would wait for.
  if (tz !== undefined && !/^local$/i.test(tz.trim())) {
    try {
      resolveTimeZone(tz);
    } catch (e) {
      throw new UserError((e as Error).message, 2);
    }
  }
  const precision = (o.precision ?? profile.precision ?? (tz !== undefined ? 'rfc3339' : 'ns')).toLowerCase();
  if (!(PRECISIONS as readonly string[]).includes(precision)) throw new UserError(`unknown precision "${precision}": use rfc3339, h, m, s, ms, u or ns`, 2);
  const consistency = (o.consistency ?? 'all').toLowerCase();
  if (!(CONSISTENCIES as readonly string[]).includes(consistency)) throw new UserError(`unknown consistency "${consistency}": use any, one, quorum or all`, 2);
  const chunkSize = o.chunkSize === undefined ? 0 : Number(o.chunkSize);
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 0) throw new UserError(`invalid --chunk-size "${o.chunkSize}"`, 2);
  const nodeId = o.node === undefined ? 0 : Number(o.node);
  if (!Number.isSafeInteger(nodeId) || nodeId < 0) throw new UserError(`invalid -node "${o.node}"`, 2);
  return {
    database: o.database ?? profile.database,
    retentionPolicy: o.retentionPolicy ?? profile.retentionPolicy,
    format,
    pretty: !!o.pretty,
    precision,
    timeZone: tz,
    chunked: o.chunked !== false,
    chunkSize,
    consistency,
    nodeId,
  };
}
