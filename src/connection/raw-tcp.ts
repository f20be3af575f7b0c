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
  /** Closes the socket; `close` follows asynchronously. */
  destroy(): void;
}

export interface SocketEvents {
  /** `n` bytes were read into `buf` (valid during the call only). */
  data(buf: Buffer, n: number): void;
  ready(): void;
  /** An error code (ECONNREFUSED, ECONNRESET…); `close` follows. */
  error(code: string): void;
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
  close(cb: () => void): void;
  onread: (ab?: ArrayBuffer) => void;
}

/** A handle or request of openRawTcp's, with the connection it serves. */
interface Owned {
  owner?: RawTcp;
}

type WriteReq = Owned & { oncomplete: (status: number) => void; buffer?: Buffer };

interface Bindings {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => { oncomplete: (status: number, handle: TcpHandle & Owned) => void; address?: string; port?: number };
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

/** Whether raw sockets can be used here (an IPv4 or IPv6 literal address and the bindings). */
export function rawTcpAvailable(): boolean {
  if (process.env.INFLUXSH_NET_SOCKETS) return false; // for testing and comparing the net.Socket path
  if (bindings === undefined) bindings = load();
  return bindings !== null;
}

// The native callbacks are shared functions that find their connection on the handle or request
// (`this`, or the handle for connect), so a connection allocates no closures of its own.
function afterConnect(status: number, handle: TcpHandle & Owned): void {
  handle.owner?.connected(status);
}

function onRead(this: TcpHandle & Owned): void {
  const b = bindings!;
  const c = this.owner!;
  const n = b.state[b.kReadBytesOrError]!;
  if (n > 0) c.on.data(c.readBuf, n);
  else if (n === UV_EOF) c.destroy();
  else if (n < 0) c.fail(n);
}

function afterWrite(this: WriteReq, status: number): void {
  if (status < 0) this.owner?.fail(status);
}

function onClose(this: TcpHandle & Owned): void {
  const c = this.owner!;
  this.owner = undefined;
  c.on.close();
}

class RawTcp implements LoadSocket {
  private readonly h: TcpHandle & Owned;
  private ready = false;
  private closed = false;
  private pending: Buffer | undefined;
  /** A write request no write holds (a write that completes at once leaves its request unused). */
  private spare: WriteReq | undefined;

  constructor(
    address: string,
    port: number,
    v6: boolean,
    readonly readBuf: Buffer,
    readonly on: SocketEvents,
  ) {
    const b = bindings!;
    const h: TcpHandle & Owned = (this.h = new b.TCP(b.socketType));
    h.owner = this;
    const req = new b.TCPConnectWrap();
    req.oncomplete = afterConnect;
    req.address = address;
    req.port = port;
    const err = v6 ? h.connect6(req, address, port) : h.connect(req, address, port);
    if (err < 0) queueMicrotask(() => this.fail(err));
  }

  connected(status: number): void {
    if (this.closed) return;
    if (status < 0) return this.fail(status);
    const h = this.h;
    this.ready = true;
    h.setNoDelay(true);
    h.useUserBuffer(this.readBuf);
    h.onread = onRead;
    const err = h.readStart();
    if (err < 0) return this.fail(err);
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
    let w = this.spare;
    this.spare = undefined;
    if (!w) {
      w = new b.WriteWrap();
      w.owner = this;
      w.oncomplete = afterWrite;
    }
    w.buffer = buf; // kept alive until an asynchronous write completes
    const err = this.h.writeBuffer(w, buf);
    if (err < 0) return this.fail(err);
    // Written at once: Node's stream code did not take the request, so the next write may use it.
    if (!b.state[b.kLastWriteWasAsync]) {
      w.buffer = undefined;
      this.spare = w;
    }
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.h.onread = ignore; // must stay a function (a native assertion)
    this.h.close(onClose);
  }

  fail(status: number): void {
    if (this.closed) return;
    this.on.error(getSystemErrorName(status));
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
 * A TCP connection to an IP literal (see rawTcpAvailable), with net.Socket's events: 'connect',
 * 'error' (an Error with the system code, as net's: `connect ECONNREFUSED 127.0.0.1:8086`),
 * then 'close', and 'timeout'. Reads go into `readBuf` and to `onRead` (valid during the call;
 * false pauses reading). Writes before 'connect' wait for it; writes between cork() and
 * uncork() leave as one.
 */
export class RawSocket extends EventEmitter implements WireSocket {
  destroyed = false;
  private readonly handle: TcpHandle;
  private connected = false;
  private paused = false;
  private corked: Buffer[] | undefined;
  private waiting: Buffer[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly address: string,
    private readonly port: number,
    private readonly readBuf: Buffer,
    private readonly onRead: (n: number, buf: Buffer) => boolean,
  ) {
    super();
    const b = bindings!;
    this.handle = new b.TCP(b.socketType);
    const req = new b.TCPConnectWrap();
    req.oncomplete = (status) => this.connectDone(status);
    req.address = address;
    req.port = port;
    const err = ipVersion(address) === 6 ? this.handle.connect6(req, address, port) : this.handle.connect(req, address, port);
    if (err < 0) queueMicrotask(() => this.fail(err, 'connect'));
  }

  private connectDone(status: number): void {
    if (this.destroyed) return;
    if (status < 0) return this.fail(status, 'connect');
    const b = bindings!;
    const h = this.handle;
    this.connected = true;
    h.setNoDelay(true);
    h.useUserBuffer(this.readBuf);
    h.onread = () => {
      const n = b.state[b.kReadBytesOrError]!;
      if (n > 0) {
        this.timer?.refresh();
        if (this.onRead(n, this.readBuf) === false) this.pause();
      } else if (n === UV_EOF) this.destroy();
      else if (n < 0) this.fail(n, 'read');
    };
    if (!this.paused) {
      const err = h.readStart();
      if (err < 0) return this.fail(err, 'read');
    }
    this.timer?.refresh();
    this.emit('connect');
    const w = this.waiting;
    this.waiting = [];
    if (w.length && !this.destroyed) this.send(w.length === 1 ? w[0]! : Buffer.concat(w));
  }

  write(data: Buffer | string): boolean {
    if (this.destroyed) return false;
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.corked) this.corked.push(buf);
    else if (!this.connected) this.waiting.push(buf);
    else this.send(buf);
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

  private send(buf: Buffer): void {
    const w = new bindings!.WriteWrap();
    w.handle = this.handle;
    w.buffer = buf; // kept alive until the write completes
    w.oncomplete = (status) => {
      if (status < 0) this.fail(status, 'write');
      else this.timer?.refresh();
    };
    w.async = false;
    const err = this.handle.writeBuffer(w, buf);
    if (err < 0) this.fail(err, 'write');
    else this.timer?.refresh();
  }

  pause(): this {
    this.paused = true;
    if (this.connected && !this.destroyed) this.handle.readStop();
    return this;
  }

  resume(): this {
    if (!this.paused) return this;
    this.paused = false;
    if (this.connected && !this.destroyed) {
      const err = this.handle.readStart();
      if (err < 0) this.fail(err, 'read');
    }
    return this;
  }

  setTimeout(ms: number): this {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (ms > 0 && !this.destroyed) {
      // Unreferenced like net's: the handle keeps the process alive, not its timer.
      this.timer = setTimeout(() => this.emit('timeout'), ms).unref();
    }
    return this;
  }

  ref(): this {
    if (!this.destroyed) this.handle.ref();
    return this;
  }

  unref(): this {
    if (!this.destroyed) this.handle.unref();
    return this;
  }

  destroy(): this {
    this.close(false);
    return this;
  }

  private close(hadError: boolean): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.timer) clearTimeout(this.timer);
    this.handle.onread = ignore; // must stay a function (a native assertion)
    this.handle.close(() => this.emit('close', hadError));
  }

  private fail(status: number, syscall: string): void {
    if (this.destroyed) return;
    const code = getSystemErrorName(status);
    const err = Object.assign(new Error(`${syscall} ${code} ${this.address}:${this.port}`), { errno: status, code, syscall, address: this.address, port: this.port });
    this.close(true);
    this.emit('error', err);
  }
}
