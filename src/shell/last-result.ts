// Keeps the events of the last statement unit so `last` can show every row through the pager.
// Small results stay in memory; past MEMORY_ROWS the events spill to a private temp file, so a
// million-row result costs disk, not heap.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FormatEvent } from '../format/types.js';

const MEMORY_ROWS = 20000;

export class LastResult {
  private events: FormatEvent[] = [];
  private rows = 0;
  private dir: string | null = null;
  private spillPath: string | null = null;
  private spillBuf = '';
  private keepRaw = false;
  /** The file the events spilled to, or null while they are held in memory. */
  get spillFile(): string | null {
    return this.spillPath;
  }
  /** True once a unit has been recorded. */
  has = false;
  totalRows = 0;

  begin(keepRaw: boolean): void {
    this.clear();
    this.keepRaw = keepRaw;
    this.has = true;
    this.events.push({ type: 'response-start' });
  }

  record(e: FormatEvent): void {
    if (!this.has) return;
    if (e.type === 'raw' && !this.keepRaw) return;
    if (e.type === 'rows') this.totalRows += e.rows.length;
    if (this.spillPath) {
      this.spillBuf += JSON.stringify(e) + '\n';
      if (this.spillBuf.length > 1 << 20) this.flushSpill();
      return;
    }
    this.events.push(e);
    if (e.type === 'rows') {
      this.rows += e.rows.length;
      if (this.rows > MEMORY_ROWS) this.spill();
    }
  }

  private spill(): void {
    this.dir ??= mkdtempSync(join(tmpdir(), 'influxsh-last-'));
    this.spillPath = join(this.dir, 'events.jsonl');
    this.spillBuf = this.events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    this.events = [];
    this.flushSpill();
  }

  private flushSpill(): void {
    if (!this.spillPath || !this.spillBuf) return;
    appendFileSync(this.spillPath, this.spillBuf, { mode: 0o600 });
    this.spillBuf = '';
  }

  /** Every recorded event, in order. */
  *replay(): Generator<FormatEvent> {
    if (this.spillPath) {
      this.flushSpill();
      const text = readFileSync(this.spillPath, 'utf8');
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (nl > start) yield JSON.parse(text.slice(start, nl)) as FormatEvent;
        start = nl + 1;
      }
    } else yield* this.events;
  }

  clear(): void {
    this.events = [];
    this.rows = 0;
    this.totalRows = 0;
    this.spillBuf = '';
    if (this.spillPath) rmSync(this.spillPath, { force: true });
    this.spillPath = null;
    this.has = false;
  }

  dispose(): void {
    this.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
