// Counts and sizes in summaries read right for one, many and tiny amounts.
import { describe, expect, it } from 'vitest';
import { counted, sizeText } from '../../src/transfer/words.js';

describe('counted and sizeText', () => {
  it('uses the singular for exactly one', () => {
    expect(counted(1, 'measurement')).toBe('1 measurement');
    expect(counted(0, 'measurement')).toBe('0 measurements');
    expect(counted(2, 'DDL statement')).toBe('2 DDL statements');
    expect(counted(1, 'series', 'series')).toBe('1 series');
  });
  it('shows tiny sizes in bytes or KB, never 0.0 MB', () => {
    expect(sizeText(1)).toBe('1 byte');
    expect(sizeText(412)).toBe('412 bytes');
    expect(sizeText(4_120)).toBe('4.1 KB');
    expect(sizeText(12_500_000)).toBe('12.5 MB');
  });
});
