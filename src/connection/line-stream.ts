// An answer's body as a stream of lines (InfluxDB writes one JSON document per line when it
// answers in chunks). client.ts feeds it body bytes with the framing already undone; each byte
// is copied once, straight into the line it belongs to.

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

/** A line queue fed by the transport (client.ts); the consumer's side. */
export abstract class QueuedLines implements LineStream {
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
    // Copied: a line's buffer is reused once the next one is asked for.
    for await (const l of this.lines()) parts.push(Buffer.from(l), NEWLINE);
    return Buffer.concat(parts).toString('utf8').replace(/\n$/, '');
  }
}

const NEWLINE = Buffer.from('\n');
