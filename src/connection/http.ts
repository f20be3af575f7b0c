// InfluxDB over the one transport (client.ts): the base URL and path prefix, auth on every
// request, the server's version, and failures turned into one-line messages that name the URL.
import { readFileSync } from 'node:fs';
import { HttpClient, endpointFor } from './client.js';
import { ConnectionError, SettingsError } from './errors.js';
import { displayUrl, type ConnectionSettings } from './settings.js';
import { describeFailure } from './transport-errors.js';
import type { LineStream } from './line-stream.js';

export interface RequestOptions {
  method?: 'GET' | 'POST';
  params?: Record<string, string | undefined>;
  /** Parts of a body are sent back to back without being joined first. */
  body?: string | Buffer | readonly Buffer[];
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Overrides the connection timeout for this request (0 = none). */
  timeoutMs?: number;
}

export interface PingResult {
  version: string;
  build: string;
  status: number;
}

export type Headers = Record<string, string>;

export { ConnectionError };

export class InfluxHttp {
  private readonly client: HttpClient;
  private readonly base: URL;
  /** X-Influxdb-Version of the latest response (scripts skip /ping, so this is how they learn it). */
  serverVersion = '';

  constructor(readonly settings: ConnectionSettings) {
    this.base = new URL(settings.url);
    let ca: Buffer | undefined;
    if (this.base.protocol === 'https:' && settings.caCert) {
      try {
        ca = readFileSync(settings.caCert);
      } catch (e) {
        throw new SettingsError(`cannot read --ca-cert ${settings.caCert}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    // Query answers read through a large buffer: fewer, bigger reads.
    this.client = new HttpClient(endpointFor(this.base, { socketPath: settings.socketPath, unsafeSsl: settings.unsafeSsl, ca, readBufferSize: 256 << 10 }));
  }

  /** Read per request, so `auth` in the shell takes effect at once. */
  private get auth(): string | undefined {
    const s = this.settings;
    if (s.token) return `${s.authScheme === 'bearer' ? 'Bearer' : 'Token'} ${s.token}`;
    if (s.username) return 'Basic ' + Buffer.from(`${s.username}:${s.password ?? ''}`).toString('base64');
    return undefined;
  }

  get displayUrl(): string {
    return displayUrl(this.settings);
  }

  /**
   * Starts a request whose answer is read line by line (query responses), on a connection of
   * its own that closes after it (an answer may be abandoned half read).
   */
  streamLines(path: string, opts: RequestOptions = {}): Promise<LineStream> {
    return this.send(path, opts, false);
  }

  /** Sends a request and reads the whole body as text, on a kept-alive connection. */
  async fetchText(path: string, opts: RequestOptions = {}): Promise<{ status: number; headers: Headers; text: string }> {
    const res = await this.send(path, opts, true);
    try {
      return { status: res.status, headers: res.headers, text: await res.text() };
    } catch (e) {
      throw describeFailure(e as Error, this.displayUrl, opts.timeoutMs ?? this.settings.timeoutMs);
    }
  }

  private async send(path: string, opts: RequestOptions, keepAlive: boolean): Promise<LineStream> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.params ?? {})) if (v !== undefined) qs.set(k, v);
    const query = qs.toString();
    const headers: Record<string, string> = { 'User-Agent': 'influxsh', ...opts.headers };
    const auth = this.auth;
    if (auth) headers.Authorization = auth;
    const timeoutMs = opts.timeoutMs ?? this.settings.timeoutMs;
    let res: LineStream;
    try {
      res = await this.client.request({
        method: opts.method ?? 'GET',
        path: `${this.base.pathname.replace(/\/+$/, '')}${path}${query ? '?' + query : ''}`,
        headers,
        body: opts.body,
        signal: opts.signal,
        timeoutMs,
        keepAlive,
      });
    } catch (e) {
      throw describeFailure(e as Error, this.displayUrl, timeoutMs);
    }
    const v = res.headers['x-influxdb-version'];
    if (v) this.serverVersion = v;
    return res;
  }

  /** Throws when a response is an HTML page rather than InfluxDB's JSON (a proxy or a web server). */
  assertInflux(res: { headers: Headers; destroy(): void }): void {
    if (!res.headers['x-influxdb-version'] && /html/i.test(res.headers['content-type'] ?? '')) {
      res.destroy();
      throw new ConnectionError(`${this.displayUrl} answered with an HTML page, not InfluxDB: check the URL, port and -path-prefix`);
    }
  }

  /** `timeoutMs` bounds this ping when no --timeout is set (0: unbounded). */
  async ping(timeoutMs = 0): Promise<PingResult> {
    const res = await this.fetchText('/ping', { timeoutMs: this.settings.timeoutMs || timeoutMs });
    const version = res.headers['x-influxdb-version'] ?? '';
    if (res.status === 401 || res.status === 403) throw new ConnectionError(`${this.displayUrl}: ${statusMessage(res.status, res.text)}`);
    if (res.status !== 204 && res.status !== 200) {
      throw new ConnectionError(`${this.displayUrl}/ping answered ${res.status}${describeBody(res.headers, res.text)}: is this an InfluxDB server?`);
    }
    if (!version && /html/i.test(res.headers['content-type'] ?? '')) {
      throw new ConnectionError(`${this.displayUrl} answered with an HTML page, not InfluxDB: check the URL, port and -path-prefix`);
    }
    return { version, build: res.headers['x-influxdb-build'] ?? '', status: res.status };
  }

  close(): void {
    this.client.close();
  }
}

/**
 * The one wording of an HTTP error status, for every caller (queries, writes, CREATE DATABASE,
 * ping): 401/403 say authentication failed with the server's own words; others give the server's text.
 */
export function statusMessage(status: number, body: string): string {
  const msg = errorFromBody(body);
  if (status === 401 || status === 403) return `authentication failed${msg ? `: ${msg}` : ''} (check the username and password, or --token)`;
  return msg || `received status code ${status} from server`;
}

/** The error text of a non-2xx InfluxDB body: {"error"} (1.x, 3.x) or {"code","message"} (2.x). */
export function errorFromBody(text: string): string {
  try {
    const j = JSON.parse(text);
    if (typeof j?.error === 'string') return j.error;
    if (typeof j?.message === 'string') return j.code ? `${j.message} (${j.code})` : j.message;
  } catch {
    /* not JSON */
  }
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}

function describeBody(headers: Headers, text: string): string {
  if (/html/i.test(headers['content-type'] ?? '')) return ' with an HTML page';
  const msg = errorFromBody(text);
  return msg ? ` (${msg})` : '';
}
