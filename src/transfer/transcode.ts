// Chunked /query JSON straight to line-protocol bytes, without building a JS value per cell.
// Number cells are copied as the server wrote them (so 64-bit integers and ns timestamps stay
// exact with no big-number handling); strings that use no escapes other than \" and \\ are
// copied too, since JSON and line protocol escape those two alike. Only the small part of each
// chunk outside the "values" arrays goes through JSON.parse.
import { escape } from '@influxdata/influxdb-client';
import { keyText, seriesKey, type FieldType } from './lineproto.js';

const VALUES = Buffer.from('"values":[');
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN = 91;
const CLOSE = 93;
const NUL_N = 110; // 'n' of null
const SPACE = 32;
const NL = 10;

interface SeriesHead {
  name?: string;
  tags?: Record<string, string>;
  columns?: string[];
  /** Index into the ranges found by the scan (the skeleton puts a number here). */
  values?: number;
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

  constructor(
    private readonly measurement: string,
    private readonly fieldTypes: Map<string, FieldType>,
  ) {}

  /** One chunk ({"results":[…]} on one line) to line protocol. Throws the server's error. */
  chunk(doc: Buffer): Buffer {
    const ranges: [number, number][] = [];
    let skeleton = '';
    let last = 0;
    for (let at = doc.indexOf(VALUES); at >= 0; at = doc.indexOf(VALUES, last)) {
      const start = at + VALUES.length;
      const end = arrayEnd(doc, start);
      skeleton += doc.toString('utf8', last, at) + `"values":${ranges.length}`;
      ranges.push([start, end]);
      last = end + 1;
    }
    skeleton += doc.toString('utf8', last);
    const parsed = JSON.parse(skeleton) as { results?: { error?: string; series?: SeriesHead[] }[]; error?: string };
    if (parsed.error !== undefined) throw new Error(parsed.error);
    for (const r of parsed.results ?? []) {
      if (r.error !== undefined) throw new Error(r.error);
      for (const s of r.series ?? []) {
        const key = seriesKey(s.name ?? this.measurement, s.tags) + ' ';
        if (key !== this.lastSeries) {
          this.series++;
          this.lastSeries = key;
        }
        if (s.values === undefined) continue;
        const [from, to] = ranges[s.values]!;
        this.rows(doc, from, to, Buffer.from(key), this.layout(s.columns ?? []));
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

  /** Rows in doc[from, to): `[cell,cell,…],[…]`. */
  private rows(doc: Buffer, from: number, to: number, prefix: Buffer, l: Layout): void {
    const o = this.out;
    let i = from;
    while (i < to) {
      i++; // '['
      o.ensure(prefix.length + 1);
      const lineStart = o.len;
      copy(prefix, 0, prefix.length, o);
      let fields = 0;
      let timeFrom = 0;
      let timeTo = 0;
      for (let col = 0; ; col++) {
        const c = doc[i]!;
        let end: number;
        if (c === QUOTE) {
          end = stringEnd(doc, i + 1) + 1;
          const key = l.keys[col];
          if (key) {
            this.field(key, fields++);
            this.stringCell(doc, i + 1, end - 1);
          }
        } else {
          end = i;
          while (end < to && doc[end] !== COMMA && doc[end] !== CLOSE) end++;
          if (c !== NUL_N) {
            if (col === l.time) {
              timeFrom = i;
              timeTo = end;
            } else {
              const key = l.keys[col];
              if (key) {
                this.field(key, fields++);
                o.ensure(end - i + 1);
                copy(doc, i, end, o);
                if (l.suffix[col] && c !== 116 && c !== 102) o.buf[o.len++] = l.suffix[col]!; // not true/false
              }
            }
          }
        }
        i = end;
        if (doc[i] === CLOSE) break;
        i++; // ','
      }
      i++; // ']'
      if (doc[i] === COMMA) i++;
      if (!fields) {
        o.len = lineStart;
        continue;
      }
      o.ensure(timeTo - timeFrom + 2);
      o.buf[o.len++] = SPACE;
      copy(doc, timeFrom, timeTo, o);
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

  private stringCell(doc: Buffer, from: number, to: number): void {
    const o = this.out;
    if (!hasOtherEscapes(doc, from, to)) {
      o.ensure(to - from + 2);
      o.buf[o.len++] = QUOTE;
      copy(doc, from, to, o);
      o.buf[o.len++] = QUOTE;
      return;
    }
    const text = Buffer.from(escape.quoted(JSON.parse(doc.toString('utf8', from - 1, to + 1)) as string));
    o.ensure(text.length);
    text.copy(o.buf, o.len);
    o.len += text.length;
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

/** Index of the closing quote of the JSON string whose content starts at i. */
function stringEnd(s: Buffer, i: number): number {
  for (;;) {
    const q = s.indexOf(QUOTE, i);
    if (q < 0) throw new Error('unterminated string in server response');
    let b = q - 1;
    while (s[b] === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    i = q + 1;
  }
}

/** Index of the ']' that closes the array whose content starts at i. */
function arrayEnd(s: Buffer, i: number): number {
  let depth = 1;
  const n = s.length;
  while (i < n) {
    const c = s[i]!;
    if (c === QUOTE) i = stringEnd(s, i + 1) + 1;
    else {
      if (c === OPEN) depth++;
      else if (c === CLOSE && --depth === 0) return i;
      i++;
    }
  }
  throw new Error('truncated array in server response');
}

/** Whether a JSON string body uses escapes other than \" and \\. */
function hasOtherEscapes(s: Buffer, from: number, to: number): boolean {
  for (let b = s.indexOf(BACKSLASH, from); b >= 0 && b < to; b = s.indexOf(BACKSLASH, b + 2)) {
    const n = s[b + 1];
    if (n !== QUOTE && n !== BACKSLASH) return true;
  }
  return false;
}
