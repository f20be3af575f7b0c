// Rows as bytes, for text formats (csv, column) that never need a JS value per cell.
//
// A chunk is split into its small envelope, which goes through JSON.parse, and each series'
// "values" array, which stays in the response's bytes. One scan over those bytes records where
// every cell starts and ends and what it is; the formatters copy the bytes from there. Numbers
// are therefore printed exactly as the server wrote them, with no float64 on the way.

import { ExactNumber } from './lossless.js';

const MARK = Buffer.from('"values":[');

/** What a cell is; see CellScan. */
export const enum CellKind {
  /** A number, true or false: copy the bytes. */
  Bare = 0,
  Null = 1,
  /** A string of printable ASCII without escapes; start/end exclude the quotes. */
  Plain = 2,
  /** A string with escapes; start/end include the quotes (decode with JSON.parse). */
  Escaped = 3,
  /** A string without escapes but with UTF-8 beyond ASCII; start/end exclude the quotes. */
  Unicode = 4,
}

/** The cells of one values array: cell k spans src[start[k], end[k]). */
export interface CellScan {
  src: Buffer;
  /** The array's bytes: src[open, close). */
  open: number;
  close: number;
  /** Cells and rows found. */
  cells: number;
  rows: number;
  start: Int32Array;
  end: Int32Array;
  kind: Uint8Array;
  /** rowEnd[r] is the index of the first cell after row r. */
  rowEnd: Int32Array;
}

/**
 * Scans the values array whose `[` is at `open`. Returns the scan and the index just past the
 * closing `]`, or null when the bytes are not the flat array of arrays InfluxDB writes (the
 * caller then parses the whole chunk the ordinary way).
 */
export function scanValues(b: Buffer, open: number, arena: ScanArena = new ScanArena()): { scan: CellScan; close: number } | null {
  const n = b.length;
  arena.room(64, 16);
  let start = arena.start.subarray(arena.cells);
  let end = arena.end.subarray(arena.cells);
  let kind = arena.kind.subarray(arena.cells);
  let rowEnd = arena.rowEnd.subarray(arena.rows);
  let cap = start.length;
  let rowCap = rowEnd.length;
  let cells = 0;
  let rows = 0;
  let i = open + 1;
  for (;;) {
    if (i >= n) return null;
    const c = b[i]!;
    if (c === 93) {
      i++;
      break;
    }
    if (c === 44 || c === 32 || c === 10 || c === 13 || c === 9) {
      i++;
      continue;
    }
    if (c !== 91) return null;
    i++;
    for (;;) {
      if (i >= n) return null;
      const d = b[i]!;
      if (d === 93) {
        i++;
        break;
      }
      if (d === 44 || d === 32 || d === 10 || d === 13 || d === 9) {
        i++;
        continue;
      }
      if (cells === cap) {
        cap *= 2;
        start = grow(start, cap);
        end = grow(end, cap);
        const k = new Uint8Array(cap);
        k.set(kind);
        kind = k;
      }
      if (d === 34) {
        const s = i + 1;
        let k: CellKind = CellKind.Plain;
        for (i = s; ; i++) {
          if (i >= n) return null;
          const e = b[i]!;
          if (e === 34) break;
          if (e === 92) {
            k = CellKind.Escaped;
            i++;
          } else if (e >= 128 && k === CellKind.Plain) k = CellKind.Unicode;
        }
        if (k === CellKind.Escaped) {
          start[cells] = s - 1;
          end[cells] = i + 1;
        } else {
          start[cells] = s;
          end[cells] = i;
        }
        kind[cells++] = k;
        i++;
      } else if (d === 91 || d === 123) {
        return null;
      } else {
        const s = i;
        while (i < n) {
          const e = b[i]!;
          if (e === 44 || e === 93 || e === 32) break;
          i++;
        }
        start[cells] = s;
        end[cells] = i;
        kind[cells++] = b[s] === 110 ? CellKind.Null : CellKind.Bare;
      }
    }
    if (rows === rowCap) {
      rowCap *= 2;
      rowEnd = grow(rowEnd, rowCap);
    }
    rowEnd[rows++] = cells;
  }
  arena.used(cells, rows, start.buffer !== arena.start.buffer, rowEnd.buffer !== arena.rowEnd.buffer);
  return { scan: { src: b, open, close: i, cells, rows, start, end, kind, rowEnd }, close: i };
}

/**
 * The cell arrays of one line's scans, reused for the next line: fresh memory costs a page fault
 * per 4 KB. Whoever passes an arena must be done with the previous line's scans before the next.
 */
export class ScanArena {
  start = new Int32Array(0);
  end = new Int32Array(0);
  kind = new Uint8Array(0);
  rowEnd = new Int32Array(0);
  cells = 0;
  rows = 0;

  reset(): void {
    this.cells = 0;
    this.rows = 0;
  }

  /** Makes room for at least this many more cells and rows (older views stay valid). */
  room(cells: number, rows: number): void {
    if (this.start.length - this.cells < cells) {
      const size = Math.max(this.start.length * 2, this.cells + cells, 4096);
      this.start = new Int32Array(size);
      this.end = new Int32Array(size);
      this.kind = new Uint8Array(size);
      this.cells = 0;
    }
    if (this.rowEnd.length - this.rows < rows) {
      this.rowEnd = new Int32Array(Math.max(this.rowEnd.length * 2, this.rows + rows, 1024));
      this.rows = 0;
    }
  }

  /** A scan took this much; when it outgrew the arena, the next line gets a larger one. */
  used(cells: number, rows: number, cellsGrew: boolean, rowsGrew: boolean): void {
    if (cellsGrew) this.room(this.start.length + cells, 0);
    else this.cells += cells;
    if (rowsGrew) this.room(0, this.rowEnd.length + rows);
    else this.rows += rows;
  }
}

function grow(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const g = new Int32Array(cap);
  g.set(a);
  return g;
}

/** A scan that owns its bytes and arrays (a line's are reused once the next line is read). */
export function copyScan(sc: CellScan): CellScan {
  const shift = (a: Int32Array) => {
    const b = a.slice(0, sc.cells);
    for (let k = 0; k < b.length; k++) b[k]! -= sc.open;
    return b;
  };
  return {
    src: Buffer.from(sc.src.subarray(sc.open, sc.close)),
    open: 0,
    close: sc.close - sc.open,
    cells: sc.cells,
    rows: sc.rows,
    start: shift(sc.start),
    end: shift(sc.end),
    kind: sc.kind.slice(0, sc.cells),
    rowEnd: sc.rowEnd.slice(0, sc.rows),
  };
}

/** The text of a string cell (Plain, Escaped or Unicode) as a JS string. */
export function cellString(sc: CellScan, k: number): string {
  const text = sc.src.toString('utf8', sc.start[k], sc.end[k]);
  return sc.kind[k] === CellKind.Escaped ? (JSON.parse(text) as string) : text;
}

/**
 * Parses one chunk (a JSON document) with every "values" array replaced by a `rawValues`
 * CellScan; null when a values array is not in the expected shape. The sequence `"values":[`
 * cannot occur inside a JSON string (a quote there is always escaped), so every match is a key.
 */
export function parseWithRawValues(line: Buffer, arena: ScanArena = new ScanArena()): unknown {
  arena.reset();
  const parts: Buffer[] = [];
  const scans: CellScan[] = [];
  let from = 0;
  for (let at = line.indexOf(MARK); at >= 0; at = line.indexOf(MARK, from)) {
    const r = scanValues(line, at + MARK.length - 1, arena);
    if (!r) return null;
    parts.push(line.subarray(from, at), Buffer.from(`"values":[],"rawValues":${scans.length}`));
    scans.push(r.scan);
    from = r.close;
  }
  parts.push(line.subarray(from));
  const doc = JSON.parse(Buffer.concat(parts).toString('utf8')) as { results?: { series?: { rawValues?: unknown }[] }[] };
  for (const r of doc.results ?? []) {
    // The envelope holds each values array's index into `scans` where the array was.
    for (const s of r.series ?? []) if (typeof s.rawValues === 'number') s.rawValues = scans[s.rawValues];
  }
  return doc;
}

/**
 * Rows already parsed (lossless.ts values) back to a CellScan, so formatters that work on bytes
 * serve every caller: big integers go back to bare numbers.
 */
export function scanRows(rows: unknown[][]): CellScan {
  let text = '[';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    text += r ? ',[' : '[';
    for (let i = 0; i < row.length; i++) {
      if (i) text += ',';
      const v = row[i];
      if (typeof v === 'string') text += JSON.stringify(v);
      else if (v instanceof ExactNumber) text += v.text;
      else if (v === null || v === undefined) text += 'null';
      else text += typeof v === 'number' && !Number.isFinite(v) ? 'null' : String(v);
    }
    text += ']';
  }
  text += ']';
  return scanValues(Buffer.from(text, 'utf8'), 0)!.scan;
}
