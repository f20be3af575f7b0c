// The HTTP transport every part of influxsh shares: keep-alive, auth, TLS, unix sockets,
// and errors turned into one-line messages that name the URL and what to try.
import type * as http from 'node:http';
import type * as https from 'node:https';
import { readFileSync } from 'node:fs';
import { ConnectionError, SettingsError } from './errors.js';
import { displayUrl, type ConnectionSettings } from './settings.js';
import { rawLineStream, responseLineStream, type LineStream } from './line-stream.js';

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

export { ConnectionError };

export class InfluxHttp {
  /** Made on the first request: https (and with it tls and crypto) loads only for https URLs. */
  private agent: http.Agent | undefined;
  private readonly agentOptions: https.AgentOptions = { keepAlive: true, maxSockets: 64 };
  private readonly isTls: boolean;
  private readonly base: URL;
  /**
   * The addresses tried for each new connection, in turn, while they refuse. `localhost` is dialled
   * as 127.0.0.1 and ::1 (any name that is not an IPv4 address makes Node compile its IPv6 regex,
   * tens of milliseconds per run); any other name is looked up again for every connection, and
   * Node tries each of its addresses (autoSelectFamily).
   */
  private readonly dialHosts: string[];
  /** Index in dialHosts of the address that last answered: tried first, never the only one. */
  private dialFirst = 0;
  /** X-Influxdb-Version of the latest response (scripts skip /ping, so this is how they learn it). */
  serverVersion = '';

  constructor(readonly settings: ConnectionSettings) {
    this.base = new URL(settings.url);
    const host = this.base.hostname.replace(/^\[|\]$/g, '');
    this.dialHosts = host === 'localhost' && !settings.socketPath ? ['127.0.0.1', '::1'] : [host];
    this.isTls = this.base.protocol === 'https:';
    if (this.isTls) {
      this.agentOptions.rejectUnauthorized = !settings.unsafeSsl;
      if (settings.caCert) {
        try {
          this.agentOptions.ca = readFileSync(settings.caCert);
        } catch (e) {
          throw new SettingsError(`cannot read --ca-cert ${settings.caCert}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      }
    }
  }

  private async transport(): Promise<{ lib: typeof http | typeof https; agent: http.Agent }> {
    // Loaded on first use: scripts whose queries all go through line-stream.ts never need it.
    const lib = this.isTls ? (httpsModule ??= await import('node:https')) : (httpModule ??= await import('node:http'));
    this.agent ??= new lib.Agent(this.agentOptions);
    return { lib, agent: this.agent };
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

  /** Starts a request; resolves with the response once headers arrive. The caller reads the body. */
  request(path: string, opts: RequestOptions = {}): Promise<http.IncomingMessage> {
    return this.onEveryAddress((host) => this.requestOnce(host, path, opts));
  }

  /**
   * Starts a request whose answer is read line by line (query responses). Plain HTTP reads
   * through one reused buffer (line-stream.ts); TLS goes through node:https.
   */
  async streamLines(path: string, opts: RequestOptions = {}): Promise<LineStream> {
    if (this.isTls) return responseLineStream(await this.request(path, opts));
    const stream = await this.onEveryAddress(async (host) => {
      const { path: target, headers } = this.requestHead(path, opts);
      headers.Connection = 'close';
      let head = `${opts.method ?? 'GET'} ${target} HTTP/1.1\r\n`;
      for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
      const body = opts.body ?? '';
      const request = Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), ...(isParts(body) ? body : [Buffer.from(body)])]);
      const timeout = opts.timeoutMs ?? this.settings.timeoutMs;
      const where = this.settings.socketPath ? { socketPath: this.settings.socketPath } : { host, port: Number(this.base.port || 80) };
      try {
        return await rawLineStream(where, request, { signal: opts.signal, timeoutMs: timeout });
      } catch (e) {
        throw this.failure(e as NodeJS.ErrnoException, timeout);
      }
    });
    if (stream.headers['x-influxdb-version']) this.serverVersion = stream.headers['x-influxdb-version'];
    return stream;
  }

  /**
   * Runs a request on the address that answered last, and on the others in turn while the
   * connection is refused (nothing was sent, so trying again is safe). Every request starts over,
   * so a server restarted on either family is found again.
   */
  private async onEveryAddress<T>(run: (host: string) => Promise<T>): Promise<T> {
    const hosts = this.dialHosts;
    const first = this.dialFirst;
    for (let k = 0; ; k++) {
      const i = (first + k) % hosts.length;
      try {
        const out = await run(hosts[i]!);
        this.dialFirst = i;
        return out;
      } catch (e) {
        if (!(e as { refused?: boolean }).refused || k + 1 >= hosts.length) throw e;
      }
    }
  }

  /** The request path with its query string, and the headers every request carries. */
  private requestHead(path: string, opts: RequestOptions): { path: string; headers: Record<string, string> } {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.params ?? {})) if (v !== undefined) qs.set(k, v);
    const query = qs.toString();
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const headers: Record<string, string> = { Host: this.base.host, 'User-Agent': 'influxsh', ...opts.headers };
    const auth = this.auth;
    if (auth) headers.Authorization = auth;
    if (opts.body !== undefined) headers['Content-Length'] = String(bodyLength(opts.body));
    return { path: `${basePath}${path}${query ? '?' + query : ''}`, headers };
  }

  /** A transport error as a one-line message, marked when the next address may be tried. */
  private failure(err: NodeJS.ErrnoException, timeout: number): Error {
    const e = this.describe(err, timeout);
    return err.code === 'ECONNREFUSED' ? Object.assign(e, { refused: true }) : e;
  }

  private async requestOnce(host: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> {
    const { path: target, headers } = this.requestHead(path, opts);
    const { lib, agent } = await this.transport();
    const timeout = opts.timeoutMs ?? this.settings.timeoutMs;
    return new Promise((resolve, reject) => {
      const req = lib.request({
        protocol: this.base.protocol,
        // New sockets look the name up again; Node 20 tries each of its addresses (autoSelectFamily).
        hostname: host,
        servername: this.base.protocol === 'https:' && !/^[\d.]+$|:/.test(this.base.hostname) ? this.base.hostname : undefined,
        port: this.base.port || undefined,
        socketPath: this.settings.socketPath,
        method: opts.method ?? 'GET',
        path: target,
        headers,
        agent,
        signal: opts.signal,
        // InfluxDB copies the error text, control characters included, into X-Influxdb-Error.
        insecureHTTPParser: true,
      });
      let timer: NodeJS.Timeout | undefined;
      if (timeout > 0) {
        timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'INFLUXSH_TIMEOUT' })), timeout);
      }
      req.on('response', (res) => {
        const v = res.headers['x-influxdb-version'];
        if (typeof v === 'string') this.serverVersion = v;
        if (timer) {
          clearTimeout(timer);
          timer = undefined;
        }
        resolve(res);
      });
      req.on('error', (err) => {
        if (timer) clearTimeout(timer);
        reject(this.failure(err as NodeJS.ErrnoException, timeout));
      });
      const body = opts.body;
      if (isParts(body)) {
        // Corked so the parts leave in one writev instead of one syscall each; end() uncorks.
        req.cork();
        for (const part of body) req.write(part);
        req.end();
      } else req.end(body);
    });
  }

  /** Sends a request and reads the whole body as text. */
  async fetchText(path: string, opts: RequestOptions = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
    const res = await this.request(path, opts);
    const chunks: Buffer[] = [];
    // The timeout also bounds each wait for the next piece of the body: a server can stall after its headers.
    const timeout = opts.timeoutMs ?? this.settings.timeoutMs;
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      if (timeout <= 0) return;
      clearTimeout(idle);
      idle = setTimeout(() => res.destroy(Object.assign(new Error('timeout'), { code: 'INFLUXSH_TIMEOUT' })), timeout);
    };
    try {
      arm();
      for await (const c of res) {
        chunks.push(c as Buffer);
        arm();
      }
    } catch (e) {
      throw this.describe(e as NodeJS.ErrnoException, timeout);
    } finally {
      clearTimeout(idle);
    }
    return { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
  }

  /** Throws when a response is an HTML page rather than InfluxDB's JSON (a proxy or a web server). */
  assertInflux(res: { headers: http.IncomingHttpHeaders | Record<string, string>; destroy(): void }): void {
    if (!res.headers['x-influxdb-version'] && /html/i.test(headerValue(res.headers['content-type']))) {
      res.destroy();
      throw new ConnectionError(`${this.displayUrl} answered with an HTML page, not InfluxDB: check the URL, port and -path-prefix`);
    }
  }

  /** `timeoutMs` bounds this ping when no --timeout is set (0: unbounded). */
  async ping(timeoutMs = 0): Promise<PingResult> {
    const res = await this.fetchText('/ping', { timeoutMs: this.settings.timeoutMs || timeoutMs });
    const version = headerValue(res.headers['x-influxdb-version']);
    if (res.status === 401 || res.status === 403) throw new ConnectionError(`${this.displayUrl}: ${statusMessage(res.status, res.text)}`);
    if (res.status !== 204 && res.status !== 200) {
      throw new ConnectionError(`${this.displayUrl}/ping answered ${res.status}${describeBody(res.headers, res.text)}: is this an InfluxDB server?`);
    }
    if (!version && /html/i.test(headerValue(res.headers['content-type']))) {
      throw new ConnectionError(`${this.displayUrl} answered with an HTML page, not InfluxDB: check the URL, port and -path-prefix`);
    }
    return { version, build: headerValue(res.headers['x-influxdb-build']), status: res.status };
  }

  close(): void {
    this.agent?.destroy();
  }

  describe(err: NodeJS.ErrnoException, timeoutMs: number): Error {
    if (err.name === 'AbortError') return err;
    const where = this.displayUrl;
    const code = err.code ?? '';
    const hint = "Please check your connection settings and ensure 'influxd' is running.";
    switch (code) {
      case 'ECONNREFUSED':
        return new ConnectionError(`Failed to connect to ${where}: connection refused. ${hint}`);
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new ConnectionError(`Failed to connect to ${where}: host not found. Check -host or --url.`);
      case 'ENOENT':
        return new ConnectionError(`Failed to connect to ${where}: no such socket. Check -socket.`);
      case 'INFLUXSH_TIMEOUT':
        // The server is there but slow: "is influxd running" would send the user the wrong way.
        return new ConnectionError(`${where} timed out: no answer within ${seconds(timeoutMs)} (--timeout)`);
      case 'ETIMEDOUT':
        return new ConnectionError(`Failed to connect to ${where}: timed out (the host did not answer the connection). Check -host or --url and any firewall.`);
      case 'ECONNRESET':
        return new ConnectionError(`connection to ${where} was reset by the server`);
      case 'EPROTO':
      case 'ERR_SSL_WRONG_VERSION_NUMBER':
        return new ConnectionError(`Failed to connect to ${where}: TLS handshake failed (${err.message.split('\n')[0]}). Is the server using TLS? Drop -ssl or use http://.`);
      case 'HPE_INVALID_CONSTANT':
      case 'HPE_INVALID_VERSION':
        return new ConnectionError(`Failed to connect to ${where}: the server did not answer HTTP. If it uses TLS, add -ssl or use https://.`);
      default:
        if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
          return new ConnectionError(`Failed to connect to ${where}: TLS certificate not trusted (${code}). Pass --ca-cert FILE, or -unsafeSsl to skip verification (not secure).`);
        }
        return new ConnectionError(`Failed to connect to ${where}: ${err.message}. ${hint}`);
    }
  }
}

function isParts(body: RequestOptions['body']): body is readonly Buffer[] {
  return Array.isArray(body);
}

function bodyLength(body: string | Buffer | readonly Buffer[]): number {
  if (!isParts(body)) return Buffer.byteLength(body);
  let n = 0;
  for (const part of body) n += part.length;
  return n;
}

let httpsModule: typeof https | undefined;
let httpModule: typeof http | undefined;

export function headerValue(h: string | string[] | undefined): string {
  return Array.isArray(h) ? (h[0] ?? '') : (h ?? '');
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
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
  } catch { /* not JSON */ }
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}

function describeBody(headers: http.IncomingHttpHeaders, text: string): string {
  if (/html/i.test(headerValue(headers['content-type']))) return ' with an HTML page';
  const msg = errorFromBody(text);
  return msg ? ` (${msg})` : '';
}
