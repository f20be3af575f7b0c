// Chunked /query JSON straight to line-protocol bytes, without building a JS value per cell.
// The chunk is split by parseWithRawValues (query/raw-values.ts), as for csv and column. Number
// cells are copied as the server wrote them (so 64-bit integers and ns timestamps stay exact
// with no big-number handling); strings that use no escapes other than \" and \\ are copied
// too, since JSON and line protocol escape those two alike.
import { escape } from '@influxdata/influxdb-client';
import { CellKind, parseWithRawValues, ScanArena, type CellScan } from '../query/raw-values.js';
import { keyText, seriesKey, type FieldType } from './lineproto.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const SPACE = 32;
const NL = 10;

interface SeriesHead {
  name?: string;
  tags?: Record<string, string>;
  columns?: string[];
  rawValues?: CellScan;
}

/** How each column is written: its "key=" bytes and the suffix its numbers take. */
interface Layout {
  time: number;
  keys: (Buffer | undefined)[];
  suffix: number[]; // 0 none, else a byte ('i' or 'u')
}

/** A growable output buffer. */
class Bytes {
  buf = Buffer.allocUnsafe(1 << 20);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  /** Hands over what was written and starts a fresh buffer (the old one may still be queued). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.len);
    this.buf = Buffer.allocUnsafe(Math.max(1 << 16, this.buf.length));
    this.len = 0;
    return out;
  }
}

export class Transcoder {
  points = 0;
  series = 0;
  private lastSeries = '';
  private readonly layouts = new Map<string, Layout>();
  private readonly out = new Bytes();
  private readonly arena = new ScanArena();

  constructor(
    private readonly measurement: string,
    private readonly fieldTypes: Map<string, FieldType>,
  ) {}

  /** One chunk ({"results":[…]} on one line) to line protocol. Throws the server's error. */
  chunk(doc: Buffer): Buffer {
    const parsed = parseWithRawValues(doc, this.arena) as { results?: { error?: string; series?: SeriesHead[] }[]; error?: string } | null;
    if (!parsed) throw new Error('unexpected values in server response');
    if (parsed.error !== undefined) throw new Error(parsed.error);
    for (const r of parsed.results ?? []) {
      if (r.error !== undefined) throw new Error(r.error);
      for (const s of r.series ?? []) {
        const key = seriesKey(s.name ?? this.measurement, s.tags) + ' ';
        if (key !== this.lastSeries) {
          this.series++;
          this.lastSeries = key;
        }
        if (s.rawValues) this.rows(s.rawValues, Buffer.from(key), this.layout(s.columns ?? []));
      }
    }
    return this.out.take();
  }

  private layout(columns: string[]): Layout {
    const id = columns.join('\u0000');
    let l = this.layouts.get(id);
    if (!l) {
      const time = columns.indexOf('time');
      const types = columns.map((c) => this.fieldTypes.get(c));
      l = {
        time,
        keys: columns.map((c, i) => (i === time ? undefined : Buffer.from(keyText(c) + '='))),
        suffix: types.map((t) => (t === 'integer' ? 105 : t === 'unsigned' ? 117 : 0)),
      };
      this.layouts.set(id, l);
    }
    return l;
  }

  /** The rows of a scan, one line each; a row whose fields are all null writes nothing. */
  private rows(sc: CellScan, prefix: Buffer, l: Layout): void {
    const o = this.out;
    const { src, start, end, kind, rowEnd } = sc;
    let k = 0;
    for (let r = 0; r < sc.rows; r++) {
      const first = k;
      const stop = rowEnd[r]!;
      o.ensure(prefix.length + 1);
      const lineStart = o.len;
      copy(prefix, 0, prefix.length, o);
      let fields = 0;
      let timeFrom = 0;
      let timeTo = 0;
      for (; k < stop; k++) {
        const t = kind[k]!;
        if (t === CellKind.Null) continue;
        const col = k - first;
        const s = start[k]!;
        const e = end[k]!;
        if (col === l.time) {
          timeFrom = s;
          timeTo = e;
          continue;
        }
        const key = l.keys[col];
        if (!key) continue;
        this.field(key, fields++);
        if (t === CellKind.Bare) {
          o.ensure(e - s + 1);
          copy(src, s, e, o);
          const c = src[s];
          if (l.suffix[col] && c !== 116 && c !== 102) o.buf[o.len++] = l.suffix[col]!; // not true/false
        } else this.stringCell(src, t, s, e);
      }
      if (!fields) {
        o.len = lineStart;
        continue;
      }
      o.ensure(timeTo - timeFrom + 2);
      o.buf[o.len++] = SPACE;
      copy(src, timeFrom, timeTo, o);
      o.buf[o.len++] = NL;
      this.points++;
    }
  }

  private field(key: Buffer, index: number): void {
    const o = this.out;
    o.ensure(key.length + 1);
    if (index > 0) o.buf[o.len++] = COMMA;
    copy(key, 0, key.length, o);
  }

  /** A string cell as a line-protocol string (see CellScan for what start/end cover). */
  private stringCell(src: Buffer, t: number, from: number, to: number): void {
    const o = this.out;
    if (t !== CellKind.Escaped) {
      o.ensure(to - from + 2);
      o.buf[o.len++] = QUOTE;
      copy(src, from, to, o);
      o.buf[o.len++] = QUOTE;
    } else if (!hasOtherEscapes(src, from + 1, to - 1)) {
      o.ensure(to - from);
      copy(src, from, to, o);
    } else {
      const text = Buffer.from(escape.quoted(JSON.parse(src.toString('utf8', from, to)) as string));
      o.ensure(text.length);
      text.copy(o.buf, o.len);
      o.len += text.length;
    }
  }
}

/** Copies doc[from, to) to the output (room must have been ensured). */
function copy(doc: Buffer, from: number, to: number, o: Bytes): void {
  const n = to - from;
  if (n > 64) {
    doc.copy(o.buf, o.len, from, to);
    o.len += n;
    return;
  }
  const b = o.buf;
  let p = o.len;
  for (let k = from; k < to; k++) b[p++] = doc[k]!;
  o.len = p;
}

/** Whether a JSON string body uses escapes other than \" and \\. */
function hasOtherEscapes(s: Buffer, from: number, to: number): boolean {
  for (let b = s.indexOf(BACKSLASH, from); b >= 0 && b < to; b = s.indexOf(BACKSLASH, b + 2)) {
    const n = s[b + 1];
    if (n !== QUOTE && n !== BACKSLASH) return true;
  }
  return false;
}
