// Batch bodies for `influxsh simulate`, built so that generating a point costs next to nothing
// next to what InfluxDB spends ingesting it (both share the same cores). Points go out in
// rounds: one line per series, in series order, all lines of a round sharing one timestamp.
//
// The fast path renders a template of whole lines (series key, random field values, a
// 19-digit timestamp placeholder) once; a batch is then one or two block copies out of the
// template plus 19 bytes of timestamp written per line. The slow path, for more series than a
// template holds or timestamps that are not 19 digits (before 2001-09-09), assembles each line
// from its pre-encoded pieces.

/** Digits of a nanosecond timestamp between 2001-09-09 and 2286: the width the template reserves. */
export const STAMP_WIDTH = 19;
/** Lines rendered into a template (its values repeat with this period); more series than this take the slow path. */
export const TEMPLATE_LINES = 16_384;

export interface BatchSource {
  /** Lines to each series: `prefixes[s]` is "measurement,tags " as bytes. */
  prefixes: Buffer[];
  /** For each field, the encoded ",key=value" choices (the first without the comma). */
  fieldTables: Buffer[][];
  /** The timestamp digits of round `round` (called once per round, in order). */
  stamp: (round: number) => string;
  /** Use the template when every stamp will be STAMP_WIDTH digits (the caller knows its time range). */
  fixedWidthStamps: boolean;
  /** Template size in lines (tests use small ones); default TEMPLATE_LINES. */
  templateLines?: number;
}

export interface BatchBuilder {
  /**
   * Writes the next `count` lines into `reuse` when it is big enough, else into a new buffer;
   * returns the body and the whole buffer it is a view of (to pass back as `reuse` next time).
   */
  next(count: number, reuse?: Buffer): { body: Buffer; chunk: Buffer };
  readonly series: number;
  /** Whether the template path is in use. */
  readonly templated: boolean;
}

const pick = (t: Buffer[]): Buffer => (t.length === 1 ? t[0]! : t[(Math.random() * t.length) | 0]!);

export function batchBuilder(src: BatchSource): BatchBuilder {
  const max = src.templateLines ?? TEMPLATE_LINES;
  return src.fixedWidthStamps && src.prefixes.length <= max ? templateBuilder(src, max) : pieceBuilder(src);
}

function templateBuilder(src: BatchSource, maxLines: number): BatchBuilder {
  const { prefixes, fieldTables } = src;
  const series = prefixes.length;
  const lines = series * Math.max(1, Math.floor(maxLines / series));
  const lineStart = new Int32Array(lines + 1);
  const stampAt = new Int32Array(lines);
  const parts: Buffer[] = [];
  let size = 0;
  const placeholder = Buffer.from(' ' + '0'.repeat(STAMP_WIDTH) + '\n', 'latin1');
  for (let i = 0; i < lines; i++) {
    lineStart[i] = size;
    const p = prefixes[i % series]!;
    parts.push(p);
    size += p.length;
    for (const t of fieldTables) {
      const v = pick(t);
      parts.push(v);
      size += v.length;
    }
    stampAt[i] = size + 1;
    parts.push(placeholder);
    size += placeholder.length;
  }
  lineStart[lines] = size;
  const template = Buffer.concat(parts, size);
  let longest = 0;
  for (let i = 0; i < lines; i++) longest = Math.max(longest, lineStart[i + 1]! - lineStart[i]!);

  const digits = new Uint8Array(STAMP_WIDTH);
  let line = 0; // lines generated so far
  let s = 0;
  let round = 0;
  const newRound = (): void => {
    const d = src.stamp(round);
    if (d.length !== STAMP_WIDTH) throw new Error(`internal: timestamp ${d} is not ${STAMP_WIDTH} digits`);
    for (let k = 0; k < STAMP_WIDTH; k++) digits[k] = d.charCodeAt(k);
  };

  return {
    series,
    templated: true,
    next(count, reuse) {
      // Bytes needed: the template spans the lines [line, line + count) cover, wrapping around.
      let bytes = 0;
      for (let pos = line % lines, left = count; left > 0; pos = 0) {
        const n = Math.min(left, lines - pos);
        bytes += lineStart[pos + n]! - lineStart[pos]!;
        left -= n;
      }
      // Sized for the longest lines, so the next batch of this size fits whatever values it holds.
      const out = reuse && reuse.length >= bytes ? reuse : Buffer.allocUnsafe(Math.max(bytes, count * longest));
      let off = 0;
      for (let pos = line % lines, left = count; left > 0; pos = 0) {
        const n = Math.min(left, lines - pos);
        const from = lineStart[pos]!;
        template.copy(out, off, from, lineStart[pos + n]!);
        const shift = off - from;
        for (let i = pos; i < pos + n; i++) {
          if (s === 0) newRound();
          const at = stampAt[i]! + shift;
          for (let k = 0; k < STAMP_WIDTH; k++) out[at + k] = digits[k]!;
          if (++s === series) {
            s = 0;
            round++;
          }
        }
        off += lineStart[pos + n]! - from;
        left -= n;
      }
      line += count;
      return { body: out.subarray(0, bytes), chunk: out };
    },
  };
}

function pieceBuilder(src: BatchSource): BatchBuilder {
  const { prefixes, fieldTables } = src;
  const series = prefixes.length;
  let prefixMax = 0;
  for (const p of prefixes) prefixMax = Math.max(prefixMax, p.length);
  const lineMax = prefixMax + fieldTables.reduce((n, t) => n + Math.max(...t.map((b) => b.length)), 0) + 24;
  let stamp = Buffer.alloc(0);
  let s = 0;
  let round = 0;
  return {
    series,
    templated: false,
    next(count, reuse) {
      const need = count * lineMax;
      const buf = reuse && reuse.length >= need ? reuse : Buffer.allocUnsafe(need);
      let off = 0;
      for (let i = 0; i < count; i++) {
        if (s === 0) stamp = Buffer.from(` ${src.stamp(round)}\n`, 'latin1');
        const p = prefixes[s]!;
        buf.set(p, off);
        off += p.length;
        for (const t of fieldTables) {
          const v = pick(t);
          buf.set(v, off);
          off += v.length;
        }
        buf.set(stamp, off);
        off += stamp.length;
        if (++s === series) {
          s = 0;
          round++;
        }
      }
      return { body: buf.subarray(0, off), chunk: buf };
    },
  };
}
