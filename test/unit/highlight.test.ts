import { afterEach, describe, expect, it } from 'vitest';
import { highlight, highlightSpans } from '../../src/shell/highlight.js';

const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const spansOf = (text: string) => highlightSpans(text).map((s) => [text.slice(s.start, s.end), s.kind]);

describe('highlightSpans', () => {
  it('classifies every kind of token', () => {
    const text = `SELECT mean("usage idle") * 2.5 FROM cpu WHERE host = 'a' AND time > now() - 1h AND path =~ /^\\/var/ AND x = $v -- note`;
    expect(spansOf(text)).toEqual([
      ['SELECT', 'keyword'],
      ['mean', 'function'],
      ['(', 'punctuation'],
      ['"usage idle"', 'quoted-identifier'],
      [')', 'punctuation'],
      ['*', 'operator'],
      ['2.5', 'number'],
      ['FROM', 'keyword'],
      ['cpu', 'identifier'],
      ['WHERE', 'keyword'],
      ['host', 'identifier'],
      ['=', 'operator'],
      ["'a'", 'string'],
      ['AND', 'keyword'],
      ['time', 'identifier'],
      ['>', 'operator'],
      ['now', 'function'],
      ['(', 'punctuation'],
      [')', 'punctuation'],
      ['-', 'operator'],
      ['1h', 'duration'],
      ['AND', 'keyword'],
      ['path', 'identifier'],
      ['=~', 'operator'],
      ['/^\\/var/', 'regex'],
      ['AND', 'keyword'],
      ['x', 'identifier'],
      ['=', 'operator'],
      ['$v', 'parameter'],
      ['-- note', 'comment'],
    ]);
  });

  it('marks unclosed strings, identifiers, regexes and comments', () => {
    expect(spansOf("WHERE a = 'open").at(-1)).toEqual(["'open", 'unclosed']);
    expect(spansOf('FROM "open').at(-1)).toEqual(['"open', 'unclosed']);
    expect(spansOf('FROM /cpu').at(-1)).toEqual(['/cpu', 'unclosed']);
    expect(spansOf('SELECT /* open').at(-1)).toEqual(['/* open', 'unclosed']);
  });

  it('reads a regex where InfluxQL takes one, and division elsewhere', () => {
    expect(
      spansOf('SELECT /usage/ FROM /cpu.*/, /mem/ GROUP BY /ho/')
        .filter((s) => s[1] === 'regex')
        .map((s) => s[0]),
    ).toEqual(['/usage/', '/cpu.*/', '/mem/', '/ho/']);
    expect(
      spansOf('SELECT a / b / 2 FROM m')
        .filter((s) => s[1] === 'operator')
        .map((s) => s[0]),
    ).toEqual(['/', '/']);
  });

  it('takes keywords in any case and a function call with a space before (', () => {
    expect(spansOf('select Count (x)').slice(0, 2)).toEqual([
      ['select', 'keyword'],
      ['Count', 'function'],
    ]);
  });
});

describe('highlight', () => {
  const saved = process.env.NO_COLOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  });

  it('colours tokens and strips back to the same text', () => {
    const text = 'SELECT mean(v) FROM "cpu" WHERE h = \'x\' AND time > now() - 5m;\nSHOW DATABASES';
    const out = highlight(text, { color: true });
    expect(out).not.toBe(text);
    expect(strip(out)).toBe(text);
    expect(out).toContain('\u001b[1m\u001b[94mSELECT\u001b[39m\u001b[22m');
    expect(out).toContain("\u001b[32m'x'\u001b[39m");
    expect(out).toContain('\u001b[95m5m\u001b[39m');
  });

  it('shares one colour over a run of keywords', () => {
    expect(highlight('GROUP BY x', { color: true })).toBe('\u001b[1m\u001b[94mGROUP BY\u001b[39m\u001b[22m x');
  });

  it('returns the text unchanged without colour', () => {
    const text = "SELECT * FROM cpu WHERE a = 'b'";
    expect(highlight(text, { color: false })).toBe(text);
  });

  it.each([[''], ["'"], ['"'], ['/*'], ['\u0000\u0001\u0002\ud83d\ude00 binary \ud800'], ['))) ((( ;;; ...'], ['1.2.3e4x µs 5µs']])('survives %j', (text) => {
    expect(strip(highlight(text, { color: true }))).toBe(text);
  });

  it('handles a 1 MB line', () => {
    const unit = 'SELECT mean("value") FROM cpu WHERE host = \'server-01\' AND time > now() - 1h GROUP BY time(5m); ';
    const line = unit.repeat(Math.ceil(1_048_576 / unit.length)).slice(0, 1_048_576);
    const out = highlight(line, { color: true });
    expect(strip(out)).toBe(line);
  });
});
