// influxsh's histogram against hdr-histogram-js, the library it replaced: for the same values
// both must give the same counts, extremes, percentiles, mean and deviation, and the same encoded
// text, and each must read what the other wrote (runs stored in InfluxDB by either).
import * as hdr from 'hdr-histogram-js';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram, Histogram, HIGHEST } from '../../src/loadgen/hdr-histogram.js';

const reference = (): hdr.Histogram => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST, numberOfSignificantValueDigits: 3, bitBucketSize: 32 });

function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** Value sets with different shapes: narrow, spread over every bucket, two modes, edges of buckets, one value, fractions. */
function valueSets(): number[][] {
  const r = random(42);
  const sets: number[][] = [];
  sets.push(Array.from({ length: 20_000 }, () => 80 + Math.floor(r() * 400)));
  sets.push(Array.from({ length: 20_000 }, () => Math.max(1, Math.floor(Math.exp(r() * Math.log(HIGHEST))))));
  sets.push(Array.from({ length: 10_000 }, () => (r() < 0.99 ? 100 + Math.floor(r() * 50) : 1_000_000 + Math.floor(r() * 500_000))));
  const edges: number[] = [];
  for (let e = 1; e < 32; e++) for (const d of [-1, 0, 1]) if (2 ** e + d >= 1 && 2 ** e + d <= HIGHEST) edges.push(2 ** e + d);
  sets.push(edges, [777], [1], [HIGHEST], [1.5, 2047.9, 1024.2, 4095.5, 33, 33]);
  return sets;
}

/** Both histograms with `values` recorded. */
function filled(values: number[]): [Histogram, hdr.Histogram] {
  const ours = new Histogram();
  const theirs = reference();
  for (const v of values) {
    ours.recordValue(v);
    theirs.recordValue(v);
  }
  return [ours, theirs];
}

const PERCENTILES = [0, 0.1, 1, 10, 25, 33.333, 50, 75, 90, 99, 99.9, 99.99, 100];

function expectSame(ours: Histogram, theirs: hdr.Histogram): void {
  expect(ours.totalCount).toBe(theirs.totalCount);
  expect(ours.maxValue).toBe(theirs.maxValue);
  expect(ours.minNonZeroValue).toBe(theirs.minNonZeroValue);
  expect(ours.mean).toBe(theirs.mean);
  expect(ours.stdDeviation).toBe(theirs.stdDeviation);
  for (const p of PERCENTILES) expect([p, ours.getValueAtPercentile(p)]).toEqual([p, theirs.getValueAtPercentile(p)]);
}

describe('Histogram, held to hdr-histogram-js', () => {
  it('counts, summarizes and encodes every value set as the library does', () => {
    for (const values of valueSets()) {
      const [ours, theirs] = filled(values);
      ours.recordValueWithCount(values[0]!, 5);
      theirs.recordValueWithCount(values[0]!, 5);
      expectSame(ours, theirs);
      expect(encodeHistogram(ours)).toBe(hdr.encodeIntoCompressedBase64(theirs));
    }
  });

  it('reads what the library wrote, and the library reads what it writes', () => {
    for (const values of valueSets()) {
      const [ours, theirs] = filled(values);
      const fromTheirs = decodeHistogram(hdr.encodeIntoCompressedBase64(theirs));
      const fromOurs = hdr.decodeFromCompressedBase64(encodeHistogram(ours), 32, false);
      expectSame(fromTheirs, fromOurs);
      expect(encodeHistogram(fromTheirs)).toBe(hdr.encodeIntoCompressedBase64(fromOurs));
      // A decoded histogram knows the buckets of its extremes, not the values themselves.
      expect(fromTheirs.maxValue).toBeGreaterThanOrEqual(Math.floor(ours.maxValue));
    }
  });

  it('adds histograms bucket by bucket, decoded ones too, as the library does', () => {
    const ours = new Histogram();
    const theirs = reference();
    for (const values of valueSets()) {
      const [a, b] = filled(values);
      ours.add(a);
      theirs.add(b);
      ours.add(decodeHistogram(encodeHistogram(a)));
      theirs.add(hdr.decodeFromCompressedBase64(hdr.encodeIntoCompressedBase64(b), 32, false));
      expectSame(ours, theirs);
    }
    expect(encodeHistogram(ours)).toBe(hdr.encodeIntoCompressedBase64(theirs));
  });

  it('carries a histogram between threads as a snapshot: added, it counts exactly as the original', () => {
    for (const values of valueSets()) {
      const [ours, theirs] = filled(values);
      const copy = new Histogram();
      copy.addSnapshot(ours.snapshot());
      copy.addSnapshot(new Histogram().snapshot());
      expectSame(copy, theirs);
      expect(encodeHistogram(copy)).toBe(hdr.encodeIntoCompressedBase64(theirs));
      expect(copy.snapshot()).toEqual(ours.snapshot());
    }
  });

  it('is empty after reset, and an empty one encodes and summarizes as the library', () => {
    const ours = new Histogram();
    for (const v of [5, 50_000, 9_000_000]) ours.recordValue(v);
    ours.reset();
    const theirs = reference();
    expectSame(ours, theirs);
    expect(encodeHistogram(ours)).toBe(hdr.encodeIntoCompressedBase64(theirs));
    ours.recordValue(300);
    theirs.recordValue(300);
    expectSame(ours, theirs);
    expect(encodeHistogram(ours)).toBe(hdr.encodeIntoCompressedBase64(theirs));
  });

  it('keeps counting right when it is reset and reused, values come in any order, and one is added to another again and again', () => {
    // As a load thread's histograms live: a second's values, added to the run's, reset, again.
    const run = new Histogram();
    const second = new Histogram();
    const theirs = reference();
    let seed = 11;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let s = 0; s < 5; s++) {
      for (let i = 0; i < 300; i++) {
        const v = Math.floor(random() ** 3 * 5_000_000) + 1;
        second.recordValue(v);
        theirs.recordValue(v);
      }
      run.add(second);
      const copy = new Histogram();
      copy.addSnapshot(second.snapshot());
      expect(copy.snapshot()).toEqual(second.snapshot());
      second.reset();
      expect(second.snapshot()).toEqual(new Histogram().snapshot());
      expectSame(run, theirs);
    }
    const snap = run.snapshot();
    const indices = snap.filter((_, k) => k >= 3 && k % 2 === 1);
    expect([...indices]).toEqual([...indices].sort((a, b) => a - b));
    expect(encodeHistogram(run)).toBe(hdr.encodeIntoCompressedBase64(theirs));
  });

  it('counts a value above an hour as an hour, and refuses negative ones', () => {
    const h = new Histogram();
    h.recordValue(HIGHEST * 3);
    expect(h.maxValue).toBe(HIGHEST);
    expect(h.getValueAtPercentile(100)).toBeGreaterThanOrEqual(HIGHEST);
    expect(() => h.recordValue(-1)).toThrow(RangeError);
    expect(() => h.recordValue(NaN)).toThrow(RangeError);
    expect(h.totalCount).toBe(1);
  });

  it('refuses text that is not an encoded histogram of this layout, with an Error and no hang', () => {
    const good = Buffer.from(encodeHistogram(new Histogram()), 'base64');
    const cut = Buffer.concat([good.subarray(0, 4), Buffer.from([0, 0, 1, 0]), good.subarray(8)]);
    const wrapped = (plain: Buffer): string => {
      const d = deflateSync(plain);
      const out = Buffer.alloc(8 + d.length);
      out.writeUInt32BE(0x1c849314, 0);
      out.writeUInt32BE(d.length, 4);
      d.copy(out, 8);
      return out.toString('base64');
    };
    const header = (digits: number, payload: number): Buffer => {
      const b = Buffer.alloc(40);
      b.writeUInt32BE(0x1c849313, 0);
      b.writeUInt32BE(payload, 4);
      b.writeUInt32BE(digits, 12);
      b.writeUInt32BE(1, 20);
      return b;
    };
    const bad = [
      '',
      'not base64 at all!',
      'SElTVEZBQUFB',
      cut.toString('base64'),
      wrapped(Buffer.from('hello, world')),
      wrapped(header(2, 0)),
      wrapped(Buffer.concat([header(3, 3), Buffer.from([0x80, 0x80, 0x80])])), // a word cut short
      wrapped(Buffer.concat([header(3, 10), Buffer.from([2])])), // the payload is shorter than said
      wrapped(Buffer.concat([header(3, 4), Buffer.from([0xff, 0xff, 0x03, 2])])), // a count beyond the last bucket
    ];
    for (const text of bad) expect(() => decodeHistogram(text), text).toThrow(Error);
  });
});
