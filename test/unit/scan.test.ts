import { describe, expect, it } from 'vitest';
import { scan, scanEach } from '../../src/influxql/scan.js';
import { incompleteReason } from '../../src/influxql/split.js';

describe('scan', () => {
  it('covers every character exactly once', () => {
    const text = 'SELECT "a""b", \'c\\\'d\', 1.5e3, 10m, /x/ FROM m WHERE t =~ /a\\/b/ -- c\n/* d */ $p µ 😀';
    const toks = scan(text);
    expect(toks.map((t) => t.text).join('')).toBe(text);
    for (let i = 1; i < toks.length; i++) expect(toks[i]!.start).toBe(toks[i - 1]!.end);
  });

  it('scanEach emits what scan returns', () => {
    const text = "SELECT * FROM /cpu/ WHERE host = 'a";
    const seen: [string, number, number, boolean | undefined][] = [];
    scanEach(text, (k, s, e, c) => seen.push([k, s, e, c]));
    expect(seen).toEqual(scan(text).map((t) => [t.kind, t.start, t.end, t.closed]));
  });

  it.each([
    ['SELECT * FROM /cpu/', 'regex'],
    ['SELECT * FROM a, /cpu/', 'regex'],
    ['SELECT /u/ FROM a', 'regex'],
    ['SELECT * FROM a GROUP BY /h/', 'regex'],
    ['SELECT a / 2 FROM m', 'operator'],
  ])('%s: / is read as %s', (text, kind) => {
    expect(scan(text).find((t) => t.text.startsWith('/'))!.kind).toBe(kind);
  });

  it('knows SHOW as a keyword', () => {
    expect(scan('show databases')[0]!.kind).toBe('keyword');
  });

  it('keeps a statement with a regex source complete', () => {
    expect(incompleteReason('SELECT * FROM /cpu.*/')).toBeNull();
    expect(incompleteReason('SELECT * FROM /cpu.*')).toBe('open regex');
  });
});
