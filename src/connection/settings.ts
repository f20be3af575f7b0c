// Resolves where and how to connect: flags > environment > profile > defaults.
import { SettingsError } from './errors.js';
import { loadProfile, type Profile } from './profiles.js';

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
  let url: string;
  const hostOrPort = flags.host !== undefined || flags.port !== undefined || flags.ssl || flags.pathPrefix !== undefined;
  if (flags.url) url = normalizeUrl(flags.url, '--url');
  else if (hostOrPort) url = buildUrl(flags.host ?? DEFAULT_HOST, flags.port ?? DEFAULT_PORT, !!flags.ssl, flags.pathPrefix);
  else if (env.INFLUX_HOST) url = normalizeUrl(env.INFLUX_HOST, 'INFLUX_HOST');
  else if (profile.url) url = normalizeUrl(profile.url, `profile ${flags.profile}`);
  else url = buildUrl(DEFAULT_HOST, DEFAULT_PORT, false, undefined);
  if (flags.socket) url = buildUrl(DEFAULT_HOST, DEFAULT_PORT, false, flags.pathPrefix);

  const password = typeof flags.password === 'string' && flags.password !== '' ? flags.password : undefined;
  const timeout = flags.timeout ?? env.INFLUXSH_TIMEOUT ?? profile.timeout;
  const scheme = (flags.authScheme ?? profile.authScheme ?? 'token').toLowerCase();
  if (scheme !== 'token' && scheme !== 'bearer') throw new SettingsError(`invalid --auth-scheme "${scheme}": use token or bearer`);
  return {
    url,
    socketPath: flags.socket || undefined,
    username: flags.username || env.INFLUX_USERNAME || profile.username || undefined,
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

function buildUrl(host: string, port: string | number, ssl: boolean, prefix: string | undefined): string {
  const p = Number(port);
  if (!Number.isInteger(p) || p <= 0 || p > 65535) throw new SettingsError(`invalid port "${port}"`);
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${ssl ? 'https' : 'http'}://${h}:${p}${normalizePrefix(prefix)}`;
}

function normalizePrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

function normalizeUrl(raw: string, source: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new SettingsError(`invalid URL "${raw}" from ${source}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SettingsError(`unsupported URL scheme "${u.protocol}" from ${source}: use http or https`);
  // A bare host means the InfluxDB port; an explicit scheme keeps its own default port.
  if (!u.port && withScheme !== raw) u.port = String(DEFAULT_PORT);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
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

/** The URL with any credentials removed, for messages. */
export function displayUrl(s: ConnectionSettings): string {
  return s.socketPath ? `unix://${s.socketPath}` : s.url.replace(/\/\/[^@/]*@/, '//');
}
