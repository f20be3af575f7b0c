// A plain TCP client socket on Node's own libuv handle, without net.Socket's stream machinery.
// Node has no public API this lean, so this reaches for process.binding('tcp_wrap'); callers fall
// back to net.Socket where that is not available. Two shapes of it:
// - openRawTcp, the load generator's: a connection per request (Connection: close) then costs the
//   client less than the server, as it does wrk;
// - RawSocket, the transport's (dial.ts): the part of net.Socket's interface that a Wire uses, so
//   a one-shot run to an IP address neither loads nor runs net and the stream modules under it.
import { EventEmitter } from 'node:events';
import { getSystemErrorName } from 'node:util';
import { ipVersion } from './ip.js';

/** What a load connection needs from its socket. */
export interface LoadSocket {
  /** Sends `b`; before the socket is ready the bytes wait and go out once it is. */
  write(b: Buffer): void;
  /** Closes the socket; `close` follows asynchronously, unless `quiet` (the caller has let the socket go: no event follows). */
  destroy(quiet?: boolean): void;
}

export interface SocketEvents {
  /** `n` bytes were read into `buf` (valid during the call only). */
  data(buf: Buffer, n: number): void;
  ready(): void;
  /** An error code (ECONNREFUSED, ECONNRESET…) and the call that met it (connect, read, write); `close` follows. */
  error(code: string, syscall?: string): void;
  close(): void;
}

interface TcpHandle {
  connect(req: object, address: string, port: number): number;
  connect6(req: object, address: string, port: number): number;
  setNoDelay(on: boolean): number;
  useUserBuffer(b: Buffer): void;
  readStart(): number;
  readStop(): number;
  ref(): void;
  unref(): void;
  writeBuffer(req: object, b: Buffer): number;
  close(cb: (() => void) | undefined): void;
  onread: (ab?: ArrayBuffer) => void;
}

/**
 * A handle or request of openRawTcp's, with the connection it serves. Not `owner`: once node:net
 * is loaded, TCP handles have an `owner` accessor, a getter call on every read.
 */
interface Owned {
  client?: RawTcp;
}

type WriteReq = Owned & { oncomplete: (status: number) => void; buffer?: Buffer };

interface Bindings {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => { oncomplete: (status: number, handle: TcpHandle & Owned) => void };
  WriteWrap: new () => WriteReq & { handle?: TcpHandle; async?: boolean };
  socketType: number;
  state: Int32Array;
  kReadBytesOrError: number;
  kLastWriteWasAsync: number;
}

const UV_EOF = -4095;
const ignore = (): void => {};

let bindings: Bindings | null | undefined;

function load(): Bindings | null {
  try {
    const binding = (process as unknown as { binding(n: string): unknown }).binding;
    const tcp = binding('tcp_wrap') as { TCP?: Bindings['TCP']; TCPConnectWrap: Bindings['TCPConnectWrap']; constants: { SOCKET: number } };
    const stream = binding('stream_wrap') as { WriteWrap: Bindings['WriteWrap']; streamBaseState?: Int32Array; kReadBytesOrError: number; kLastWriteWasAsync: number };
    if (typeof tcp.TCP !== 'function' || !(stream.streamBaseState instanceof Int32Array) || typeof stream.kLastWriteWasAsync !== 'number') return null;
    return {
      TCP: tcp.TCP,
      TCPConnectWrap: tcp.TCPConnectWrap,
      WriteWrap: stream.WriteWrap,
      socketType: tcp.constants.SOCKET,
      state: stream.streamBaseState,
      kReadBytesOrError: stream.kReadBytesOrError,
      kLastWriteWasAsync: stream.kLastWriteWasAsync,
    };
  } catch {
    return null;
  }
}

/** Whether raw sockets can be used here (the bindings are there, and INFLUXSH_NET_SOCKETS is not set). */
export function rawTcpAvailable(): boolean {
  if (process.env.INFLUXSH_NET_SOCKETS) return false; // for testing and comparing the net.Socket path
  if (bindings === undefined) bindings = load();
  return bindings !== null;
}

/** 4 or 6 when a plain connection to `host` can be raw (an IP literal and rawTcpAvailable), else 0: use net. */
export function rawTcpFamily(host: string): 0 | 4 | 6 {
  const v = ipVersion(host);
  return v && rawTcpAvailable() ? v : 0;
}

// The native callbacks are shared functions that find their connection on the handle or request
// (`this`, or the handle for connect), so a connection allocates no closures of its own.
function afterConnect(status: number, handle: TcpHandle & Owned): void {
  handle.client?.connected(status);
}

function onRead(this: TcpHandle & Owned): void {
  const b = bindings!;
  const c = this.client!;
  const n = b.state[b.kReadBytesOrError]!;
  if (n > 0) c.on.data(c.readBuf, n);
  else if (n === UV_EOF) c.destroy();
  else if (n < 0) c.fail(n, 'read');
}

function afterWrite(this: WriteReq, status: number): void {
  if (status < 0) this.client?.fail(status, 'write');
}

function onClose(this: TcpHandle & Owned): void {
  const c = this.client!;
  this.client = undefined;
  c.on.close();
}

/**
 * Write requests no write holds, shared by all connections: a write that completes at once leaves
 * its request unused (Node's stream code did not take it), so a connection per request does not
 * make a request object per request.
 */
const spareWrites: WriteReq[] = [];

class RawTcp implements LoadSocket {
  private readonly h: TcpHandle & Owned;
  private ready = false;
  closed = false;
  /** Reading stopped by readStop (before or after the connection is made). */
  private stopped = false;
  private pending: Buffer | undefined;

  constructor(
    address: string,
    port: number,
    v6: boolean,
    readonly readBuf: Buffer,
    readonly on: SocketEvents,
  ) {
    const b = bindings!;
    const h: TcpHandle & Owned = (this.h = new b.TCP(b.socketType));
    h.client = this;
    const req = new b.TCPConnectWrap();
    req.oncomplete = afterConnect;
    const err = v6 ? h.connect6(req, address, port) : h.connect(req, address, port);
    if (err < 0) queueMicrotask(() => this.fail(err, 'connect'));
  }

  connected(status: number): void {
    if (this.closed) return;
    if (status < 0) return this.fail(status, 'connect');
    const h = this.h;
    this.ready = true;
    h.setNoDelay(true);
    h.useUserBuffer(this.readBuf);
    h.onread = onRead;
    if (!this.stopped) {
      const err = h.readStart();
      if (err < 0) return this.fail(err, 'read');
    }
    this.on.ready();
    if (this.pending && !this.closed) {
      const p = this.pending;
      this.pending = undefined;
      this.send(p);
    }
  }

  write(buf: Buffer): void {
    if (this.closed) return;
    if (this.ready) this.send(buf);
    else this.pending = this.pending ? Buffer.concat([this.pending, buf]) : buf;
  }

  private send(buf: Buffer): void {
    const b = bindings!;
    let w = spareWrites.pop();
    if (!w) {
      w = new b.WriteWrap();
      w.oncomplete = afterWrite;
    }
    w.client = this;
    w.buffer = buf; // kept alive until an asynchronous write completes
    const err = this.h.writeBuffer(w, buf);
    const async = err >= 0 && b.state[b.kLastWriteWasAsync];
    // Not taken by an asynchronous write: the next write, of any connection, may use it.
    if (!async) {
      w.buffer = undefined;
      w.client = undefined;
      spareWrites.push(w);
    }
    if (err < 0) return this.fail(err, 'write');
  }

  /** Stops reading (false) or starts it again (true); before the connection is made, for when it is. */
  reading(on: boolean): void {
    this.stopped = !on;
    if (!this.ready || this.closed) return;
    const err = on ? this.h.readStart() : this.h.readStop();
    if (err < 0) this.fail(err, 'read');
  }

  /** Whether the handle keeps the process alive. */
  keepsAlive(on: boolean): void {
    if (this.closed) return;
    if (on) this.h.ref();
    else this.h.unref();
  }

  destroy(quiet = false): void {
    if (this.closed) return;
    this.closed = true;
    const h = this.h;
    h.onread = ignore; // must stay a function (a native assertion)
    if (quiet) {
      // No close callback: Node then makes no call into JavaScript when the handle is gone.
      h.client = undefined;
      h.close(undefined);
    } else h.close(onClose);
  }

  fail(status: number, syscall: string): void {
    if (this.closed) return;
    this.on.error(getSystemErrorName(status), syscall);
    this.destroy();
  }
}

/** Opens a raw TCP connection to `address` (an IP literal, IPv6 when `v6`: see rawTcpAvailable) and `port`; reads land in `readBuf`. */
export function openRawTcp(address: string, port: number, v6: boolean, readBuf: Buffer, on: SocketEvents): LoadSocket {
  return new RawTcp(address, port, v6, readBuf, on);
}

// Node's own typing of event listeners (EventEmitter.on), which net.Socket's overloads match.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

/** What a Wire (dial.ts) uses of its socket: net.Socket, tls.TLSSocket and RawSocket have it. */
export interface WireSocket {
  readonly destroyed: boolean;
  write(b: Buffer | string): unknown;
  cork(): void;
  uncork(): void;
  destroy(): unknown;
  ref(): unknown;
  unref(): unknown;
  pause(): unknown;
  resume(): unknown;
  /** Emits 'timeout' after `ms` without a read or write (0: never), as net.Socket does. */
  setTimeout(ms: number): unknown;
  on(event: string, listener: Listener): this;
  once(event: string, listener: Listener): this;
  removeListener(event: string, listener: Listener): this;
}

/**
 * openRawTcp's connection with net.Socket's events, for a Wire: 'connect', 'error' (an Error with
 * the system code, as net's: `connect ECONNREFUSED 127.0.0.1:8086`), then 'close', and
 * 'timeout'. Reads go into `readBuf` and to `onRead` (valid during the call; false pauses
 * reading). Writes before 'connect' wait for it; writes between cork() and uncork() leave as one.
 */
export class RawSocket extends EventEmitter implements WireSocket {
  private readonly tcp: RawTcp;
  private failed = false;
  private corked: Buffer[] | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(address: string, port: number, v6: boolean, readBuf: Buffer, onRead: (n: number, buf: Buffer) => boolean) {
    super();
    this.tcp = new RawTcp(address, port, v6, readBuf, {
      ready: () => {
        this.timer?.refresh();
        this.emit('connect');
      },
      data: (buf, n) => {
        this.timer?.refresh();
        if (onRead(n, buf) === false) this.pause();
      },
      error: (code, syscall) => {
        this.failed = true;
        if (this.timer) clearTimeout(this.timer);
        this.emit('error', Object.assign(new Error(`${syscall ?? 'connect'} ${code} ${address}:${port}`), { code, syscall, address, port }));
      },
      close: () => this.emit('close', this.failed),
    });
  }

  get destroyed(): boolean {
    return this.tcp.closed;
  }

  write(data: Buffer | string): boolean {
    if (this.tcp.closed) return false;
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.corked) this.corked.push(buf);
    else {
      this.tcp.write(buf);
      this.timer?.refresh();
    }
    return true;
  }

  cork(): void {
    this.corked ??= [];
  }

  uncork(): void {
    const c = this.corked;
    this.corked = undefined;
    if (c?.length) this.write(c.length === 1 ? c[0]! : Buffer.concat(c));
  }

  pause(): this {
    this.tcp.reading(false);
    return this;
  }

  resume(): this {
    this.tcp.reading(true);
    return this;
  }

  setTimeout(ms: number): this {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (ms > 0 && !this.tcp.closed) {
      // Unreferenced like net's: the handle keeps the process alive, not its timer.
      this.timer = setTimeout(() => this.emit('timeout'), ms).unref();
    }
    return this;
  }

  ref(): this {
    this.tcp.keepsAlive(true);
    return this;
  }

  unref(): this {
    this.tcp.keepsAlive(false);
    return this;
  }

  destroy(): this {
    if (this.timer) clearTimeout(this.timer);
    this.tcp.destroy();
    return this;
  }
}
