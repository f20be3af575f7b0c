// The commands scripts (-execute, stdin, --file) and the interactive shell share, as in 1.x: use,
// insert, format, settings, help… The list the runner dispatches through is assembled at the entry
// point (src/cli/registry.ts); a command here never reads that list except through its context.
import { isFormat, FORMATS } from '../format/index.js';
import { parseInsert, parseUseTarget, quoteIdent } from '../influxql/identifiers.js';
import { queryValues } from '../query/execute.js';
import { writeLineProtocol } from '../write/write.js';
import { CONSISTENCIES, PRECISIONS, type Session, type SessionUpdate } from '../core/session.js';
import { parseOnOff, type Command } from '../core/commands.js';
import { zoneLabel } from './timezone-command.js';

export const useCmd: Command = {
  name: 'use',
  usage: 'use <db>[.<rp>]',
  summary: 'set the current database and, optionally, retention policy',
  async run(ctx, args) {
    const target = parseUseTarget(args);
    if ('error' in target) {
      ctx.error(target.error);
      return false;
    }
    const s = ctx.session;
    const db = target.db ?? s.database;
    if (!db) {
      ctx.error('no database set: use <db>.<rp>');
      return false;
    }
    const dbs = await queryValues(s.conn, 'SHOW DATABASES');
    if (dbs.error) {
      if (s.conn.settings.username && /authoriz|privilege/i.test(dbs.error)) {
        ctx.info(`WARN: ${dbs.error}\nUsing database ${db} without checking that it exists`);
      } else {
        ctx.error(dbs.error);
        return false;
      }
    } else if (!dbs.series[0]?.values.some((v) => v[0] === db)) {
      ctx.error(`Database ${db} doesn't exist. Run SHOW DATABASES for a list of existing databases.`);
      return false;
    }
    if (target.rp) {
      const rps = await queryValues(s.conn, `SHOW RETENTION POLICIES ON ${quoteIdent(db)}`);
      if (!rps.error && !rps.series[0]?.values.some((v) => v[0] === target.rp)) {
        ctx.error(`Retention policy ${target.rp} doesn't exist on ${db}. Run SHOW RETENTION POLICIES ON ${quoteIdent(db)} for a list.`);
        return false;
      }
    }
    if (target.db) {
      ctx.update(target.rp ? { database: target.db } : { database: target.db, retentionPolicy: undefined });
      ctx.info(`Using database ${target.db}`);
    }
    if (target.rp) {
      ctx.update({ retentionPolicy: target.rp });
      ctx.info(`Using retention policy ${target.rp}`);
    }
    return true;
  },
};

export const insertCmd: Command = {
  name: 'insert',
  usage: 'insert <line protocol> | insert into [<db>.]<rp> <line protocol>',
  summary: 'write a point in line protocol (a single name after INTO is the retention policy, as in 1.x)',
  async run(ctx, _args, line) {
    const p = parseInsert(line);
    if ('error' in p) {
      ctx.error(p.error);
      return false;
    }
    const s = ctx.session;
    const database = p.db ?? s.database;
    const res = await writeLineProtocol(
      s.conn,
      {
        database,
        retentionPolicy: p.rp ?? s.retentionPolicy,
        precision: s.precision,
        consistency: s.consistency,
      },
      p.body,
    );
    if (!res.ok) {
      ctx.error(res.error ?? `write failed with status ${res.status}`);
      if (!database)
        ctx.error(
          'Note: error may be due to not setting a database or retention policy.\nPlease set a database with the command "use <database>" or\nINSERT INTO <database>.<retention-policy> <point>',
        );
      return false;
    }
    return true;
  },
};

function setter(
  name: string,
  values: readonly string[],
  current: (s: Readonly<Session>) => string,
  change: (v: string) => SessionUpdate,
  unknown: (v: string) => string,
  usage: string,
  summary: string,
): Command {
  return {
    name,
    usage,
    summary,
    argValues: values,
    run(ctx, args) {
      const v = args.trim().toLowerCase();
      // With no argument, say the current value (as `limit` does) rather than reject "".
      if (!v) {
        ctx.info(`${name} ${current(ctx.session)}`);
        return true;
      }
      if (!values.includes(v)) {
        ctx.error(unknown(args.trim()));
        return false;
      }
      ctx.update(change(v));
      return true;
    },
  };
}

export const formatCmd = setter(
  'format',
  FORMATS,
  (s) => s.format,
  (v) => (isFormat(v) ? { format: v } : {}),
  (v) => `Unknown format "${v}". Please use ${FORMATS.slice(0, -1).join(', ')} or ${FORMATS[FORMATS.length - 1]}.`,
  `format [${FORMATS.join('|')}]`,
  'set the output format (alone: show it)',
);

export const precisionCmd = setter(
  'precision',
  PRECISIONS,
  (s) => s.precision || 'ns',
  (v) => ({ precision: v }),
  (v) => `Unknown precision "${v}". Please use rfc3339, h, m, s, ms, u or ns.`,
  'precision [rfc3339|h|m|s|ms|u|ns]',
  'set the timestamp format of results and the precision of writes (alone: show it)',
);

export const consistencyCmd = setter(
  'consistency',
  CONSISTENCIES,
  (s) => s.consistency,
  (v) => ({ consistency: v }),
  (v) => `Unknown consistency level "${v}". Please use any, one, quorum, or all.`,
  'consistency [any|one|quorum|all]',
  'set the write consistency level, InfluxDB Enterprise (alone: show it)',
);

export const sparklinesCmd: Command = {
  name: 'sparklines',
  usage: 'sparklines on|off',
  summary: 'with format table, add a trend table (▁▂▃▅▇) of each numeric column',
  argValues: ['on', 'off'],
  run(ctx, args) {
    const on = parseOnOff(args);
    if (on === undefined || on === null) {
      ctx.error(`Unknown value "${args.trim()}". Please use sparklines on or sparklines off.`);
      return false;
    }
    ctx.update({ sparklines: on });
    ctx.info(`sparklines ${on ? 'on' : 'off'}${on && ctx.session.format !== 'table' ? ' (shown with format table)' : ''}`);
    return true;
  },
};

/** A command that flips one boolean session field and says its new state (1.x's wording). */
function toggle(name: 'pretty' | 'chunked', summary: string, said: [on: string, off: string]): Command {
  return {
    name,
    usage: name,
    summary,
    run(ctx) {
      ctx.update({ [name]: !ctx.session[name] });
      ctx.info(ctx.session[name] ? said[0] : said[1]);
      return true;
    },
  };
}

export const prettyCmd = toggle('pretty', 'toggle pretty-printed JSON', ['Pretty print enabled', 'Pretty print disabled']);
export const chunkedCmd = toggle('chunked', 'toggle chunked (streaming) responses; on by default', ['chunked responses enabled', 'chunked responses disabled']);

export const chunkSizeCmd: Command = {
  name: 'chunk',
  usage: 'chunk size <n>',
  summary: 'rows per chunk (0 = the server default, 10000)',
  run(ctx, args) {
    const v = args
      .trim()
      .replace(/^size\s*/i, '')
      .trim();
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n)) {
      ctx.error(`unable to parse chunk size from "${v}"`);
      return false;
    }
    ctx.update({ chunkSize: Math.max(0, n) });
    ctx.info(`chunk size set to ${ctx.session.chunkSize}`);
    return true;
  },
};

export const clearCmd: Command = {
  name: 'clear',
  usage: 'clear db|rp',
  summary: 'clear the current database or retention policy',
  argValues: ['db', 'rp', 'database', 'retention policy'],
  run(ctx, args) {
    const v = args.trim().toLowerCase().replace(/\s+/g, ' ');
    if (v === 'db' || v === 'database') {
      ctx.update({ database: undefined, retentionPolicy: undefined });
      ctx.info('database context cleared');
      return true;
    }
    if (v === 'rp' || v === 'retention policy') {
      ctx.update({ retentionPolicy: undefined });
      ctx.info('retention policy context cleared');
      return true;
    }
    ctx.error(`${v ? `invalid command "${v}". ` : ''}usage: clear db|database|rp|retention policy`);
    return false;
  },
};

export const nodeCmd: Command = {
  name: 'node',
  usage: 'node <id>|clear',
  summary: 'send queries to one node (InfluxDB Enterprise)',
  run(ctx, args) {
    const v = args.trim().toLowerCase();
    if (v === 'clear') {
      ctx.update({ nodeId: 0 });
      return true;
    }
    if (!/^\d+$/.test(v)) {
      ctx.error(`Unable to parse node id from "${args.trim()}". Use node <id> or node clear.`);
      return false;
    }
    ctx.update({ nodeId: Number(v) });
    return true;
  },
};

export const settingsCmd: Command = {
  name: 'settings',
  usage: 'settings',
  summary: 'show the current settings',
  async run(ctx) {
    const s = ctx.session;
    const rows: [string, string][] = [
      ['URL', s.conn.displayUrl],
      ['Username', s.conn.settings.username ?? ''],
      ['Database', s.database ?? ''],
      ['RetentionPolicy', s.retentionPolicy ?? ''],
      ['Pretty', String(s.pretty)],
      ['Format', s.format],
      ['Precision', s.precision],
      ['Time Zone', zoneLabel(s.timeZone)],
      ['Write Consistency', s.consistency],
      ['Chunked', String(s.chunked)],
      ['Chunk Size', String(s.chunkSize)],
      ['Server Version', s.serverVersion || s.conn.serverVersion || 'unknown'],
    ];
    // 1.x's layout (scripts read it): two columns one space apart, under a dashed header. The table
    // drawing loads on first use, so scripts that never ask for it start without it.
    const { columnsTable } = await import('../format/fixed-table.js');
    ctx.out(columnsTable([['Setting', 'Value'], ['--------', '--------'], ...rows]));
    return true;
  },
};

export const helpCmd: Command = {
  name: 'help',
  usage: 'help',
  summary: 'show this list',
  async run(ctx) {
    const { helpLines } = await import('./help-layout.js');
    const list = ctx.commands.filter((c) => ctx.shell || !c.interactiveOnly);
    const entries: [string, string][] = list.map((c) => [c.usage, c.summary]);
    entries.push(['<InfluxQL>', 'anything else is sent to the server; end a statement with ; or a complete line']);
    ctx.out(['Usage:', ...helpLines(entries, ctx.columns?.() ?? 80)].join('\n') + '\n');
    return true;
  },
};

export const historyCmd: Command = {
  name: 'history',
  usage: 'history',
  summary: 'show the command history',
  interactiveOnly: true,
  run(ctx) {
    const h = ctx.shell?.history() ?? [];
    ctx.out(h.map((l) => l + '\n').join(''));
    return true;
  },
};

export const authCmd: Command = {
  name: 'auth',
  usage: 'auth [<username> <password>]',
  summary: 'set the username and password (prompts without echo)',
  interactiveOnly: true,
  async run(ctx, args) {
    const parts = args.trim().split(/\s+/).filter(Boolean);
    let creds: { username: string; password: string } | null;
    if (parts.length === 2) creds = { username: parts[0]!, password: parts[1]! };
    else creds = (await ctx.shell?.promptAuth()) ?? null;
    if (!creds) return false;
    ctx.update({ credentials: creds });
    return true;
  },
};

export const connectCmd: Command = {
  name: 'connect',
  usage: 'connect <host[:port]>',
  summary: 'connect to another server (keeps -ssl and credentials)',
  interactiveOnly: true,
  async run(ctx, args) {
    return (await ctx.shell?.connect(args.trim())) ?? false;
  },
};

export const exitCmd: Command = {
  name: 'exit',
  aliases: ['quit'],
  usage: 'exit | quit',
  summary: 'leave (Ctrl-D works too)',
  run() {
    return true;
  },
};
