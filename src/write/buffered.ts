// A bounded, batching, retrying point writer for long-running producers (the sample service,
// collect, load --record). Lines are sealed into batches by size or by a timer, sent one batch
// at a time through writeWithRetry, and held while InfluxDB is away; past the bound the oldest
// waiting batch is dropped and counted, never silently. A missing database is created on demand.
import { statusMessage, type InfluxHttp } from '../connection/http.js';
import { writeWithRetry, type RetryPolicy } from './retry.js';
import type { WriteResult, WriteTarget } from './write.js';

export interface BufferedWriterOptions {
  /** Lines per POST (default 5000). */
  batchSize?: number;
  /** Seal and send what is pending at least this often (default 1000 ms). */
  flushIntervalMs?: number;
  /** Most lines held (pending + waiting + in flight) before the oldest waiting batch is dropped (default 100000). */
  maxBufferLines?: number;
  /** Create the database when a write says it does not exist (default true). */
  createDatabase?: boolean;
  retry?: Partial<RetryPolicy>;
  /** Called on trouble and recovery, once per state change, so a caller can tell the user. */
  onStatus?: (event: WriterStatus) => void;
}

export type WriterStatus =
  { kind: 'unavailable'; error: string } | { kind: 'recovered'; afterMs: number } | { kind: 'dropped'; lines: number; reason: string } | { kind: 'rejected'; lines: number; error: string };

export interface WriterStats {
  /** Lines accepted by the server. */
  written: number;
  /** Lines dropped because the buffer was full or time ran out at close. */
  dropped: number;
  /** Lines the server refused for good (4xx). */
  rejected: number;
  /** Lines not yet written. */
  pending: number;
  batches: number;
  retries: number;
  lastError?: string;
}

interface Batch {
  body: Buffer;
  lines: number;
  /** The whole buffer the body is a view of, reused once the batch is done. */
  chunk: Buffer;
}

export class BufferedWriter {
  // Lines are copied into a byte buffer as they arrive, so they die young instead of being
  // retained as thousands of strings until the next flush (which made the GC work hard).
  private chunk: Buffer = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private lines = 0;
  private readonly queue: Batch[] = [];
  /** Buffers of finished batches, reused so steady writing allocates (and collects) nothing. */
  private readonly spare: Buffer[] = [];
  private held = 0;
  private sending: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private downSince = 0;
  private readonly abort = new AbortController();
  private readonly o: Required<Omit<BufferedWriterOptions, 'retry' | 'onStatus'>> & Pick<BufferedWriterOptions, 'retry' | 'onStatus'>;
  readonly stats: WriterStats = { written: 0, dropped: 0, rejected: 0, pending: 0, batches: 0, retries: 0 };

  constructor(
    private readonly conn: InfluxHttp,
    private readonly target: WriteTarget,
    opts: BufferedWriterOptions = {},
  ) {
    this.o = {
      batchSize: opts.batchSize ?? 5000,
      flushIntervalMs: opts.flushIntervalMs ?? 1000,
      maxBufferLines: opts.maxBufferLines ?? 100_000,
      createDatabase: opts.createDatabase ?? true,
      retry: opts.retry,
      onStatus: opts.onStatus,
    };
    if (this.o.batchSize < 1 || this.o.maxBufferLines < 1) throw new RangeError('batchSize and maxBufferLines must be positive');
    // The bound must hold a batch in flight and one filling up.
    this.o.batchSize = Math.min(this.o.batchSize, Math.max(1, Math.floor(this.o.maxBufferLines / 2)));
  }

  /** Adds one line of line protocol (no trailing newline). */
  add(line: string): void {
    if (this.closed) {
      this.stats.dropped++;
      return;
    }
    this.room(line.length * 3 + 1);
    this.used += this.chunk.write(line, this.used, 'utf8');
    this.lineAdded();
  }

  /**
   * Adds one line that `encode` writes straight into the batch buffer at `offset` (at most
   * `maxBytes`, no newline), returning the offset after it: a hot producer builds no string.
   */
  addEncoded(maxBytes: number, encode: (buf: Buffer, offset: number) => number): void {
    if (this.closed) {
      this.stats.dropped++;
      return;
    }
    this.room(maxBytes + 1);
    this.used = encode(this.chunk, this.used);
    this.lineAdded();
  }

  private room(bytes: number): void {
    if (this.used + bytes > this.chunk.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.chunk.length * 2, this.used + bytes));
      this.chunk.copy(bigger, 0, 0, this.used);
      this.chunk = bigger;
    }
  }

  private lineAdded(): void {
    this.chunk[this.used++] = 10;
    this.lines++;
    this.held++;
    if (this.lines >= this.o.batchSize) this.seal();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.seal();
      }, this.o.flushIntervalMs);
      this.timer.unref();
    }
    if (this.held > this.o.maxBufferLines) this.shed();
  }

  get pending(): number {
    return this.held;
  }

  /** Seals what is pending and resolves once everything added so far is written or given up. */
  async flush(): Promise<void> {
    this.seal();
    while (this.sending) await this.sending;
  }

  /** Flushes and stops. Lines still unwritten after `timeoutMs` are counted as dropped. */
  async close(timeoutMs = 10_000): Promise<WriterStats> {
    this.closed = true;
    const timer = setTimeout(() => this.abort.abort(), timeoutMs);
    timer.unref();
    try {
      await this.flush();
    } finally {
      clearTimeout(timer);
    }
    if (this.held > 0) {
      this.stats.dropped += this.held;
      this.o.onStatus?.({ kind: 'dropped', lines: this.held, reason: 'InfluxDB still unavailable at shutdown' });
      this.held = 0;
      this.queue.length = 0;
      this.used = this.lines = 0;
    }
    this.stats.pending = 0;
    return { ...this.stats };
  }

  private seal(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.lines === 0) return;
    this.queue.push({ body: this.chunk.subarray(0, this.used - 1), lines: this.lines, chunk: this.chunk });
    // The next batch will likely be about as big as this one.
    const want = Math.max(64 * 1024, Math.ceil(this.used * 1.25));
    const reuse = this.spare.findIndex((b) => b.length >= want);
    this.chunk = reuse >= 0 ? this.spare.splice(reuse, 1)[0]! : Buffer.allocUnsafe(want);
    this.used = this.lines = 0;
    if (!this.sending) this.sending = this.drain().finally(() => (this.sending = undefined));
  }

  /** Drops the oldest waiting batches (not the one in flight) until under the bound. */
  private shed(): void {
    let lost = 0;
    while (this.held > this.o.maxBufferLines && this.queue.length > 0) {
      const b = this.queue.shift()!;
      this.held -= b.lines;
      lost += b.lines;
    }
    if (this.held > this.o.maxBufferLines && this.lines > 0) {
      this.held -= this.lines;
      lost += this.lines;
      this.used = this.lines = 0;
    }
    if (lost > 0) {
      this.stats.dropped += lost;
      this.o.onStatus?.({ kind: 'dropped', lines: lost, reason: `buffer full (${this.o.maxBufferLines} lines)` });
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.shift()!;
      const ok = await this.send(batch.body, batch.lines);
      if (this.spare.length < 4) this.spare.push(batch.chunk);
      this.held -= batch.lines;
      this.stats.batches++;
      if (ok === true) this.stats.written += batch.lines;
      else if (ok === 'rejected') this.stats.rejected += batch.lines;
      else if (typeof ok === 'object') {
        this.stats.written += ok.written;
        this.stats.rejected += ok.rejected;
      } else {
        this.stats.dropped += batch.lines;
        this.o.onStatus?.({ kind: 'dropped', lines: batch.lines, reason: this.stats.lastError ?? 'write failed' });
      }
      this.stats.pending = this.held;
    }
  }

  private async send(body: Buffer, lines: number): Promise<true | 'rejected' | 'gave-up' | { written: number; rejected: number }> {
    for (let createdDb = false; ;) {
      const r = await writeWithRetry(this.conn, this.target, body, {
        policy: { deadlineMs: Number.POSITIVE_INFINITY, minDelayMs: 100, maxDelayMs: 1000, ...this.o.retry },
        signal: this.abort.signal,
        onRetry: (res) => {
          this.stats.retries++;
          this.noteDown(res);
        },
      });
      if (r.ok) {
        if (this.downSince) {
          this.o.onStatus?.({ kind: 'recovered', afterMs: Date.now() - this.downSince });
          this.downSince = 0;
        }
        return true;
      }
      // Cut short at close: the server's last answer says more than the abort.
      if (!(this.abort.signal.aborted && this.stats.lastError)) this.stats.lastError = r.error;
      if (r.status === 404 && /database not found/i.test(r.error ?? '') && this.o.createDatabase && !createdDb) {
        createdDb = await createDatabase(this.conn, this.target.database ?? '');
        if (createdDb) continue;
      }
      if (r.retryable || this.abort.signal.aborted) return 'gave-up';
      const refused = partiallyWritten(r.error, lines);
      this.o.onStatus?.({ kind: 'rejected', lines: refused, error: r.error ?? `status ${r.status}` });
      return refused < lines ? { written: lines - refused, rejected: refused } : 'rejected';
    }
  }

  private noteDown(r: WriteResult): void {
    this.stats.lastError = r.error;
    if (!this.downSince) {
      this.downSince = Date.now();
      this.o.onStatus?.({ kind: 'unavailable', error: r.error ?? `status ${r.status}` });
    }
  }
}

const CREATE_DATABASE_TIMEOUT_MS = 5_000;

/** CREATE DATABASE (idempotent on 1.x); false when the server cannot be reached, refuses or does not answer in time. */
export async function createDatabase(conn: InfluxHttp, database: string): Promise<boolean> {
  return (await createDatabaseError(conn, database)) === undefined;
}

/** CREATE DATABASE; undefined when done, else one line saying why (unreachable, authentication, …). */
export async function createDatabaseError(conn: InfluxHttp, database: string): Promise<string | undefined> {
  if (!database) return 'no database name';
  try {
    const res = await conn.fetchText('/query', {
      method: 'POST',
      params: { q: `CREATE DATABASE "${database.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` },
      // A server that accepts connections and never answers must not hold up the caller's start.
      timeoutMs: conn.settings.timeoutMs || CREATE_DATABASE_TIMEOUT_MS,
    });
    if (res.status === 200 && !/"error"/.test(res.text)) return undefined;
    const error = res.status === 200 ? resultError(res.text) : statusMessage(res.status, res.text);
    return `cannot create database "${database}" at ${conn.displayUrl}: ${error}`;
  } catch (e) {
    // Transport errors already name the server and what to check.
    return (e as Error).message;
  }
}

function resultError(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: string; results?: { error?: string }[] };
    return j.results?.find((r) => r.error)?.error ?? j.error ?? text.trim().slice(0, 200);
  } catch {
    return text.trim().slice(0, 200);
  }
}

/** Lines refused by a 1.x "partial write" answer (the rest were stored); all of them otherwise. */
export function partiallyWritten(error: string | undefined, lines: number): number {
  if (!error || !/partial write/.test(error)) return lines;
  const unparsable = error.split('unable to parse').length - 1;
  const dropped = Number(/dropped=(\d+)/.exec(error)?.[1] ?? 0);
  return Math.min(lines, Math.max(1, unparsable + dropped));
}
