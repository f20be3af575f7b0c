// The byte-level encoders behind `service` and `simulate`: digits written straight into buffers
// must read back exactly as the string formatting they replace.
import { describe, expect, it } from 'vitest';
import { UniqueClock, writeMs } from '../../src/loadgen/clock.js';
import { batchBuilder, STAMP_WIDTH, type BatchSource } from '../../src/loadgen/simulate-batches.js';

const ms = (v: number): string => {
  const b = Buffer.alloc(32, 0x78);
  return b.toString('latin1', 0, writeMs(b, 0, v));
};

describe('writeMs', () => {
  it('writes milliseconds with exactly three decimals, rounded to the microsecond', () => {
    expect(ms(0)).toBe('0.000');
    expect(ms(0.0004)).toBe('0.000');
    expect(ms(0.0005)).toBe('0.001');
    expect(ms(0.012)).toBe('0.012');
    expect(ms(1.2345)).toBe('1.235');
    expect(ms(12.3456)).toBe('12.346');
    expect(ms(99.9996)).toBe('100.000');
    expect(ms(1234.5)).toBe('1234.500');
    expect(ms(86_400_000.25)).toBe('86400000.250');
  });

  it('agrees with toFixed(3) over many values', () => {
    for (let i = 0; i < 2000; i++) {
      const us = Math.floor(Math.random() * 5_000_000);
      expect(ms(us / 1000)).toBe((us / 1000).toFixed(3));
    }
  });
});

describe('UniqueClock.write', () => {
  it('writes the digits next() returns, strictly increasing, also within one millisecond', () => {
    const a = new UniqueClock();
    const b = new UniqueClock();
    const buf = Buffer.alloc(40);
    const base = 1_764_000_000_123.25;
    let last = 0n;
    for (const t of [base, base, base + 0.0000001, base + 0.5, base + 0.4, base + 1, base + 1000.999999]) {
      const end = a.write(buf, 3, t);
      const text = buf.toString('latin1', 3, end);
      expect(text).toBe(b.next(t));
      expect(text).toHaveLength(19);
      expect(BigInt(text)).toBeGreaterThan(last);
      last = BigInt(text);
    }
    expect(BigInt(b.next(base + 1000.999999))).toBeGreaterThan(last);
  });
});

/** Parses a body into [series key, fields, timestamp] per line. */
function parse(body: Buffer): { key: string; fields: string; ts: string }[] {
  const text = body.toString('latin1');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((l) => {
      const [key, fields, ts] = l.split(' ');
      return { key: key!, fields: fields!, ts: ts! };
    });
}

function source(over: Partial<BatchSource> = {}): BatchSource {
  let base = 1_764_000_000_000_000_000n;
  return {
    prefixes: ['m,h=a ', 'm,h=b ', 'm,h=c '].map((p) => Buffer.from(p)),
    fieldTables: [[Buffer.from('v=1'), Buffer.from('v=22'), Buffer.from('v=333')], [Buffer.from(',n=1')]],
    stamp: () => String((base += 1000n)),
    fixedWidthStamps: true,
    ...over,
  };
}

describe('simulate batch builders', () => {
  for (const [name, templateLines] of [
    ['template, wrapping around a small template', 7],
    ['template, default size', undefined],
    ['line by line (no template)', 0],
  ] as const) {
    it(`${name}: one line per series per round, a shared and increasing timestamp per round`, () => {
      const b = batchBuilder(source({ templateLines }));
      expect(b.templated).toBe(templateLines !== 0);
      const lines: { key: string; fields: string; ts: string }[] = [];
      let chunk: Buffer | undefined;
      for (const n of [5, 1, 8, 4, 13]) {
        const built = b.next(n, chunk);
        const got = parse(built.body);
        expect(got).toHaveLength(n);
        lines.push(...got);
        chunk = built.chunk;
      }
      expect(lines).toHaveLength(31);
      const seen = new Set<string>();
      lines.forEach((l, i) => {
        expect(l.key).toBe(['m,h=a', 'm,h=b', 'm,h=c'][i % 3]);
        expect(l.fields).toMatch(/^v=(1|22|333),n=1$/);
        expect(l.ts).toHaveLength(STAMP_WIDTH);
        const first = lines[i - (i % 3)]!;
        expect(l.ts).toBe(first.ts);
        if (i >= 3) expect(BigInt(first.ts)).toBeGreaterThan(BigInt(lines[i - 3]!.ts));
        seen.add(`${l.key} ${l.ts}`);
      });
      // Every point is distinct, so every one of them is stored.
      expect(seen.size).toBe(31);
    });
  }

  it('reuses the buffer it is given when it is big enough', () => {
    const b = batchBuilder(source());
    // Batches of one size fit the buffer of the first, though their random values differ in width.
    const chunk = b.next(50).chunk;
    for (let i = 0; i < 20; i++) expect(b.next(50, chunk).chunk === chunk).toBe(true);
    const first = b.next(60);
    const second = b.next(30, first.chunk);
    expect(second.chunk === first.chunk).toBe(true);
    expect(parse(second.body)).toHaveLength(30);
    const bigger = b.next(300, first.chunk);
    expect(bigger.chunk === first.chunk).toBe(false);
    expect(parse(bigger.body)).toHaveLength(300);
  });

  it('falls back to line by line for stamps of another width or more series than the template holds', () => {
    expect(batchBuilder(source({ fixedWidthStamps: false })).templated).toBe(false);
    expect(batchBuilder(source({ templateLines: 2 })).templated).toBe(false);
    let t = 999_999_999_999_999_000n; // 18 digits, then 19: before 2001-09-09
    const b = batchBuilder(source({ fixedWidthStamps: false, stamp: () => String((t += 500n)) }));
    const lines = parse(b.next(9).body);
    expect(lines.map((l) => l.ts.length)).toEqual([18, 18, 18, 19, 19, 19, 19, 19, 19]);
  });
});
