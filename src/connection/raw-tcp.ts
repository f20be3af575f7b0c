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
  data(d: Buffer): void;
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

interface Bindings {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => { oncomplete: (status: number) => void; address?: string; port?: number };
  WriteWrap: new () => { handle?: TcpHandle; oncomplete: (status: number) => void; async?: boolean; buffer?: Buffer };
  socketType: number;
  state: Int32Array;
  kReadBytesOrError: number;
}

const UV_EOF = -4095;
const ignore = (): void => {};

let bindings: Bindings | null | undefined;

function load(): Bindings | null {
  try {
    const binding = (process as unknown as { binding(n: string): unknown }).binding;
    const tcp = binding('tcp_wrap') as { TCP?: Bindings['TCP']; TCPConnectWrap: Bindings['TCPConnectWrap']; constants: { SOCKET: number } };
    const stream = binding('stream_wrap') as { WriteWrap: Bindings['WriteWrap']; streamBaseState?: Int32Array; kReadBytesOrError: number };
    if (typeof tcp.TCP !== 'function' || !(stream.streamBaseState instanceof Int32Array)) return null;
    return {
      TCP: tcp.TCP,
      TCPConnectWrap: tcp.TCPConnectWrap,
      WriteWrap: stream.WriteWrap,
      socketType: tcp.constants.SOCKET,
      state: stream.streamBaseState,
      kReadBytesOrError: stream.kReadBytesOrError,
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

/** Opens a raw TCP connection to `address` (an IP literal: see rawTcpAvailable) and `port`; reads land in `readBuf`. */
export function openRawTcp(address: string, port: number, readBuf: Buffer, on: SocketEvents): LoadSocket {
  const b = bindings!;
  const h = new b.TCP(b.socketType);
  let ready = false;
  let closed = false;
  let pending: Buffer | undefined;
  const close = (): void => {
    if (closed) return;
    closed = true;
    h.onread = ignore; // must stay a function (a native assertion)
    h.close(() => on.close());
  };
  const fail = (status: number): void => {
    if (closed) return;
    on.error(getSystemErrorName(status));
    close();
  };
  const send = (buf: Buffer): void => {
    const w = new b.WriteWrap();
    w.handle = h;
    w.oncomplete = (status) => status < 0 && fail(status);
    w.async = false;
    const err = h.writeBuffer(w, buf);
    if (err < 0) fail(err);
  };
  const req = new b.TCPConnectWrap();
  req.oncomplete = (status) => {
    if (closed) return;
    if (status < 0) return fail(status);
    ready = true;
    h.setNoDelay(true);
    h.useUserBuffer(readBuf);
    h.onread = () => {
      const n = b.state[b.kReadBytesOrError]!;
      if (n > 0) on.data(readBuf.subarray(0, n));
      else if (n === UV_EOF) close();
      else if (n < 0) fail(n);
    };
    const err = h.readStart();
    if (err < 0) return fail(err);
    on.ready();
    if (pending && !closed) {
      const p = pending;
      pending = undefined;
      send(p);
    }
  };
  req.address = address;
  req.port = port;
  const err = ipVersion(address) === 6 ? h.connect6(req, address, port) : h.connect(req, address, port);
  if (err < 0) queueMicrotask(() => fail(err));
  return {
    write(buf) {
      if (closed) return;
      if (ready) send(buf);
      else pending = pending ? Buffer.concat([pending, buf]) : buf;
    },
    destroy: close,
  };
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
