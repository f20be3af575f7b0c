// One HTTP/1.1 client for every request influxsh sends (InfluxDB and webhooks): it builds the
// request bytes, dials through dial.ts (TLS, proxy, timeout), keeps idle connections for
// reuse, and reads the answer with response-parser.ts into a LineStream. It is hand-written
// rather than node:http because node:http allocates a buffer per read; see docs/benchmarks.md.
import { dial, proxyAuthorization, type TlsSettings, type Wire } from './dial.js';
import { QueuedLines, type LineStream } from './line-stream.js';
import { proxyFor, proxyRules } from './proxy.js';
import { ResponseParser } from './response-parser.js';
import { transportError } from './transport-errors.js';

/** Where a client's requests go. */
export interface Endpoint {
  /** scheme://host:port (a path is the caller's). */
  origin: URL;
  /** Addresses dialled in turn while they refuse. */
  hosts: string[];
  port: number;
  socketPath?: string;
  tls?: TlsSettings;
  proxy?: URL;
  readBufferSize?: number;
}

export interface EndpointOptions {
  socketPath?: string;
  /** Skip certificate verification (-unsafeSsl). */
  unsafeSsl?: boolean;
  ca?: Buffer;
  /** Where HTTP_PROXY, HTTPS_PROXY and NO_PROXY are read from. */
  env?: NodeJS.ProcessEnv;
  readBufferSize?: number;
}

/** The one reading of a URL into what a connection needs (host forms, port, TLS, proxy). */
export function endpointFor(url: URL, o: EndpointOptions = {}): Endpoint {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const isTls = url.protocol === 'https:';
  return {
    origin: url,
    // localhost is dialled as 127.0.0.1 and ::1: any name that is not an IPv4 address makes Node
    // compile its IPv6 regex, tens of milliseconds per run.
    hosts: host === 'localhost' && !o.socketPath ? ['127.0.0.1', '::1'] : [host],
    port: Number(url.port || (isTls ? 443 : 80)),
    socketPath: o.socketPath,
    tls: isTls ? { rejectUnauthorized: !o.unsafeSsl, ca: o.ca, servername: /^[\d.]+$|:/.test(host) ? undefined : host } : undefined,
    // A unix socket is local: never proxied.
    proxy: o.socketPath ? undefined : proxyFor(url, proxyRules(o.env ?? process.env)),
    readBufferSize: o.readBufferSize,
  };
}

export interface HttpRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers?: Record<string, string>;
  /** Parts of a body are sent back to back without being joined first. */
  body?: string | Buffer | readonly Buffer[];
  signal?: AbortSignal;
  /** Longest silence while connecting, awaiting the answer, or between pieces of it (0: none). */
  timeoutMs: number;
  /** Keep the connection for the next request (false sends Connection: close). */
  keepAlive: boolean;
}

/** Idle connections kept per client. */
const MAX_IDLE = 16;

export class HttpClient {
  private readonly idle: Wire[] = [];
  /** The listener that drops each idle connection from the pool when it closes. */
  private readonly drops = new Map<Wire, () => void>();
  /** Index in hosts of the address that answered last: tried first, never the only one. */
  private firstHost = 0;

  constructor(readonly endpoint: Endpoint) {}

  /** Sends a request; resolves once the answer's head is in, rejects with a coded transport error. */
  async request(req: HttpRequest): Promise<LineStream> {
    const head = this.encode(req);
    const wire = this.takeIdle() ?? (await this.dial(req.timeoutMs));
    return exchange(wire, head, req, (w) => this.release(w));
  }

  close(): void {
    for (const w of this.idle.splice(0)) w.socket.destroy();
    this.drops.clear();
  }

  private async dial(timeoutMs: number): Promise<Wire> {
    const e = this.endpoint;
    const n = e.hosts.length;
    const hosts = n > 1 ? [...e.hosts.slice(this.firstHost), ...e.hosts.slice(0, this.firstHost)] : e.hosts;
    const wire = await dial({ hosts, port: e.port, socketPath: e.socketPath, tls: e.tls, proxy: e.proxy, timeoutMs, readBufferSize: e.readBufferSize });
    this.firstHost = (this.firstHost + wire.hostIndex) % n;
    return wire;
  }

  private encode(req: HttpRequest): Buffer[] {
    const e = this.endpoint;
    // A plain request through a proxy names its whole URL; a tunnelled one only its path.
    const proxied = e.proxy && !e.tls;
    let head = `${req.method} ${proxied ? `${e.origin.protocol}//${e.origin.host}${req.path}` : req.path} HTTP/1.1\r\nHost: ${e.origin.host}\r\n`;
    for (const [k, v] of Object.entries(req.headers ?? {})) head += `${k}: ${v}\r\n`;
    if (proxied) {
      const auth = proxyAuthorization(e.proxy!);
      if (auth) head += `Proxy-Authorization: ${auth}\r\n`;
    }
    if (!req.keepAlive) head += 'Connection: close\r\n';
    const body = req.body;
    const parts = body === undefined ? [] : typeof body === 'string' ? [Buffer.from(body)] : Buffer.isBuffer(body) ? [body] : (body as readonly Buffer[]);
    if (body !== undefined) head += `Content-Length: ${parts.reduce((n, p) => n + p.length, 0)}\r\n`;
    return [Buffer.from(head + '\r\n', 'latin1'), ...parts];
  }

  private takeIdle(): Wire | undefined {
    for (;;) {
      const w = this.idle.pop();
      if (!w) return undefined;
      const drop = this.drops.get(w)!;
      this.drops.delete(w);
      w.socket.removeListener('close', drop).removeListener('error', drop);
      if (w.socket.destroyed) continue;
      w.socket.ref();
      return w;
    }
  }

  /** A connection whose answer has ended and that the server keeps open. */
  private release(w: Wire): void {
    if (this.idle.length >= MAX_IDLE) {
      w.socket.destroy();
      return;
    }
    w.stall(0);
    // Bytes on an idle connection, or its close, make it unusable.
    w.read(() => (w.socket.destroy(), false));
    const drop = () => {
      w.socket.destroy();
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      this.drops.delete(w);
    };
    this.drops.set(w, drop);
    w.socket.once('close', drop).on('error', drop);
    // Idle connections do not keep the process alive.
    w.socket.unref();
    this.idle.push(w);
  }
}

/** Writes the request on `wire` and reads its answer. */
function exchange(wire: Wire, request: Buffer[], req: HttpRequest, release: (w: Wire) => void): Promise<LineStream> {
  return new Promise((resolve, reject) => {
    const res = new HttpResponse(wire, req.keepAlive, req.timeoutMs, release, resolve, reject);
    if (req.signal) {
      const signal = req.signal;
      const abort = () => res.fail(Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' }));
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort, { once: true });
      res.onSettled = () => signal.removeEventListener('abort', abort);
    }
    const s = wire.socket;
    s.cork();
    for (const part of request) s.write(part);
    s.uncork();
  });
}

/** An answer being read; its lines are queued for the consumer with back-pressure. */
class HttpResponse extends QueuedLines {
  private wire: Wire | undefined;
  private headDone = false;
  onSettled: (() => void) | undefined;
  private readonly onError: (e: Error) => void;
  private readonly onClose: () => void;

  constructor(
    wire: Wire,
    private readonly keepAlive: boolean,
    timeoutMs: number,
    private readonly release: (w: Wire) => void,
    private readonly resolveHead: (s: LineStream) => void,
    private readonly rejectHead: (e: Error) => void,
  ) {
    super();
    this.wire = wire;
    const parser = new ResponseParser((r) => this.complete(r.close), {
      head: (status, headers) => {
        this.status = status;
        this.headers = headers;
        this.headDone = true;
        this.resolveHead(this);
      },
      body: (bytes) => this.lineBuf.push(bytes),
    });
    wire.read((bytes) => {
      try {
        parser.feed(bytes);
      } catch (e) {
        this.fail(transportError('BAD_RESPONSE', (e as Error).message));
        return false;
      }
      const more = this.notify();
      return this.wire === undefined || more;
    });
    wire.stall(timeoutMs, () => {
      this.fail(transportError('INFLUXSH_TIMEOUT', this.headDone ? `the server sent nothing for ${timeoutMs} ms in the middle of its answer (--timeout)` : 'timeout'));
    });
    this.onError = (e) => this.fail(e);
    this.onClose = () => {
      if (parser.end()) return;
      this.fail(transportError('ECONNRESET', this.headDone ? 'the server closed the connection mid-answer' : 'socket hang up'));
    };
    wire.socket.on('error', this.onError).on('close', this.onClose);
  }

  private detach(): Wire | undefined {
    const w = this.wire;
    this.wire = undefined;
    if (w) w.socket.removeListener('error', this.onError).removeListener('close', this.onClose);
    this.onSettled?.();
    return w;
  }

  /** The answer is complete: the connection goes back for reuse, or is closed. */
  private complete(serverCloses: boolean): void {
    const w = this.detach();
    if (w) {
      if (this.keepAlive && !serverCloses) this.release(w);
      else w.socket.destroy();
    }
    this.end();
  }

  fail(e: Error): void {
    const w = this.detach();
    w?.socket.destroy();
    if (!this.headDone) {
      this.headDone = true;
      this.rejectHead(e);
    }
    this.end(e);
  }

  protected resume(): void {
    this.wire?.resume();
  }

  destroy(): void {
    this.done = true;
    this.detach()?.socket.destroy();
  }
}
