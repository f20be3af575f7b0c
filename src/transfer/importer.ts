// The import pipeline: read bytes → find lines and records → run DDL, follow CONTEXT lines,
// cut batches by records and bytes → send several batches at once → count and record rejects.
// Batches are contiguous byte ranges of the input, so the happy path never decodes a line.
import type { InfluxHttp } from '../connection/http.js';
import { queryValues } from '../query/execute.js';
import type { WriteResult, WriteTarget } from '../write/write.js';
import type { RetryPolicy } from '../write/retry.js';
import { UserError } from '../cli/errors.js';
import { LineKind, lineKind, scanLine, type QuoteState } from './records.js';
import { batchRecords, sendBatch, type Batch, type Rejection } from './send.js';

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
  private mode: Mode = 'start';
  private db: string | undefined;
  private rp: string | undefined;
  private lineNo = 0;
  // The batch being cut: slices of input chunks, and the chunk each slice is in (see `hold`).
  private parts: Buffer[] = [];
  private owners: (Buffer | undefined)[] = [];
  private partBytes = 0;
  private points = 0;
  private firstLine = 0;
  // A record whose string field runs past the end of a line.
  private open: QuoteState | null = null;
  private readonly inflight = new Set<Promise<void>>();
  private dispatched = 0;
  private readonly started = Date.now();
  private stop = false;

  /** Stops reading (e.g. on Ctrl-C); batches already sent are still awaited. */
  requestStop(reason: string): void {
    this.stop = true;
    this.stats.stoppedAt ??= reason;
  }
  private readonly missingDbs = new Map<string, string>();
  /** Input chunks whose bytes are still referred to, by the reader or by batches, with a count. */
  private readonly refs = new Map<Buffer, number>();
  private release: ((chunk: Buffer) => void) | undefined;

  constructor(
    private readonly conn: InfluxHttp,
    private readonly cfg: ImportConfig,
    private readonly events: ImportEvents,
  ) {
    this.db = cfg.database;
    this.rp = cfg.retentionPolicy;
  }

  /**
   * Imports everything; on a read error, what was already cut is still sent before it throws.
   * With `release`, each chunk is handed back once no batch needs its bytes, so it can be reused.
   */
  async run(input: AsyncIterable<Buffer>, release?: (chunk: Buffer) => void): Promise<ImportStats> {
    this.release = release;
    let carry: Buffer | undefined;
    let carryChunk: Buffer | undefined; // the chunk `carry` is a slice of
    try {
      for await (const chunk of input) {
        this.hold(chunk);
        let buf = chunk;
        if (carry) {
          // Only the line cut by the chunk boundary is copied; the rest of the chunk is used in place.
          const nl = chunk.indexOf(NL);
          const head = Buffer.concat([carry, nl < 0 ? chunk : chunk.subarray(0, nl + 1)]);
          if (carryChunk) this.drop(carryChunk);
          carryChunk = undefined;
          if (nl < 0) {
            carry = head;
            this.drop(chunk);
            continue;
          }
          carry = undefined;
          await this.consume(head, false);
          if (this.stop) break;
          buf = chunk.subarray(nl + 1);
        }
        const used = await this.consume(buf, false, chunk);
        if (used < buf.length) {
          carry = buf.subarray(used);
          carryChunk = chunk;
        } else this.drop(chunk);
        if (this.stop) break;
      }
      if (!this.stop && carry?.length) await this.consume(Buffer.concat([carry, Buffer.from('\n')]), true);
      if (carryChunk) this.drop(carryChunk);
      if (!this.stop) await this.flush();
    } finally {
      if (this.stop) {
        this.stats.read -= this.points;
        this.points = 0;
      }
      await Promise.all(this.inflight);
    }
    return this.stats;
  }

  /** Handles every complete line of buf; returns how many bytes were used. */
  private async consume(buf: Buffer, last: boolean, owner?: Buffer): Promise<number> {
    let pos = 0;
    let rangeStart = 0; // start of the part of buf that belongs to the current batch
    let nextQuote = -2; // position of the next '"' at or after pos (-1: none), found lazily
    const n = buf.length;
    while (pos < n) {
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) break;
      this.lineNo++;
      if (this.open) {
        if (!scanLine(buf, pos, nl, this.open)) this.open = null;
        pos = nl + 1;
        if (!this.open && this.full()) {
          rangeStart = await this.cut(buf, rangeStart, pos, owner);
          if (this.stop) return n;
        }
        continue;
      }
      const kind = lineKind(buf, pos, nl);
      if (this.mode === 'dml' && kind === LineKind.Data) {
        if (this.points === 0) {
          rangeStart = pos;
          this.firstLine = this.lineNo;
        }
        this.points++;
        this.stats.read++;
        if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf(34, pos);
        if (nextQuote >= 0 && nextQuote < nl) {
          const st: QuoteState = { phase: 0, inString: false };
          if (scanLine(buf, pos, nl, st)) this.open = st;
        }
        pos = nl + 1;
        if (!this.open && this.full()) {
          rangeStart = await this.cut(buf, rangeStart, pos, owner);
          if (this.stop) return n;
        }
        continue;
      }
      if (kind === LineKind.Blank) {
        pos = nl + 1;
        continue;
      }
      // A comment, a section header, a CONTEXT line, a DDL statement or the first data line.
      const text = buf.toString('utf8', pos, nl).replace(/\r$/, '').trim();
      if (kind === LineKind.Comment) {
        const ctx = text.startsWith(CTX_DB) ? 'db' : text.startsWith(CTX_RP) ? 'rp' : undefined;
        if (DML_HEADER.test(text) || (this.mode === 'start' && ctx)) this.enterDml();
        else if (this.mode === 'start' && DDL_HEADER.test(text)) this.mode = 'ddl';
        if (ctx && this.mode === 'dml') {
          // 1.x takes the text between the first and second colon; a name may contain colons here.
          const value = text.slice(text.indexOf(':') + 1).trim();
          if ((ctx === 'db' ? this.db : this.rp ?? '') !== value) {
            this.take(buf, rangeStart, pos, owner);
            await this.flush();
            if (ctx === 'db') this.db = value || undefined;
            else this.rp = value || undefined;
            rangeStart = nl + 1;
          }
        }
        pos = nl + 1;
        continue;
      }
      // 1.x runs everything before "# DML" as statements, with or without a "# DDL" header.
      if (this.mode === 'start' && STATEMENT.test(text)) this.mode = 'ddl';
      if (this.mode === 'ddl') {
        this.take(buf, rangeStart, pos, owner);
        await this.runDdl(text, this.lineNo);
        pos = nl + 1;
        rangeStart = pos;
        if (this.stop) return n;
        continue;
      }
      // First data line of a plain line-protocol file.
      this.enterDml();
      this.lineNo--;
      rangeStart = pos;
    }
    if (last && this.open) this.open = null;
    this.take(buf, rangeStart, pos, owner);
    return pos;
  }

  private enterDml(): void {
    this.mode = 'dml';
  }

  private full(): boolean {
    return this.points >= this.cfg.batchLines || this.partBytes >= this.cfg.batchBytes;
  }

  /** Sends the full batch that ends at `end`; the next one starts there. */
  private async cut(buf: Buffer, start: number, end: number, owner: Buffer | undefined): Promise<number> {
    this.take(buf, start, end, owner);
    await this.flush();
    return end;
  }

  /** Adds buf[start, end) (a slice of the input chunk `owner`, if any) to the current batch when it holds records. */
  private take(buf: Buffer, start: number, end: number, owner: Buffer | undefined): void {
    if (end <= start || this.points === 0) return;
    this.parts.push(buf.subarray(start, end));
    this.owners.push(owner);
    if (owner) this.hold(owner);
    this.partBytes += end - start;
  }

  /** Counts a use of an input chunk (the chunk object the input yielded, not a slice of it). */
  private hold(chunk: Buffer): void {
    if (this.release) this.refs.set(chunk, (this.refs.get(chunk) ?? 0) + 1);
  }

  private drop(chunk: Buffer): void {
    const n = this.refs.get(chunk);
    if (n === undefined) return;
    if (n > 1) this.refs.set(chunk, n - 1);
    else {
      this.refs.delete(chunk);
      this.release!(chunk);
    }
  }

  private dropAll(owners: (Buffer | undefined)[]): void {
    for (const o of owners) if (o) this.drop(o);
  }

  private async flush(): Promise<void> {
    if (this.points === 0) {
      this.dropAll(this.owners);
      this.parts = [];
      this.owners = [];
      this.partBytes = 0;
      return;
    }
    if (!this.db) {
      throw new UserError(`line ${this.firstLine}: no database for this line protocol: pass -database or add a "# CONTEXT-DATABASE: <name>" line`, 2);
    }
    const batch: Batch = {
      target: { database: this.db, retentionPolicy: this.rp, precision: this.cfg.precision, consistency: this.cfg.consistency },
      body: this.parts,
      points: this.points,
      firstLine: this.firstLine,
    };
    const owners = this.owners;
    this.parts = [];
    this.owners = [];
    this.partBytes = 0;
    this.points = 0;
    await this.throttle(batch.points);
    while (this.inflight.size >= this.cfg.concurrency) await Promise.race(this.inflight);
    if (this.stop) {
      // Stopped while this batch waited: it was never sent, so it does not count as read.
      this.stats.read -= batch.points;
      this.dropAll(owners);
      return;
    }
    const p = this.send(batch).finally(() => {
      this.inflight.delete(p);
      this.dropAll(owners);
    });
    this.inflight.add(p);
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
      outcome = await sendBatch(this.conn, batch, { policy: this.cfg.retry, onRetry: this.events.onRetry });
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
