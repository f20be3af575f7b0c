// The import pipeline: read bytes → find lines and records → run DDL, follow CONTEXT lines,
// route each record to its series' lane (lanes.ts) and cut batches by records and bytes → send
// several batches at once, a lane's in order → count and record rejects. The happy path never
// decodes a line: records are found and copied as bytes.
import type { InfluxHttp } from '../connection/http.js';
import { queryValues } from '../query/execute.js';
import type { WriteResult, WriteTarget } from '../write/write.js';
import { Outage, type RetryPolicy } from '../write/retry.js';
import { TransferError } from './errors.js';
import { LineKind, lineKind, scanLine, type QuoteState } from './records.js';
import { batchRecords, sendBatch, type Batch, type Rejection } from './send.js';
import { BufferPool, LaneBuffer, LaneScheduler, seriesHash } from './lanes.js';

export interface ImportConfig {
  database?: string;
  retentionPolicy?: string;
  precision?: string;
  consistency?: string;
  batchLines: number;
  batchBytes: number;
  concurrency: number;
  /** Points per second, 0 = unlimited. */
  pps: number;
  strict: boolean;
  retry: Partial<RetryPolicy>;
}

export interface ImportEvents {
  /** Records that did not land, per batch. */
  onRejected(target: WriteTarget, rejected: Rejection[]): Promise<void>;
  onDdlError(line: number, statement: string, error: string): void;
  onRetry?(r: WriteResult, attempt: number, delayMs: number): void;
}

export interface ImportStats {
  read: number;
  written: number;
  rejected: number;
  ddl: number;
  ddlFailed: number;
  /** Set when --strict stopped the import early. */
  stoppedAt?: string;
}

const NL = 10;
const DDL_HEADER = /^#\s*DDL\b/;
const DML_HEADER = /^#\s*DML\b/;
const CTX_DB = '# CONTEXT-DATABASE:';
const CTX_RP = '# CONTEXT-RETENTION-POLICY:';

type Mode = 'start' | 'ddl' | 'dml';

/** A first line that is an InfluxQL statement rather than line protocol (which needs a '='). */
const STATEMENT = /^(CREATE|DROP|ALTER|GRANT|REVOKE|DELETE|SET|KILL)\s[^=]*$/i;

export class Importer {
  readonly stats: ImportStats = { read: 0, written: 0, rejected: 0, ddl: 0, ddlFailed: 0 };
  /** Failing writes with none landing, across all batches: --retry-for is spent once per outage. */
  readonly outage = new Outage();
  private mode: Mode = 'start';
  private db: string | undefined;
  private rp: string | undefined;
  private lineNo = 0;
  // A record whose string field runs past the end of a line, and the lane it is going to.
  private open: QuoteState | null = null;
  private openLane = 0;
  private readonly pool: BufferPool;
  private readonly lanes: LaneBuffer[];
  private readonly scheduler: LaneScheduler;
  private dispatched = 0;
  private readonly started = Date.now();
  private stop = false;
  private readonly missingDbs = new Map<string, string>();

  constructor(
    private readonly conn: InfluxHttp,
    private readonly cfg: ImportConfig,
    private readonly events: ImportEvents,
  ) {
    this.db = cfg.database;
    this.rp = cfg.retentionPolicy;
    const n = Math.max(1, cfg.concurrency);
    // Buffers: one filling per lane, up to 2n waiting and n in flight, plus spares.
    this.pool = new BufferPool(4 * n + 2);
    this.lanes = Array.from({ length: n }, () => new LaneBuffer(this.pool));
    this.scheduler = new LaneScheduler(n, cfg.concurrency, {
      send: (batch) => this.send(batch),
      done: (buffer) => this.pool.put(buffer),
      stopped: () => this.stop,
    });
  }

  /** Stops reading (e.g. on Ctrl-C); batches already sent are still awaited. */
  requestStop(reason: string): void {
    this.stop = true;
    this.stats.stoppedAt ??= reason;
  }

  /**
   * Imports everything. On a read error (a truncated or corrupt .gz, a failing disk) every complete
   * line read so far is still sent and settled before the error is thrown, so the counts are what
   * the server holds. Records are copied into the lanes, so each chunk goes back through `release`
   * once it is read.
   */
  async run(input: AsyncIterable<Buffer>, release?: (chunk: Buffer) => void): Promise<ImportStats> {
    let carry: Buffer | undefined; // the start of a line cut by the end of the previous chunk
    let readError: unknown;
    try {
      try {
        for await (const chunk of input) {
          let buf = chunk;
          if (carry) {
            const nl = chunk.indexOf(NL);
            if (nl < 0) {
              carry = Buffer.concat([carry, chunk]);
              release?.(chunk);
              continue;
            }
            const head = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
            carry = undefined;
            await this.consume(head, false);
            buf = chunk.subarray(nl + 1);
          }
          const used = this.stop ? buf.length : await this.consume(buf, false);
          if (used < buf.length) carry = Buffer.from(buf.subarray(used));
          release?.(chunk);
          if (this.stop) break;
        }
      } catch (e) {
        // The bytes after the last newline may be cut anywhere: they are not a complete line.
        readError = e;
        carry = undefined;
      }
      if (!this.stop && carry?.length) await this.consume(Buffer.concat([carry, Buffer.from('\n')]), true);
      if (!this.stop) await this.flush();
    } finally {
      if (this.stop) this.discardUnsent();
      await this.scheduler.settle();
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the input's read error once every complete line read is settled
    if (readError !== undefined) throw readError;
    return this.stats;
  }

  /** Handles every complete line of buf; returns how many bytes were used. */
  private async consume(buf: Buffer, last: boolean): Promise<number> {
    let pos = 0;
    let nextQuote = -2; // position of the next '"' at or after pos (-1: none), found lazily
    const n = buf.length;
    const lanes = this.lanes;
    const laneCount = lanes.length;
    // The run of consecutive record lines going to one lane, not yet copied: buf[runStart, pos).
    let runLane = -1;
    let runStart = 0;
    while (pos < n) {
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) break;
      this.lineNo++;
      let li: number; // the lane this line goes to
      if (this.open) {
        // The next line of a record whose string field spans lines.
        li = this.openLane;
        lanes[li]!.extend(nl + 1 - pos);
        if (!scanLine(buf, pos, nl, this.open)) this.open = null;
      } else {
        const kind = lineKind(buf, pos, nl);
        if (this.mode !== 'dml' || kind !== LineKind.Data) {
          if (runLane >= 0) lanes[runLane]!.append(buf, runStart, pos);
          runLane = -1;
          if (kind === LineKind.Blank || (await this.control(buf, pos, nl, kind))) pos = nl + 1;
          else this.lineNo--; // the first data line of a plain line-protocol file: read it again as data
          if (this.stop) return n;
          continue;
        }
        if (!this.db) {
          throw new TransferError(`line ${this.lineNo}: no database for this line protocol: pass -database or add a "# CONTEXT-DATABASE: <name>" line`, true);
        }
        li = laneCount === 1 ? 0 : seriesHash(buf, pos, nl) % laneCount;
        lanes[li]!.startRecord(this.lineNo, nl + 1 - pos);
        this.stats.read++;
        if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf(34, pos);
        if (nextQuote >= 0 && nextQuote < nl) {
          const st: QuoteState = { phase: 0, inString: false };
          if (scanLine(buf, pos, nl, st)) {
            this.open = st;
            this.openLane = li;
          }
        }
      }
      if (li !== runLane) {
        if (runLane >= 0) lanes[runLane]!.append(buf, runStart, pos);
        runLane = li;
        runStart = pos;
      }
      pos = nl + 1;
      const lane = lanes[li]!;
      if (!this.open && this.full(lane)) {
        lane.append(buf, runStart, pos);
        runLane = -1;
        await this.cut(li);
        if (this.stop) return n;
      }
    }
    if (runLane >= 0) lanes[runLane]!.append(buf, runStart, pos);
    if (last && this.open) this.open = null;
    return pos;
  }

  /**
   * A line that is not a record: a comment, a section header, a CONTEXT line or a DDL statement.
   * Returns false for the first data line of a plain line-protocol file, which is then read as data.
   */
  private async control(buf: Buffer, pos: number, nl: number, kind: LineKind): Promise<boolean> {
    const text = buf.toString('utf8', pos, nl).replace(/\r$/, '').trim();
    if (kind === LineKind.Comment) {
      const ctx = text.startsWith(CTX_DB) ? 'db' : text.startsWith(CTX_RP) ? 'rp' : undefined;
      if (DML_HEADER.test(text) || (this.mode === 'start' && ctx)) this.enterDml();
      else if (this.mode === 'start' && DDL_HEADER.test(text)) this.mode = 'ddl';
      if (ctx && this.mode === 'dml') {
        // 1.x takes the text between the first and second colon; a name may contain colons here.
        const value = text.slice(text.indexOf(':') + 1).trim();
        if ((ctx === 'db' ? this.db : (this.rp ?? '')) !== value) {
          // What was collected goes to the old target.
          for (let i = 0; i < this.lanes.length; i++) await this.cut(i);
          if (ctx === 'db') this.db = value || undefined;
          else this.rp = value || undefined;
        }
      }
      return true;
    }
    // 1.x runs everything before "# DML" as statements, with or without a "# DDL" header.
    if (this.mode === 'start' && STATEMENT.test(text)) this.mode = 'ddl';
    if (this.mode === 'ddl') {
      await this.runDdl(text, this.lineNo);
      return true;
    }
    this.enterDml();
    return false;
  }

  private enterDml(): void {
    this.mode = 'dml';
  }

  private full(lane: LaneBuffer): boolean {
    return lane.points >= this.cfg.batchLines || lane.size >= this.cfg.batchBytes;
  }

  /** Turns lane `li`'s records into a batch for the current target, and sends what can be sent. */
  private async cut(li: number): Promise<void> {
    const lane = this.lanes[li]!;
    if (lane.points === 0) return;
    const t = lane.take();
    const batch: Batch = {
      target: { database: this.db, retentionPolicy: this.rp, precision: this.cfg.precision, consistency: this.cfg.consistency },
      body: [t.body],
      points: t.points,
      lines: t.lines,
    };
    this.scheduler.add(li, batch, t.buffer);
    await this.throttle(t.points);
    await this.scheduler.pump(false);
  }

  /** Cuts every lane and sends everything, keeping each lane's batches in order. */
  private async flush(): Promise<void> {
    for (let i = 0; i < this.lanes.length; i++) await this.cut(i);
    await this.scheduler.pump(true);
  }

  /** After a stop: records read but never sent do not count as read. */
  private discardUnsent(): void {
    for (const lane of this.lanes) this.stats.read -= lane.clear();
    this.stats.read -= this.scheduler.discard();
  }

  private async throttle(points: number): Promise<void> {
    if (this.cfg.pps > 0) {
      const due = this.started + (this.dispatched / this.cfg.pps) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    this.dispatched += points;
  }

  private async send(batch: Batch): Promise<void> {
    const db = batch.target.database!;
    const missing = this.missingDbs.get(db);
    let outcome;
    if (missing) {
      outcome = { written: 0, rejected: batchRecords(batch).map((r) => ({ line: r.line, text: r.text, error: missing })) };
    } else {
      outcome = await sendBatch(this.conn, batch, { policy: this.cfg.retry, outage: this.outage, onRetry: this.events.onRetry });
      const first = outcome.rejected[0];
      if (first && /database not found/.test(first.error)) {
        const msg = `database "${db}" does not exist: create it first (e.g. CREATE DATABASE in the file's # DDL section)`;
        for (const r of outcome.rejected) r.error = msg;
        this.missingDbs.set(db, msg);
      }
    }
    this.stats.written += outcome.written;
    if (outcome.rejected.length) {
      this.stats.rejected += outcome.rejected.length;
      await this.events.onRejected(batch.target, outcome.rejected);
      if (this.cfg.strict) {
        this.stop = true;
        this.stats.stoppedAt ??= `line ${outcome.rejected[0]!.line}: ${outcome.rejected[0]!.error}`;
      }
    }
  }

  private async runDdl(statement: string, line: number): Promise<void> {
    this.stats.ddl++;
    const deadline = Date.now() + (this.cfg.retry.deadlineMs ?? 60_000);
    let error: string | undefined;
    for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
      try {
        error = (await queryValues(this.conn, statement, { database: this.cfg.database })).error;
        break;
      } catch (e) {
        if (Date.now() + delay > deadline) {
          error = (e as Error).message;
          break;
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    if (error !== undefined) {
      this.stats.ddlFailed++;
      this.events.onDdlError(line, statement, error);
      if (this.cfg.strict) {
        this.stop = true;
        this.stats.stoppedAt = `line ${line}: ${statement}: ${error}`;
      }
    }
  }
}
