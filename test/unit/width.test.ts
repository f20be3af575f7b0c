// displayWidth tells text of one-column characters at once and gives everything else to the full
// rule; the shortcut must agree with that rule on every character it covers.
import { describe, expect, it } from 'vitest';
import { displayWidth, fullWidthRule } from '../../src/format/width.js';

const ranges: [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0xa8],
  [0xaa, 0xac],
  [0xaf, 0x2ff],
  [0x2010, 0x2027],
  [0x2500, 0x259f],
];

describe('displayWidth', () => {
  it('counts one column for each character of the shortcut, as the full rule does', () => {
    let checked = 0;
    for (const [from, to] of ranges) {
      for (let cp = from; cp <= to; cp++) {
        const ch = String.fromCodePoint(cp);
        expect([cp.toString(16), fullWidthRule(ch)]).toEqual([cp.toString(16), 1]);
        expect(displayWidth(ch + ch)).toBe(2);
        checked++;
      }
    }
    expect(checked).toBe(95 + 9 + 3 + 593 + 24 + 160);
  });

  it('leaves to the full rule what the shortcut would count wrong', () => {
    expect(displayWidth('a\u00adb')).toBe(2); // soft hyphen: no column
    expect(displayWidth('©')).toBe(fullWidthRule('©'));
    expect(displayWidth('e\u0301')).toBe(1); // e and a combining accent
    expect(displayWidth('表')).toBe(2);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('a\u200bb')).toBe(2); // zero-width space
  });

  it("measures the load report's figures as the full rule does", () => {
    for (const s of ['200 × 2,000', 'p50 –  p99 –', '5,000 URLs: a, b, c and 4,997 more…', '│ ▁▂▃▄▅▆▇█ │', 'Zürich — “quoted” • naïve']) {
      expect(displayWidth(s)).toBe(fullWidthRule(s));
      expect(displayWidth(s)).toBe(s.length);
    }
  });
});
