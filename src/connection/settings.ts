// Resolves where and how to connect: flags > environment > profile > defaults.
import { SettingsError } from './errors.js';
import { loadProfile, type Profile } from './profiles.js';
import { credentialsFromUrl, urlForMessage } from './safe-url.js';

export interface ConnectionSettings {
  /** Base URL without a trailing slash, path prefix included. */
  url: string;
  socketPath?: string;
  username?: string;
  password?: string;
  token?: string;
  authScheme: 'token' | 'bearer';
  unsafeSsl: boolean;
  caCert?: string;
  timeoutMs: number;
}

export interface ConnectionFlags {
  host?: string;
  port?: string | number;
  socket?: string;
  pathPrefix?: string;
  ssl?: boolean;
  unsafeSsl?: boolean;
  username?: string;
  password?: string | boolean;
  url?: string;
  token?: string;
  authScheme?: string;
  caCert?: string;
  timeout?: string | number;
  profile?: string;
}

export const DEFAULT_HOST = 'localhost';
export const DEFAULT_PORT = 8086;

export function resolveSettings(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  const profile: Profile = flags.profile || env.INFLUXSH_PROFILE ? loadProfile(flags.profile ?? env.INFLUXSH_PROFILE!) : {};
  let target: { url: string; username?: string; password?: string };
  const hostOrPort = flags.host !== undefined || flags.port !== undefined || flags.ssl || flags.pathPrefix !== undefined;
  if (flags.url) target = normalizeUrl(flags.url, '--url');
  else if (hostOrPort) target = { url: buildUrl(flags.host, flags.port, !!flags.ssl, flags.pathPrefix) };
  else if (env.INFLUX_HOST) target = normalizeUrl(env.INFLUX_HOST, 'INFLUX_HOST');
  else if (profile.url) target = normalizeUrl(profile.url, `profile ${flags.profile} url`);
  else target = { url: buildUrl(undefined, undefined, false, undefined) };
  if (flags.socket) target = { ...target, url: buildUrl(undefined, undefined, false, flags.pathPrefix) };
  const url = target.url;

  // Credentials written into the URL count as given with it: below the flags, above the environment.
  const flagPassword = typeof flags.password === 'string' && flags.password !== '' ? flags.password : undefined;
  const password = flagPassword ?? (flags.username ? undefined : target.password);
  const timeout = flags.timeout ?? env.INFLUXSH_TIMEOUT ?? profile.timeout;
  const scheme = (flags.authScheme ?? profile.authScheme ?? 'token').toLowerCase();
  if (scheme !== 'token' && scheme !== 'bearer') throw new SettingsError(`invalid --auth-scheme "${scheme}": use token or bearer`);
  return {
    url,
    socketPath: flags.socket || undefined,
    username: flags.username || target.username || env.INFLUX_USERNAME || profile.username || undefined,
    password: password ?? (env.INFLUX_PASSWORD || profile.password || undefined),
    token: flags.token || env.INFLUX_TOKEN || profile.token || undefined,
    authScheme: scheme,
    unsafeSsl: !!(flags.unsafeSsl ?? profile.unsafeSsl),
    caCert: flags.caCert ?? profile.caCert,
    timeoutMs: parseTimeout(timeout),
  };
}

/** True when the password flag was given with an empty value: the 1.x way to ask for a prompt. */
export function wantsPasswordPrompt(flags: ConnectionFlags): boolean {
  return flags.password === '' || flags.password === true;
}

/** -host/-port/-ssl/-path-prefix as a URL. An empty -host or -port means the default, as in 1.x. */
function buildUrl(hostFlag: string | undefined, portFlag: string | number | undefined, ssl: boolean, prefix: string | undefined): string {
  const host = hostFlag === undefined || hostFlag.trim() === '' ? DEFAULT_HOST : hostFlag.trim();
  const port = portFlag === undefined || String(portFlag).trim() === '' ? DEFAULT_PORT : portFlag;
  const p = /^\d+$/.test(String(port).trim()) ? Number(port) : NaN;
  if (!Number.isInteger(p) || p <= 0 || p > 65535) throw new SettingsError(`invalid -port "${port}": use a number from 1 to 65535`);
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `${ssl ? 'https' : 'http'}://${h}:${p}`;
  if (!validHost(url, h)) throw new SettingsError(`invalid -host "${host.slice(host.lastIndexOf('@') + 1)}": use a host name or an IP address (for a full URL, use --url)`);
  return url + normalizePrefix(prefix);
}

/** The host survives URL parsing as given (no spaces, no userinfo, path or port smuggled in). */
function validHost(url: string, host: string): boolean {
  if (/[\s/@?#\\]/.test(host)) return false;
  try {
    return new URL(url).hostname !== '';
  } catch {
    return false;
  }
}

function normalizePrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

/** --url, INFLUX_HOST or a profile's url: the base URL, and any user:password@ it carries. */
function normalizeUrl(raw: string, source: string): { url: string; username?: string; password?: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim()) ? raw.trim() : `http://${raw.trim()}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new SettingsError(`invalid ${source} "${urlForMessage(withScheme)}": use http(s)://host:port[/prefix]`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SettingsError(`unsupported URL scheme "${u.protocol}" in ${source}: use http or https`);
  if (!u.hostname) throw new SettingsError(`invalid ${source} "${urlForMessage(withScheme)}": no host`);
  // A bare host means the InfluxDB port; an explicit scheme keeps its own default port.
  if (!u.port && withScheme !== raw.trim()) u.port = String(DEFAULT_PORT);
  const creds = u.username || u.password ? credentialsFromUrl(u) : undefined;
  return { url: `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`, username: creds?.username || undefined, password: creds?.password || undefined };
}

export function parseTimeout(v: string | number | undefined): number {
  if (v === undefined || v === '') return 0;
  const ms = parseDuration(String(v));
  if (ms === undefined) throw new SettingsError(`invalid timeout "${v}": use a duration such as 30s or 500ms`);
  return ms;
}

/** Parses 500ms, 2s, 5m, 1h, or a bare number of seconds. */
export function parseDuration(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * { ms: 1, s: 1000, m: 60000, h: 3600000 }[unit]!);
}

/** The one line said whenever certificate checks are off (stderr for scripts, the shell's banner). */
export function unsafeSslWarning(s: ConnectionSettings): string | undefined {
  if (!s.unsafeSsl || !s.url.startsWith('https:')) return undefined;
  return `WARNING: -unsafeSsl: the certificate of ${displayUrl(s)} is not verified; anyone on the network path can read and change this session (use --ca-cert FILE instead)`;
}

/** The server for messages: scheme, host and port (see safe-url.ts). */
export function displayUrl(s: ConnectionSettings): string {
  return s.socketPath ? `unix://${s.socketPath}` : urlForMessage(s.url);
}
