import { describe, expect, it } from 'vitest';
import { parseLossless, parseExact, isBigInt } from '../../src/query/lossless.js';
import { cellText } from '../../src/format/cells.js';
import { goJson } from '../../src/format/json.js';

describe('parseLossless', () => {
  it('keeps integers above 2^53 exactly', () => {
    const doc = parseLossless('{"v":[[1700000000000000001,9223372036854775807,-9223372036854775808,18446744073709551615,0.5]]}');
    const row = doc.v[0];
    expect(row.map(cellText)).toEqual(['1700000000000000001', '9223372036854775807', '-9223372036854775808', '18446744073709551615', '0.5']);
    expect(isBigInt(row[0])).toBe(true);
    expect(goJson(doc)).toBe('{"v":[[1700000000000000001,9223372036854775807,-9223372036854775808,18446744073709551615,0.5]]}');
  });

  it('leaves digits inside strings alone, even when they look like array members', () => {
    const text = '{"v":[["a,12345678901234567890,b",12345678901234567890]]}';
    const doc = parseLossless(text);
    expect(doc.v[0][0]).toBe('a,12345678901234567890,b');
    expect(cellText(doc.v[0][1])).toBe('12345678901234567890');
    expect(goJson(doc)).toBe(text);
  });

  it('keeps strings that start with NUL distinct from big integers', () => {
    const text = '{"v":["\\u00001234567890123456789",1234567890123456789]}';
    const doc = parseLossless(text);
    expect(isBigInt(doc.v[0])).toBe(false);
    expect(cellText(doc.v[0])).toBe('\u00001234567890123456789');
    expect(isBigInt(doc.v[1])).toBe(true);
    expect(goJson(doc)).toBe(text);
  });

  it('agrees with the exact scanner', () => {
    const text = '{"a":[1,2.5,1e-7,"x",12345678901234567,true,null]}';
    expect(goJson(parseLossless(text))).toBe(goJson(parseExact(text)));
  });
});

describe('negative zero', () => {
  it('keeps a float stored as -0 as -0 in cells and in re-serialised JSON, as Go prints it', () => {
    const text = '{"results":[{"series":[{"columns":["time","v"],"values":[[1,-0],[2,-0.5],[3,0]]}]}]}';
    const doc = parseLossless(text);
    const row = doc.results[0].series[0].values[0];
    expect(cellText(row[1])).toBe('-0');
    expect(Object.is(Number(cellText(row[1])), -0)).toBe(true);
    expect(goJson(doc)).toBe(text);
  });

  it('leaves -0 inside strings alone', () => {
    const text = '{"v":[["a,-0]",-0]]}';
    const doc = parseLossless(text);
    expect(doc.v[0][0]).toBe('a,-0]');
    expect(goJson(doc)).toBe(text);
  });
});
