// Latency histograms in HdrHistogram's layout (1 µs to an hour, 3 significant digits) and its
// portable text form (V2 encoding, deflated, base64), so what `load --json` prints and
// `load --record` stores reads back in any HdrHistogram library. Written here rather than taken
// from hdr-histogram-js, whose loading alone costs each load thread about 30 ms of CPU (a number
// formatter for its log writer, a WebAssembly build, pako) and whose add, reset and encode walk
// all 23,552 buckets: these touch only the buckets in use. The tests hold this file to
// hdr-histogram-js: the same percentiles, mean, deviation, extremes and encoded bytes.

/** The largest value (µs, an hour) a histogram takes; a larger one counts as this. */
export const HIGHEST = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;
/** 3 significant digits take 2048 sub-buckets; each bucket after the first uses its upper half (2^10). */
const HALF_MAGNITUDE = 10;
/** Buckets in the layout (HdrHistogram's countsArrayLength for this range). */
export const COUNTS = (Math.ceil(Math.log2(HIGHEST)) - HALF_MAGNITUDE + 1) << HALF_MAGNITUDE;

/** The bucket of value `v` (0 ≤ v < 2^32): (k << 10) + (v >> k), k = max(0, floor(log2(v)) - 10). */
export function indexOf(v: number): number {
  // One path for every value (no Math.pow: V8 calls out for it). A branch for values from 2 ms up
  // would be code that a run of fast answers never ran, and the first slow answer would throw
  // away the optimized response path that holds it.
  const k = Math.max(0, 21 - Math.clz32(v));
  return (k << HALF_MAGNITUDE) + (v >>> k);
}

/** The lowest value of the bucket at `index`. */
export function valueAt(index: number): number {
  const k = (index >> HALF_MAGNITUDE) - 1;
  return k > 0 ? (index - (k << HALF_MAGNITUDE)) * (1 << k) : index;
}

/** How many values share the bucket at `index`. */
function widthAt(index: number): number {
  const k = (index >> HALF_MAGNITUDE) - 1;
  return k > 0 ? 1 << k : 1;
}

/** A floating-point number's unit in the last place (as HdrHistogram rounds a percentile's count). */
const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);

const NONE = Number.MAX_SAFE_INTEGER;

/** node:zlib when a histogram is encoded or decoded: load threads, which only take snapshots, never load it. */
const zlib = (): typeof import('node:zlib') => process.getBuiltinModule('node:zlib');

/** Histogram.snapshot's numbers: [total, min, max, index, count, index, count…]. */
export type HistogramSnapshot = Float64Array;

export class Histogram {
  /** Counts per bucket, as far as the highest bucket used so far (grown on demand). */
  private counts = new Float64Array(0);
  /**
   * The buckets with a count, each once, in ascending order unless `usedSorted` says otherwise:
   * add, snapshot and reset walk these, not every bucket from lo to hi (a second's latencies
   * use about a hundred of the few thousand buckets between them).
   */
  private readonly used: number[] = [];
  private usedSorted = true;
  /** The lowest and highest bucket with a count; lo > hi when empty. */
  private lo = COUNTS;
  private hi = -1;
  totalCount = 0;
  /** The largest value recorded (after decoding: the top of its bucket); 0 when empty. */
  maxValue = 0;
  /** The smallest value from 1 recorded, rounded down (after decoding: its bucket's lowest); MAX_SAFE_INTEGER when none. */
  minNonZeroValue = NONE;

  recordValue(v: number): void {
    this.recordValueWithCount(v, 1);
  }

  /** Counts `v` `n` times; a value above an hour counts as an hour. */
  recordValueWithCount(v: number, n: number): void {
    if (!(v >= 0)) throw new RangeError(`a histogram counts no negative values (${v})`);
    if (v > HIGHEST) v = HIGHEST;
    this.addAt(indexOf(v), n);
    this.totalCount += n;
    if (v > this.maxValue) this.maxValue = v;
    if (v >= 1 && v < this.minNonZeroValue) this.minNonZeroValue = Math.floor(v); // as HdrHistogram keeps it
  }

  private addAt(i: number, n: number): void {
    if (i >= this.counts.length) this.grow(i);
    const c = this.counts;
    if (c[i] === 0 && n > 0) {
      const u = this.used;
      if (u.length && i < u[u.length - 1]!) this.usedSorted = false;
      u.push(i);
    }
    c[i]! += n;
    if (i < this.lo) this.lo = i;
    if (i > this.hi) this.hi = i;
  }

  /** The used buckets in ascending order. */
  private sortedUsed(): number[] {
    if (!this.usedSorted) {
      this.used.sort((a, b) => a - b);
      this.usedSorted = true;
    }
    return this.used;
  }

  private grow(i: number): void {
    const c = new Float64Array(Math.min(COUNTS, Math.max(i + 1, this.counts.length * 2, 2048)));
    c.set(this.counts);
    this.counts = c;
  }

  /**
   * A copy with wrk's correction for the closed model: each value above twice `expected` (µs: how
   * long a connection took per request on average) also counts, as often as it was recorded, at
   * itself minus `expected`, minus twice `expected`, and so on while above `expected`. Those are
   * the requests a slow answer held back on its connection, each as if it had waited from when it
   * would have gone out. A bucket's value is its middle (capped at the largest value), as for the
   * mean: wrk counts exact microseconds, and a bucket's top would add one sample too many about as
   * often as its bottom one too few.
   */
  withOmittedRequests(expected: number): Histogram {
    const out = new Histogram();
    out.add(this);
    if (!(expected >= 1)) return out;
    for (const i of this.sortedUsed()) {
      const n = this.counts[i]!;
      const v = Math.min(middle(i), this.maxValue);
      for (let m = v - expected; m > expected; m -= expected) out.recordValueWithCount(m, n);
    }
    return out;
  }

  /** Adds every count of `o` (bucket by bucket, exact). */
  add(o: Histogram): void {
    if (o.hi < 0) return;
    if (o.hi >= this.counts.length) this.grow(o.hi);
    const from = o.counts;
    for (const i of o.sortedUsed()) this.addAt(i, from[i]!);
    this.totalCount += o.totalCount;
    this.maxValue = Math.max(this.maxValue, o.maxValue);
    this.minNonZeroValue = Math.min(this.minNonZeroValue, o.minNonZeroValue);
  }

  /**
   * The histogram as numbers a thread can send another without encoding: the total, the exact
   * smallest and largest values, then each used bucket's index and count.
   */
  snapshot(): HistogramSnapshot {
    const used = this.sortedUsed();
    const out = new Float64Array(3 + 2 * used.length);
    out[0] = this.totalCount;
    out[1] = this.minNonZeroValue;
    out[2] = this.maxValue;
    let k = 3;
    for (const i of used) {
      out[k++] = i;
      out[k++] = this.counts[i]!;
    }
    return out;
  }

  /** Adds a snapshot's counts, extremes included (exact, as add). */
  addSnapshot(s: HistogramSnapshot): void {
    if (!s[0]) return;
    for (let k = 3; k < s.length; k += 2) this.addAt(s[k]! | 0, s[k + 1]!); // an index as an integer: `used` stays an array of small integers
    this.totalCount += s[0];
    this.minNonZeroValue = Math.min(this.minNonZeroValue, s[1]!);
    this.maxValue = Math.max(this.maxValue, s[2]!);
  }

  reset(): void {
    for (const i of this.used) this.counts[i] = 0;
    this.used.length = 0;
    this.usedSorted = true;
    this.lo = COUNTS;
    this.hi = -1;
    this.totalCount = 0;
    this.maxValue = 0;
    this.minNonZeroValue = NONE;
  }

  /**
   * The value that `p` percent of the counts are at or below: the top of its bucket (its lowest
   * for p = 0), as HdrHistogram answers; 0 when empty.
   */
  getValueAtPercentile(p: number): number {
    const fp = (Math.min(p, 100) / 100) * this.totalCount;
    const want = Math.max(Math.ceil(fp - ulp(fp)), 1);
    let sum = 0;
    for (let i = this.lo; i <= this.hi; i++) {
      sum += this.counts[i]!;
      if (sum >= want) return p === 0 ? valueAt(i) : valueAt(i) + widthAt(i) - 1;
    }
    return 0;
  }

  /** The mean, each count taken at the middle of its bucket (as HdrHistogram does). */
  get mean(): number {
    if (!this.totalCount) return 0;
    let sum = 0;
    for (let i = this.lo; i <= this.hi; i++) {
      const n = this.counts[i]!;
      if (n) sum += middle(i) * n;
    }
    return sum / this.totalCount;
  }

  get stdDeviation(): number {
    if (!this.totalCount) return 0;
    const mean = this.mean;
    let sum = 0;
    for (let i = this.lo; i <= this.hi; i++) {
      const n = this.counts[i]!;
      if (!n) continue;
      const d = middle(i) - mean;
      sum += d * d * n;
    }
    return Math.sqrt(sum / this.totalCount);
  }

  /** The counts in HdrHistogram's V2 encoding (ZigZag LEB128 words; a negative word skips that many empty buckets). */
  encodeCounts(): Buffer {
    const used = this.used.length;
    // A word takes at most 9 bytes; there is at most one run of empty buckets before each count, and one more.
    const out = new Words(Buffer.allocUnsafe(9 * (2 * used + 2)));
    // HdrHistogram encodes up to the bucket of the largest value (one empty bucket when empty).
    const limit = indexOf(this.maxValue) + 1;
    let i = 0;
    while (i < limit) {
      const n = i < this.counts.length ? this.counts[i]! : 0;
      i++;
      if (n) {
        out.put(n);
        continue;
      }
      let zeros = 1;
      if (i < this.lo) {
        zeros += Math.min(this.lo, limit) - i;
        i = Math.min(this.lo, limit);
      }
      while (i < limit && !this.counts[i]) {
        zeros++;
        i++;
      }
      out.put(zeros > 1 ? -zeros : 0);
    }
    return out.buf.subarray(0, out.pos);
  }

  /** A histogram from V2-encoded counts (encodeCounts); throws a plain Error on anything else. */
  static fromCounts(b: Buffer): Histogram {
    const h = new Histogram();
    const words = new Words(b);
    let i = 0;
    while (words.pos < b.length) {
      const n = words.get();
      if (n < 0) i -= n;
      else if (i >= COUNTS) throw new Error('histogram counts beyond its range');
      else {
        if (n) h.addAt(i, n);
        i++;
      }
    }
    // What the buckets say: the total, the top of the highest bucket, the lowest value of the lowest (above 0).
    for (let j = h.lo; j <= h.hi; j++) h.totalCount += h.counts[j]!;
    if (h.hi >= 0) h.maxValue = valueAt(h.hi) + widthAt(h.hi) - 1;
    const lowest = h.lo > 0 ? h.lo : firstAbove(h.counts, 0, h.hi);
    if (lowest > 0 && lowest <= h.hi) h.minNonZeroValue = valueAt(lowest);
    return h;
  }
}

/** The middle of the bucket at `index` (HdrHistogram's medianEquivalentValue). */
function middle(index: number): number {
  return valueAt(index) + Math.floor(widthAt(index) / 2);
}

/** The first bucket after `from`, up to `hi`, with a count. */
function firstAbove(counts: Float64Array, from: number, hi: number): number {
  for (let i = from + 1; i <= hi; i++) if (counts[i]) return i;
  return -1;
}

/** ZigZag LEB128 words (HdrHistogram's V2 count encoding) written into or read from a buffer. */
class Words {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  put(v: number): void {
    let z = v >= 0 ? v * 2 : -v * 2 - 1;
    while (z >= 128) {
      this.buf[this.pos++] = (z % 128) | 0x80;
      z = Math.floor(z / 128);
    }
    this.buf[this.pos++] = z;
  }

  get(): number {
    let z = 0;
    let scale = 1;
    for (let k = 0; k < 9; k++) {
      if (this.pos >= this.buf.length) throw new Error('histogram counts cut short');
      const byte = this.buf[this.pos++]!;
      z += (byte & 0x7f) * scale;
      if (!(byte & 0x80)) break;
      scale *= 128;
    }
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}

/** HdrHistogram's V2 cookies: the encoding (word size 9) and its deflated wrapper. */
const COOKIE = 0x1c849313;
const COMPRESSED_COOKIE = 0x1c849314;
const HEADER = 40;

/** A histogram as HdrHistogram's compressed base64 ("HISTFAAA…"), byte for byte what hdr-histogram-js writes. */
export function encodeHistogram(h: Histogram): string {
  const counts = h.encodeCounts();
  const plain = Buffer.allocUnsafe(HEADER + counts.length);
  plain.writeUInt32BE(COOKIE, 0);
  plain.writeUInt32BE(counts.length, 4);
  plain.writeUInt32BE(1, 8); // normalizing index offset, as hdr-histogram-js writes it
  plain.writeUInt32BE(SIGNIFICANT_DIGITS, 12);
  writeUInt64(plain, 16, 1); // lowest discernible value
  writeUInt64(plain, 24, HIGHEST);
  writeUInt64(plain, 32, 1); // integer-to-double conversion ratio
  counts.copy(plain, HEADER);
  const deflated = zlib().deflateSync(plain);
  const out = Buffer.allocUnsafe(8 + deflated.length);
  out.writeUInt32BE(COMPRESSED_COOKIE, 0);
  out.writeUInt32BE(deflated.length, 4);
  deflated.copy(out, 8);
  return out.toString('base64');
}

/** Reads encodeHistogram's text (any histogram of this layout); throws a plain Error on anything else. */
export function decodeHistogram(text: string): Histogram {
  const b = Buffer.from(text.trim(), 'base64');
  if (b.length < 8 || (b.readUInt32BE(0) & ~0xf0) >>> 0 !== (COMPRESSED_COOKIE & ~0xf0) >>> 0) throw new Error('not an encoded histogram');
  const length = b.readUInt32BE(4);
  if (8 + length > b.length) throw new Error('encoded histogram cut short');
  const plain = zlib().inflateSync(b.subarray(8, 8 + length));
  if (plain.length < HEADER || (plain.readUInt32BE(0) & ~0xf0) >>> 0 !== (COOKIE & ~0xf0) >>> 0) throw new Error('not an encoded histogram');
  const payload = plain.readUInt32BE(4);
  const digits = plain.readUInt32BE(12);
  const lowest = readUInt64(plain, 16);
  if (digits !== SIGNIFICANT_DIGITS || lowest !== 1) throw new Error(`histogram of another layout (${digits} significant digits, lowest value ${lowest})`);
  if (HEADER + payload > plain.length) throw new Error('encoded histogram cut short');
  return Histogram.fromCounts(plain.subarray(HEADER, HEADER + payload));
}

function writeUInt64(b: Buffer, at: number, v: number): void {
  b.writeUInt32BE(Math.floor(v / 2 ** 32), at);
  b.writeUInt32BE(v % 2 ** 32, at + 4);
}

function readUInt64(b: Buffer, at: number): number {
  return b.readUInt32BE(at) * 2 ** 32 + b.readUInt32BE(at + 4);
}
