// One typed table of options: it feeds commander, --help and the README's flag table.
// Names are the 1.x spellings; `-name` and `--name` both work (see normalizeArgv).

export interface OptionSpec {
  /** Long name as 1.x spells it (used with one or two dashes). */
  name: string;
  /** '<v>' takes a value, '[v]' an optional one, undefined a boolean. */
  value?: string;
  description: string;
  group: 'connection' | 'query' | 'import' | 'local' | 'general';
  /** Not in the 1.x CLI. */
  extension?: boolean;
  env?: string;
}

export const OPTIONS: OptionSpec[] = [
  { name: 'host', value: '<host>', description: 'InfluxDB host (default localhost)', group: 'connection' },
  { name: 'port', value: '<port>', description: 'InfluxDB port (default 8086)', group: 'connection' },
  { name: 'socket', value: '<path>', description: 'connect over a unix domain socket', group: 'connection' },
  { name: 'path-prefix', value: '<prefix>', description: 'URL path prefix, for a server behind a reverse proxy', group: 'connection' },
  { name: 'ssl', description: 'use https', group: 'connection' },
  { name: 'unsafeSsl', description: 'do not verify the server certificate (not secure)', group: 'connection' },
  { name: 'username', value: '<user>', description: 'username (HTTP Basic auth)', group: 'connection', env: 'INFLUX_USERNAME' },
  { name: 'password', value: '[password]', description: "password; an empty value (-password '') prompts without echo", group: 'connection', env: 'INFLUX_PASSWORD' },
  { name: 'url', value: '<url>', description: 'full server URL, e.g. https://influx.example.com:8086/prefix', group: 'connection', extension: true, env: 'INFLUX_HOST' },
  { name: 'token', value: '<token>', description: 'API token (Authorization: Token; InfluxDB 1.8+, 2.x, 3.x)', group: 'connection', extension: true, env: 'INFLUX_TOKEN' },
  { name: 'auth-scheme', value: '<scheme>', description: 'how --token is sent: token (default) or bearer', group: 'connection', extension: true },
  { name: 'ca-cert', value: '<file>', description: 'trust this CA certificate (PEM) for https', group: 'connection', extension: true },
  {
    name: 'timeout',
    value: '<duration>',
    description: 'timeout for connecting, for the response headers and for each wait for more of a response, e.g. 10s (default: none for queries, 60s for writes)',
    group: 'connection',
    extension: true,
  },
  { name: 'profile', value: '<name>', description: 'use a named connection profile from the config file', group: 'connection', extension: true, env: 'INFLUXSH_PROFILE' },
  { name: 'local', description: 'start (or reuse) a private influxd and connect to it', group: 'local', extension: true },
  { name: 'local-data', value: '<dir>', description: 'data directory for --local (default $XDG_DATA_HOME/influxsh/local)', group: 'local', extension: true },
  { name: 'database', value: '<db>', description: 'database to use', group: 'query' },
  { name: 'retention-policy', value: '<rp>', description: 'retention policy to use', group: 'query' },
  { name: 'execute', value: '<script>', description: 'run the commands and statements, then exit', group: 'query' },
  { name: 'file', value: '<file>', description: 'run the commands and statements in a file ("-" for stdin), then exit', group: 'query', extension: true },
  { name: 'format', value: '<format>', description: 'column (default), csv, json, jsonl, table, vertical, chart', group: 'query' },
  { name: 'pretty', description: 'pretty-print JSON', group: 'query' },
  { name: 'precision', value: '<precision>', description: 'rfc3339, h, m, s, ms, u or ns (default ns in scripts, rfc3339 in the shell); also the write precision', group: 'query' },
  {
    name: 'tz',
    value: '<zone>',
    description: 'show rfc3339 times in this zone: local, UTC or an IANA name (shell default local; scripts: UTC as sent, unless given)',
    group: 'query',
    extension: true,
  },
  { name: 'consistency', value: '<level>', description: 'write consistency: any, one, quorum or all (default all)', group: 'query' },
  { name: 'chunk-size', value: '<n>', description: 'rows per chunk (default: the server default, 10000)', group: 'query', extension: true },
  { name: 'no-chunked', description: 'ask for one buffered response instead of a stream', group: 'query', extension: true },
  { name: 'no-confirm', description: 'shell: run DROP and DELETE-without-WHERE statements without asking', group: 'query', extension: true },
  { name: 'continue-on-error', description: 'run the rest of a script after a failing statement', group: 'query', extension: true },
  { name: 'node', value: '<id>', description: 'send queries to this node (InfluxDB Enterprise)', group: 'query' },
  { name: 'watch', value: '[interval]', description: 'run the statements again every interval (e.g. 2s, 500ms; default 2s) until Ctrl-C', group: 'query', extension: true },
  { name: 'watch-count', value: '<n>', description: 'with --watch: stop after n runs', group: 'query', extension: true },
  { name: 'alert', value: '<condition>', description: "with --watch: report state changes of a condition per series, e.g. 'mean > 0.5'", group: 'query', extension: true },
  { name: 'webhook', value: '<url>', description: 'with --alert: POST each state change as JSON (Grafana-style payload)', group: 'query', extension: true },
  { name: 'slack', description: 'with --webhook: send Slack incoming-webhook messages instead', group: 'query', extension: true },
  { name: 'sparklines', description: 'with -format table: add a trend table with sparklines per numeric column', group: 'query', extension: true },
  { name: 'import', description: 'import a file (see -path)', group: 'import' },
  { name: 'path', value: '<file>', description: 'file to import ("-" for stdin)', group: 'import' },
  { name: 'compressed', description: 'the import file is gzip-compressed (also detected)', group: 'import' },
  { name: 'pps', value: '<n>', description: 'import at most this many points per second (0 = unlimited)', group: 'import' },
  { name: 'rejects', value: '<file>', description: 'write lines that did not land here (default <path>.rejects)', group: 'import', extension: true },
  { name: 'strict', description: 'stop the import at the first failed DDL statement or rejected line', group: 'import', extension: true },
  { name: 'batch-size', value: '<n>', description: 'import: points per write request (default 20000)', group: 'import', extension: true },
  { name: 'batch-bytes', value: '<n>', description: 'import: bytes per write request (default 8000000, at most 24000000)', group: 'import', extension: true },
  { name: 'concurrency', value: '<n>', description: 'import: write requests in flight (default 2)', group: 'import', extension: true },
  { name: 'retry-for', value: '<duration>', description: 'import: keep retrying while writes fail, this long in all until one lands again (default 5m)', group: 'import', extension: true },
  { name: 'no-progress', description: 'import: no progress bar or progress lines', group: 'import', extension: true },
  { name: 'version', description: 'print the version and exit', group: 'general' },
  { name: 'debug', description: 'show stack traces for unexpected errors', group: 'general', extension: true },
];

const BOOLEAN = new Set(OPTIONS.filter((o) => !o.value).map((o) => o.name));
const KNOWN = new Set(OPTIONS.map((o) => o.name));
const VALUE = new Map(OPTIONS.map((o) => [o.name, o.value]));

/**
 * Rewrites Go-style flags for commander: `-host x` → `--host x`, `-ssl=true` → `--ssl`,
 * `-ssl=false` → (dropped). Two-dash forms pass through. `names` limits which flags are known.
 */
export function normalizeArgv(argv: string[], known: Set<string> = KNOWN, booleans: Set<string> = BOOLEAN): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const m = /^--?([A-Za-z][\w-]*)(?:=([\s\S]*))?$/.exec(a);
    if (!m || !known.has(m[1]!)) {
      out.push(a);
      continue;
    }
    const name = m[1]!;
    // An optional value that starts with '-' (`--watch -1s`) is still the value, to be judged
    // (and refused) by the option, not taken for an unknown option.
    if (m[2] === undefined && VALUE.get(name)?.startsWith('[') && /^-\d/.test(argv[i + 1] ?? '')) {
      out.push(`--${name}=${argv[++i]}`);
      continue;
    }
    if (booleans.has(name) && m[2] !== undefined) {
      if (/^(1|t|true|TRUE|True)$/.test(m[2])) out.push(`--${name}`);
      else if (!/^(0|f|false|FALSE|False)$/.test(m[2])) out.push(`--${name}=${m[2]}`);
      continue;
    }
    out.push(m[2] !== undefined ? `--${name}=${m[2]}` : `--${name}`);
  }
  return out;
}

export function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
