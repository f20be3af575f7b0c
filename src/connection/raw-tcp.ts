// A plain TCP client socket on Node's own libuv handle, without net.Socket's stream machinery:
// a connection per request (Connection: close) then costs the client less than the server, as
// it does wrk. Node has no public API this lean, so this reaches for process.binding('tcp_wrap')
// and falls back to net.Socket (openSocket in load-connection.ts) where that is not available.
import { isIP } from 'node:net';
import { getSystemErrorName } from 'node:util';

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
  writeBuffer(req: object, b: Buffer): number;
  close(cb: () => void): void;
  onread: (ab?: ArrayBuffer) => void;
}

interface Bindings {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => { oncomplete: (status: number) => void; address?: string; port?: number };
  WriteWrap: new () => { handle?: TcpHandle; oncomplete: (status: number) => void; async?: boolean };
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
  if (process.env.INFLUXSH_LOAD_NET_SOCKETS) return false; // for comparing with the fallback
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
  const err = isIP(address) === 6 ? h.connect6(req, address, port) : h.connect(req, address, port);
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
