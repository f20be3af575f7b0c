// Opens the sockets every HTTP request of influxsh rides on (queries, writes, ping, webhooks and
// the load generator's connections): TCP or a unix socket, TLS with the user's CA and
// verification choice, through an HTTP proxy (a CONNECT tunnel for TLS), within a timeout.
// The one read loop is here too: plain sockets read into one reused buffer (net's `onread`, no
// allocation per read), TLS sockets through 'data'; either way the bytes go to `Wire.read`'s reader.
import type * as net from 'node:net';
import type * as tls from 'node:tls';
import { RawSocket, rawTcpFamily, type WireSocket } from './raw-tcp.js';
import { ResponseParser } from './response-parser.js';
import { transportError } from './transport-errors.js';

export interface TlsSettings {
  rejectUnauthorized: boolean;
  ca?: Buffer;
  /** The name to verify and send as SNI; undefined for an IP address. */
  servername?: string;
}

export interface DialTarget {
  /** Names or addresses tried in turn while they refuse the connection. */
  hosts: readonly string[];
  port: number;
  socketPath?: string;
  tls?: TlsSettings;
  /** An HTTP proxy: TLS targets are reached through CONNECT; plain ones get absolute-form requests. */
  proxy?: URL;
  /** Longest silence while connecting (0: none); the same timer then bounds waits for answers. */
  timeoutMs: number;
  /** Size of a plain socket's one read buffer. */
  readBufferSize?: number;
  /** A read buffer to reuse instead (a connection that redials often keeps one). */
  readBuffer?: Buffer;
}

/** Takes the bytes of one read (valid only during the call); false pauses reading. */
export type Reader = (bytes: Buffer) => boolean;

/** A connected socket and its read loop. */
export class Wire {
  socket!: WireSocket;
  /** Index in `hosts` of the address that answered. */
  hostIndex = 0;
  /** Set when requests go to an HTTP proxy in absolute form (a plain target through a proxy). */
  httpProxy: URL | undefined;
  private reader: Reader = () => true;
  private paused = false;
  private stallMs = 0;
  private onStall: (() => void) | undefined;

  /** Where the bytes go from now on. */
  read(reader: Reader): void {
    this.reader = reader;
  }

  /** The read loop's one step, for both kinds of socket. */
  deliver(bytes: Buffer): boolean {
    const more = this.reader(bytes);
    if (!more) this.paused = true;
    return more;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.socket.resume();
    if (this.stallMs) this.socket.setTimeout(this.stallMs); // the silence counts again from now
  }

  /**
   * The one timeout: `onStall` runs after `ms` without a byte while the socket is being read (not
   * while the reader has paused it). 0 turns it off.
   */
  stall(ms: number, onStall?: () => void): void {
    this.stallMs = ms;
    this.onStall = onStall;
    this.socket.setTimeout(ms);
  }

  /** Wires a socket's events to this object; for TLS and proxy sockets, which read by 'data'. */
  attach(socket: WireSocket, byData: boolean): void {
    this.socket = socket;
    socket.on('timeout', () => {
      if (!this.paused) this.onStall?.();
    });
    if (byData) socket.on('data', (b: Buffer) => this.deliver(b) || socket.pause());
  }
}

let tlsModule: typeof tls | undefined;

/** Connects to the target (through its proxy, with TLS when asked); rejects with a coded transport error. */
export async function dial(t: DialTarget): Promise<Wire> {
  if (t.socketPath) return dialOnce(t, { path: t.socketPath });
  if (t.proxy) {
    const proxyPort = Number(t.proxy.port || (t.proxy.protocol === 'https:' ? 443 : 80));
    if (t.proxy.protocol !== 'http:') throw transportError('PROXY_SCHEME', `proxy ${t.proxy.protocol}// is not supported: use an http:// proxy`, t.proxy);
    return dialOnce(t, { host: t.proxy.hostname.replace(/^\[|\]$/g, ''), port: proxyPort }, t.proxy).catch((e: Error) => {
      throw Object.assign(e, { proxy: t.proxy });
    });
  }
  for (let i = 0; ; i++) {
    try {
      const w = await dialOnce(t, { host: t.hosts[i]!, port: t.port });
      w.hostIndex = i;
      return w;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || i + 1 >= t.hosts.length) throw e;
    }
  }
}

async function dialOnce(t: DialTarget, where: { host?: string; port?: number; path?: string }, proxy?: URL): Promise<Wire> {
  const wire = new Wire();
  if (t.tls) tlsModule ??= await import('node:tls');
  // autoSelectFamily: a name with several addresses is tried on each of them, every connection.
  const place = where.path ? { path: where.path } : { host: where.host!, port: where.port!, autoSelectFamily: true };
  if (!t.tls) {
    const buffer = t.readBuffer ?? Buffer.allocUnsafe(t.readBufferSize ?? 64 << 10);
    const onRead = (n: number, b: Uint8Array) => wire.deliver(Buffer.from(b.buffer, b.byteOffset, n));
    // An IP address needs no lookup: a raw handle then does what net.Socket would, for less.
    const family = where.host === undefined ? 0 : rawTcpFamily(where.host);
    const socket = family ? new RawSocket(where.host!, where.port!, family === 6, buffer, onRead) : netModule().connect({ ...place, noDelay: true, onread: { buffer, callback: onRead } });
    wire.attach(socket, false);
    await settle(socket, 'connect', t.timeoutMs);
    wire.httpProxy = proxy;
    return wire;
  }
  let through: net.Socket | undefined;
  if (proxy) {
    through = netModule().connect({ ...place, noDelay: true });
    await settle(through, 'connect', t.timeoutMs);
    await tunnel(through, proxy, `${bracketed(t.hosts[0]!)}:${t.port}`, t.timeoutMs);
  }
  const options: tls.ConnectionOptions = {
    ...(through ? { socket: through } : place),
    servername: t.tls.servername,
    rejectUnauthorized: t.tls.rejectUnauthorized,
    ca: t.tls.ca,
  };
  const socket = tlsModule!.connect(options);
  socket.setNoDelay(true);
  wire.attach(socket, true);
  await settle(socket, 'secureConnect', t.timeoutMs);
  return wire;
}

/** Asks the proxy for a tunnel to `authority` and waits for its 2xx. */
function tunnel(socket: net.Socket, proxy: URL, authority: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const fail = (e: Error) => {
      socket.removeListener('data', onData);
      socket.destroy();
      reject(e);
    };
    const stop = guard(socket, timeoutMs, fail);
    const parser = new ResponseParser(
      () => {
        stop();
        socket.removeListener('data', onData);
        if (status >= 200 && status < 300) resolve();
        else fail(transportError('PROXY_REFUSED', `the proxy answered ${status} to CONNECT ${authority}`, proxy));
      },
      { head: (s) => (status = s) },
    );
    parser.expectNoBody = true;
    const onData = (b: Buffer) => {
      try {
        parser.feed(b);
      } catch (e) {
        stop();
        fail(transportError('BAD_RESPONSE', `the proxy did not answer HTTP (${(e as Error).message})`, proxy));
      }
    };
    socket.on('data', onData);
    const auth = proxyAuthorization(proxy);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
  });
}

/** Basic credentials written into the proxy URL, as Go sends them. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  return 'Basic ' + Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64');
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** node:net, loaded by the first connection that needs it (see RawSocket). */
function netModule(): typeof net {
  return process.getBuiltinModule('node:net');
}

/** Resolves when `event` fires; rejects as `guard` says. */
function settle(socket: WireSocket, event: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = guard(socket, timeoutMs, (e) => {
      socket.removeListener(event, onEvent);
      reject(e);
    });
    const onEvent = () => {
      stop();
      resolve();
    };
    socket.once(event, onEvent);
  });
}

/**
 * Until the returned function is called, fails with the socket's error, its close, or
 * INFLUXSH_TIMEOUT after `timeoutMs` of silence (the socket is then destroyed).
 */
function guard(socket: WireSocket, timeoutMs: number, fail: (e: Error) => void): () => void {
  const stop = () => {
    socket.removeListener('error', onError);
    socket.removeListener('close', onClose);
    socket.removeListener('timeout', onTimeout);
    socket.setTimeout(0);
  };
  const onError = (e: Error) => {
    stop();
    fail(e);
  };
  const onClose = () => {
    stop();
    fail(transportError('ECONNRESET', 'the connection closed before it was ready'));
  };
  const onTimeout = () => {
    stop();
    socket.destroy();
    fail(transportError('INFLUXSH_TIMEOUT', 'timeout'));
  };
  socket.once('error', onError);
  socket.once('close', onClose);
  if (timeoutMs > 0) {
    socket.setTimeout(timeoutMs);
    socket.once('timeout', onTimeout);
  }
  return stop;
}
