// The hand-written number formatting against toLocaleString('en-US'), which it stands in for.
import { describe, expect, it } from 'vitest';
import { fixed, grouped } from '../../src/format/numbers.js';

const locale = (x: number, min?: number, max?: number): string =>
  min === undefined ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { minimumFractionDigits: min, maximumFractionDigits: max });

describe('grouped and fixed', () => {
  it('write integers as toLocaleString does', () => {
    const values = [0, -0, 1, 9, 10, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 123_456_789, 2 ** 31, 2 ** 53 - 1, -1, -1000, -987_654_321, 1e20];
    for (const v of values) expect(grouped(v), String(v)).toBe(locale(v));
  });

  it('write fractions as toLocaleString does, to three decimals by default', () => {
    const values = [0.5, 0.25, 1.2, 1234.5678, 1_000_000.1, -0.0001, -1234.5, 0.0004, 0.1 + 0.2, 29_775.6, 3.14159];
    for (const v of values) expect(grouped(v), String(v)).toBe(locale(v));
  });

  it('keep exactly the decimals asked for', () => {
    for (const v of [0, 1, 2.5, 1234.5, 29_743.3, 1_234_567.89, -7.25, 0.04, 99.96]) for (const d of [0, 1, 2, 3]) expect(fixed(v, d), `${v} to ${d}`).toBe(locale(v, d, d));
  });

  it('agree with toLocaleString on many random values away from rounding ties', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const v = Math.round((random() - 0.3) * 10 ** Math.floor(random() * 10) * 1e4) / 1e4 + 1e-7;
      expect(grouped(v), String(v)).toBe(locale(v));
      expect(fixed(v, 1), String(v)).toBe(locale(v, 1, 1));
    }
  });

  it('write what is not a finite number as toLocaleString does', () => {
    for (const v of [NaN, Infinity, -Infinity, 1e21, 1.5e22]) expect(grouped(v), String(v)).toBe(locale(v));
  });
});
