import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Sink } from './types.js';

/**
 * Collects output in one byte buffer and writes it in one piece per flush, waiting for 'drain'
 * so memory stays flat. The buffer is reused once the stream has taken all of it (files and
 * /dev/null at once, pipes after 'drain'): fresh memory costs a page fault per 4 KB.
 */
export class StreamSink implements Sink {
  protected buf = Buffer.allocUnsafe(1 << 16);
  protected len = 0;
  private resolved: Writable | undefined;

  /** The stream, or a function that gives it when it is first needed. */
  constructor(private readonly target: Writable | (() => Writable)) {}

  private get stream(): Writable {
    return (this.resolved ??= typeof this.target === 'function' ? this.target() : this.target);
  }

  write(text: string): void {
    if (!text) return;
    this.room(text.length * 3);
    this.len += this.buf.write(text, this.len, 'utf8');
  }

  /** Copies the bytes: callers may reuse theirs (see `scratch`). */
  writeBytes(bytes: Uint8Array): void {
    if (!bytes.length) return;
    this.room(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  get pending(): number {
    return this.len;
  }

  async flush(): Promise<void> {
    if (!this.len) return;
    const out = this.buf.subarray(0, this.len);
    this.len = 0;
    if (!this.stream.write(out)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
        this.stream.on('close', done);
      });
    }
    // Still queued in the stream: the next output needs a buffer of its own.
    if (this.stream.writableLength > 0) this.buf = Buffer.allocUnsafe(this.buf.length);
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}

/**
 * Standard output written with write(2) on fd 1 while it takes the bytes: process.stdout, for a
 * terminal or a pipe, is a net.Socket, and building it loads net and the stream modules, a good
 * part of a one-shot run's start. A blocking write is the back-pressure. A descriptor set
 * non-blocking by someone else (EAGAIN) hands the rest of the run to process.stdout, in order. A
 * reader that went away (EPIPE) ends the run quietly, as main.ts does for process.stdout.
 */
export class StdoutSink extends StreamSink {
  private direct = true;

  constructor() {
    // process.stdout is only built when the descriptor cannot be written directly.
    super(() => process.stdout);
  }

  override async flush(): Promise<void> {
    if (!this.direct) return super.flush();
    let off = 0;
    try {
      while (off < this.len) off += writeSync(1, this.buf, off, this.len - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw Object.assign(new Error(`cannot write the output: ${code ?? (e as Error).message}`), { code });
      this.direct = false;
      this.buf.copyWithin(0, off, this.len);
      this.len -= off;
      return super.flush();
    }
    this.len = 0;
  }
}

let scratchBuf = Buffer.allocUnsafe(1 << 16);

/**
 * A buffer of at least `n` bytes for output that is handed to a sink at once (`writeBytes`):
 * the same memory every time, so formatting a million rows touches no fresh pages.
 */
export function scratch(n: number): Buffer {
  if (scratchBuf.length < n) scratchBuf = Buffer.allocUnsafe(Math.max(n, scratchBuf.length * 2));
  return scratchBuf;
}

/** Hands bytes to the sink, as text when it takes only strings. */
export function writeBytes(sink: Sink, b: Buffer): void {
  if (sink.writeBytes) sink.writeBytes(b);
  else sink.write(b.toString('utf8'));
}
