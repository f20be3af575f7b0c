// Query responses as a stream of lines (InfluxDB writes one JSON document per line when it
// answers in chunks), read with as little per-read work as Node allows.
//
// Over plain HTTP (TCP or a unix socket) the socket reads into one reused buffer (net's
// `onread`), the chunked framing is undone here, and payload bytes are copied once, straight
// into the line they belong to. A million-row response then costs a fraction of the CPU that
// node:http's readable streams spend (they allocate a buffer per read). TLS goes through
// node:https and reaches the same line assembly.
import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import { ResponseParser } from './response-parser.js';

export interface LineStream {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /**
   * Each line of the body without its newline, in order; a last unterminated line too. A line's
   * bytes are valid until the next line is asked for (its buffer is then reused): copy what you
   * keep longer.
   */
  lines(): AsyncGenerator<Buffer>;
  /** The whole body as text (for error answers). */
  text(): Promise<string>;
  /** Stops reading and closes the connection. */
  destroy(): void;
}

/**
 * Collects body bytes into lines; each line gets a buffer of its own, taken from the buffers of
 * lines already consumed when one is large enough (fresh memory costs a page fault per 4 KB).
 */
class LineAssembler {
  private acc: Buffer = Buffer.allocUnsafe(4096);
  private len = 0;
  private readonly free: Buffer[] = [];
  /** Complete lines not yet taken, and their bytes. */
  readonly queue: Buffer[] = [];
  queued = 0;

  push(seg: Buffer): void {
    let from = 0;
    for (;;) {
      const nl = seg.indexOf(10, from);
      const stop = nl < 0 ? seg.length : nl;
      this.append(seg, from, stop);
      if (nl < 0) return;
      this.emit();
      from = nl + 1;
    }
  }

  /** The bytes after the last newline, if any. */
  finish(): void {
    if (this.len) this.emit();
  }

  private append(seg: Buffer, from: number, to: number): void {
    const n = to - from;
    if (!n) return;
    if (this.len + n > this.acc.length) {
      const next = Buffer.allocUnsafe(Math.max(this.acc.length * 2, this.len + n));
      this.acc.copy(next, 0, 0, this.len);
      this.acc = next;
    }
    seg.copy(this.acc, this.len, from, to);
    this.len += n;
  }

  /** A consumed line's buffer, for a later line. */
  recycle(line: Buffer): void {
    if (this.free.length < 4) this.free.push(Buffer.from(line.buffer, line.byteOffset, line.byteOffset === 0 ? line.buffer.byteLength : line.length));
  }

  private emit(): void {
    const line = this.acc.subarray(0, this.len);
    this.queue.push(line);
    this.queued += line.length;
    // The next line needs about as much room as this one (chunks are alike).
    const want = Math.max(4096, this.len + (this.len >> 3));
    const i = this.free.findIndex((b) => b.length >= want);
    this.acc = i >= 0 ? this.free.splice(i, 1)[0]! : Buffer.allocUnsafe(want);
    this.len = 0;
  }
}

/** Pauses reading once this many bytes of lines wait for the consumer. */
const HIGH_WATER = 4 << 20;

/** A line queue fed by a transport; the consumer side of both transports. */
abstract class QueuedLines implements LineStream {
  status = 0;
  headers: Record<string, string> = {};
  protected readonly lineBuf = new LineAssembler();
  protected done = false;
  protected failure: Error | null = null;
  private wake: (() => void) | null = null;

  protected abstract resume(): void;
  abstract destroy(): void;

  /** Called by the transport after new lines or the end; returns false to stop reading. */
  protected notify(): boolean {
    const w = this.wake;
    this.wake = null;
    w?.();
    return this.lineBuf.queued < HIGH_WATER;
  }

  protected end(err?: Error): void {
    if (this.done) return;
    this.done = true;
    if (err) this.failure = err;
    else this.lineBuf.finish();
    this.notify();
  }

  async *lines(): AsyncGenerator<Buffer> {
    const q = this.lineBuf.queue;
    try {
      for (;;) {
        if (q.length) {
          const line = q.shift()!;
          this.lineBuf.queued -= line.length;
          if (this.lineBuf.queued < HIGH_WATER && !this.done) this.resume();
          yield line;
          this.lineBuf.recycle(line);
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.done) return;
        await new Promise<void>((r) => (this.wake = r));
      }
    } finally {
      if (!this.done) this.destroy();
    }
  }

  async text(): Promise<string> {
    const parts: Buffer[] = [];
    for await (const l of this.lines()) parts.push(l, NEWLINE);
    return Buffer.concat(parts).toString('utf8').replace(/\n$/, '');
  }
}

const NEWLINE = Buffer.from('\n');

export interface RawTarget {
  host?: string;
  port?: number;
  socketPath?: string;
}

/** HTTP/1.1 over a socket that reads into one reused buffer; response-parser.ts does the framing. */
class RawLines extends QueuedLines {
  private readonly socket: net.Socket;
  private paused = false;

  constructor(target: RawTarget, request: Buffer, onHead: (s: RawLines) => void, onError: (e: Error) => void, signal?: AbortSignal) {
    super();
    let headDone = false;
    const parser = new ResponseParser(
      () => {
        this.end();
        this.socket.destroy();
      },
      {
        head: (status, headers) => {
          this.status = status;
          this.headers = headers;
          headDone = true;
          onHead(this);
        },
        body: (bytes) => this.lineBuf.push(bytes),
      },
    );
    // autoSelectFamily: a name with several addresses is tried on each of them, every connection.
    const opts = target.socketPath ? { path: target.socketPath } : { host: target.host!, port: target.port!, autoSelectFamily: true };
    this.socket = net.connect({
      ...opts,
      onread: {
        buffer: Buffer.allocUnsafe(256 << 10),
        callback: (n: number, buf: Buffer): boolean => {
          if (this.done) return false;
          try {
            parser.feed(buf.subarray(0, n));
          } catch (e) {
            const err = Object.assign(e as Error, { code: (e as NodeJS.ErrnoException).code ?? 'HPE_INVALID_CONSTANT' });
            if (!headDone) onError(err);
            this.end(err);
            this.socket.destroy();
            return false;
          }
          const more = this.notify();
          if (!more) this.paused = true;
          return more;
        },
      },
    });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => this.socket.write(request));
    this.socket.on('error', (e) => {
      if (!headDone) onError(e);
      this.end(e);
    });
    this.socket.on('end', () => {
      if (parser.end()) return;
      const e = Object.assign(new Error(headDone ? 'the server closed the connection mid-answer' : 'socket hang up'), { code: 'ECONNRESET' });
      if (!headDone) onError(e);
      this.end(e);
    });
    if (signal) {
      const abort = () => {
        const e = Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
        if (!headDone) onError(e);
        this.end(e);
        this.socket.destroy();
      };
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
      this.socket.on('close', () => signal.removeEventListener('abort', abort));
    }
  }

  protected resume(): void {
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
      if (this.idleMs) this.socket.setTimeout(this.idleMs);
    }
  }

  private idleMs = 0;

  /** Fails the answer when the server sends nothing for `ms` while we are reading (not while paused). */
  watchIdle(ms: number): void {
    this.idleMs = ms;
    this.socket.setTimeout(ms);
    this.socket.on('timeout', () => {
      if (this.paused || this.done) return;
      this.end(Object.assign(new Error(`the server sent nothing for ${ms} ms in the middle of its answer (--timeout)`), { code: 'INFLUXSH_TIMEOUT' }));
      this.socket.destroy();
    });
  }

  destroy(): void {
    this.done = true;
    this.socket.destroy();
  }
}

/**
 * Sends `request` (a complete HTTP/1.1 request with `Connection: close`) and resolves once the
 * response head has arrived; rejects with the socket's error, or code INFLUXSH_TIMEOUT when
 * no head arrives within `timeoutMs` (0 = no limit).
 */
export function rawLineStream(target: RawTarget, request: Buffer, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<LineStream> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (f: () => void) => {
      if (timer) clearTimeout(timer);
      f();
    };
    const idle = opts.timeoutMs ?? 0;
    const onHead = (s: RawLines) =>
      settle(() => {
        // After the head, the timeout bounds each wait for more of the body.
        if (idle > 0) s.watchIdle(idle);
        resolve(s);
      });
    const lines = new RawLines(target, request, onHead, (e) => settle(() => reject(e)), opts.signal);
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        reject(Object.assign(new Error('timeout'), { code: 'INFLUXSH_TIMEOUT' }));
        lines.destroy();
      }, opts.timeoutMs);
    }
  });
}

/** The same line stream over a node:http(s) response (used for TLS). */
export function responseLineStream(res: IncomingMessage): LineStream {
  return new ResponseLines(res);
}

class ResponseLines extends QueuedLines {
  constructor(private readonly res: IncomingMessage) {
    super();
    this.status = res.statusCode ?? 0;
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) this.headers[k] = Array.isArray(v) ? v.join(', ') : v;
    res.on('data', (c: Buffer) => {
      this.lineBuf.push(c);
      if (!this.notify()) res.pause();
    });
    res.on('end', () => this.end());
    res.on('error', (e) => this.end(e));
    res.on('aborted', () => this.end(Object.assign(new Error('the server closed the connection mid-answer'), { code: 'ECONNRESET' })));
  }

  protected resume(): void {
    if (this.res.isPaused()) this.res.resume();
  }

  destroy(): void {
    this.done = true;
    this.res.destroy();
  }
}
