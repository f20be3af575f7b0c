// One load connection: its socket, response parser and the request in flight. The run owns
// what a response or a lost connection means; this file owns dialing and redialing.
import { dial } from '../connection/dial.js';
import { ipVersion } from '../connection/ip.js';
import { ResponseParser, type ParsedResponse } from '../connection/response-parser.js';
import { shortReason } from '../connection/transport-errors.js';
import type { LoadTarget } from './targets.js';
import { openRawTcp, rawTcpFamily, type LoadSocket, type SocketEvents } from '../connection/raw-tcp.js';
import type { WireSocket } from '../connection/raw-tcp.js';
import type { UrlStats } from './load-stats.js';
import { NO_TIME } from './clock.js';

export interface DialOptions {
  /** TLS: verify the target's certificate (default true), against these CAs when given. */
  verifyTls?: boolean;
  ca?: Buffer;
  /** Longest wait for a connection (and its TLS handshake); 0: none. */
  timeoutMs?: number;
}

/** How load connections reach `t`: a raw TCP handle (IPv4 or IPv6) when it is a plain IP target and raw handles work, else dial. */
function socketKind(t: LoadTarget): 'v4' | 'v6' | 'dial' {
  const v = t.tls ? 0 : rawTcpFamily(t.host);
  return v ? (v === 6 ? 'v6' : 'v4') : 'dial';
}

/**
 * Opens a socket to `t`: the one place load connections dial. `ready` fires once the socket can
 * carry requests (after the TLS handshake for https); `data` gets every read (valid during the
 * call only); `close` follows every socket, after `error` when there was one. Plain IP targets
 * use raw-tcp.ts; the rest goes through the transport's dial (TLS, timeout, error codes).
 * Targets are dialled directly, never through HTTP_PROXY: a load test measures its target.
 */
export function openSocket(t: LoadTarget, o: DialOptions, readBuf: Buffer, on: SocketEvents, kind = socketKind(t)): LoadSocket {
  if (kind !== 'dial') return openRawTcp(t.host, t.port, kind === 'v6', readBuf, on);
  let socket: WireSocket | undefined;
  let destroyed = false;
  const pending: Buffer[] = [];
  const tls = t.tls ? { rejectUnauthorized: o.verifyTls !== false, ca: o.ca, servername: ipVersion(t.host) ? undefined : t.host } : undefined;
  dial({ hosts: [t.host], port: t.port, tls, timeoutMs: o.timeoutMs ?? 0, readBuffer: readBuf }).then(
    (wire) => {
      if (destroyed) return void wire.socket.destroy();
      socket = wire.socket;
      wire.read((b) => (on.data(b, b.length), true));
      socket.on('error', (e: NodeJS.ErrnoException) => on.error(shortReason(e.code ?? '', e)));
      socket.on('close', () => on.close());
      for (const b of pending.splice(0)) socket.write(b);
      on.ready();
    },
    (e: NodeJS.ErrnoException) => {
      if (destroyed) return;
      destroyed = true;
      on.error(shortReason(e.code ?? '', e));
      on.close();
    },
  );
  return {
    write: (b) => (socket ? socket.write(b) : pending.push(b)),
    destroy: () => {
      // A dialled socket always says `close`; its listener ignores a socket it has let go.
      if (socket) return void socket.destroy();
      if (destroyed) return;
      // Not connected yet: the dial is dropped when it lands, and `close` follows now, as for a socket.
      destroyed = true;
      queueMicrotask(() => on.close());
    },
  };
}

/** What a connection tells the run it belongs to. */
export interface ConnectionOwner {
  /** The run is over: nothing reopens. */
  readonly stopped: boolean;
  readonly dial: DialOptions;
  response(c: LoadConnection, r: ParsedResponse): void;
  /** The connection's first attempt succeeded or failed. */
  firstAttempt(): void;
  /** The request in flight was lost with the connection (`kind` says how). */
  lost(c: LoadConnection, kind: string): void;
  /** The connection was (re)opened and may take a request. */
  ready(c: LoadConnection): void;
}

export class LoadConnection {
  socket: LoadSocket | undefined;
  current: UrlStats | undefined;
  readonly parser: ResponseParser;
  busy = false;
  /** This request counts (it was sent while measuring). */
  measured = false;
  sentAt = NO_TIME;
  intended = NO_TIME;
  connected = false;
  /** The server said it will close: open a fresh connection once this read is parsed. */
  closeAfter = false;
  /** Its place in the run's pool (a ramp in the closed model uses the first N). */
  slot = 0;
  private triedOnce = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly readBuf = Buffer.allocUnsafe(64 * 1024);
  private kind: 'v4' | 'v6' | 'dial' | undefined;
  lastError: string | undefined;

  constructor(
    private readonly owner: ConnectionOwner,
    readonly targets: LoadTarget[],
    /** Each target's counts, in the order of `targets`. */
    private readonly stats: UrlStats[],
    /** Index into `targets` of the next request; connections of one origin start staggered. */
    public next: number,
  ) {
    this.parser = new ResponseParser((r) => owner.response(this, r));
  }

  /** The target of the next request, advancing the turn; `current` becomes its counts. */
  nextTarget(): LoadTarget {
    const i = this.next++ % this.targets.length;
    if (this.next >= this.targets.length * 1_000_000) this.next = 0;
    this.current = this.stats[i];
    return this.targets[i]!;
  }

  open(): void {
    const t = this.targets[this.next % this.targets.length]!;
    this.kind ??= socketKind(t);
    const listener = new SocketListener(this);
    const sock = openSocket(t, this.owner.dial, this.readBuf, listener, this.kind);
    listener.sock = sock;
    this.socket = sock;
    this.connected = false;
    this.closeAfter = false;
    this.lastError = undefined;
    this.parser.reset();
  }

  /** Bytes read on the current socket. */
  data(buf: Buffer, n: number): void {
    try {
      this.parser.feed(buf, n);
    } catch (e) {
      this.lastError = 'bad response: ' + (e as Error).message;
      this.socket?.destroy();
      return;
    }
    if (this.closeAfter) this.reconnect();
  }

  /** The current socket closed (after `error` if it failed). */
  closed(): void {
    this.parser.end();
    const wasConnected = this.connected;
    this.socket = undefined;
    this.connected = false;
    if (this.busy) this.owner.lost(this, this.lastError ?? (wasConnected ? 'connection closed' : 'connect failed'));
    if (this.owner.stopped) return;
    // Reconnect at once after the server closed a used connection; back off a little when connecting fails.
    if (wasConnected) return this.reopen();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.owner.stopped) this.reopen();
    }, 10);
  }

  /** A socket's first attempt connected or failed. */
  tried(): void {
    if (this.triedOnce) return;
    this.triedOnce = true;
    this.owner.firstAttempt();
  }

  private reopen(): void {
    this.open();
    this.owner.ready(this);
  }

  /** The server announced it closes this connection: drop it and send the next request on a new one at once. */
  reconnect(): void {
    const old = this.socket;
    this.socket = undefined;
    old?.destroy(true);
    if (!this.owner.stopped) this.reopen();
  }

  send(request: Buffer): void {
    this.socket!.write(request);
  }

  /** Ends the connection for good (the run is over) or to replace it (a timeout). */
  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.socket?.destroy();
  }
}

/** One socket's events for its connection; those of a socket the connection has replaced are dropped. */
class SocketListener implements SocketEvents {
  sock: LoadSocket | undefined;
  constructor(private readonly c: LoadConnection) {}

  data(buf: Buffer, n: number): void {
    if (this.c.socket === this.sock) this.c.data(buf, n);
  }

  ready(): void {
    if (this.c.socket === this.sock) this.c.connected = true;
    this.c.tried();
  }

  error(code: string): void {
    if (this.c.socket === this.sock) this.c.lastError = code;
  }

  close(): void {
    this.c.tried();
    if (this.c.socket === this.sock) this.c.closed();
  }
}
