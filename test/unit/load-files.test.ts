// The request files of load: --targets blocks and --influxql statements, and reading SHOW QUERIES.
import { describe, expect, it } from 'vitest';
import { parseTargetsText } from '../../src/loadgen/targets-file.js';
import { goDurationMs, parseStatements, sameQuery } from '../../src/loadgen/influxql-statements.js';

describe('parseTargetsText', () => {
  it('reads blocks with or without blank lines between them, bare URLs as GET, comments skipped', () => {
    const t = parseTargetsText('# c\nget http://h/a\nX-A: 1\nPOST http://h/b\nContent-Type: text/plain\n@body.txt\n\nhttp://h/c\n', '/d/t.txt');
    expect(t).toEqual([
      { method: 'GET', url: 'http://h/a', headers: ['X-A: 1'], line: 2 },
      { method: 'POST', url: 'http://h/b', headers: ['Content-Type: text/plain'], bodyFile: '/d/body.txt', line: 4 },
      { method: 'GET', url: 'http://h/c', headers: [], line: 8 },
    ]);
  });

  it('names the line of a header after the body, a second body, or a header with no request', () => {
    expect(() => parseTargetsText('GET http://h/\n@a\nX: 1\n', 'f')).toThrow('f:3: headers go before the @body line');
    expect(() => parseTargetsText('GET http://h/\n@a\n@b\n', 'f')).toThrow('f:3: a request has one body file');
    expect(() => parseTargetsText('X-A: 1\n', 'f')).toThrow('f:1: expected a request line "METHOD URL"');
    expect(() => parseTargetsText('# only a comment\n', 'f')).toThrow('f: no requests');
  });
});

describe('parseStatements', () => {
  it('splits at semicolons and lines, and use sets the database of what follows', () => {
    const s = parseStatements('SELECT 1 FROM a; SELECT 2 FROM b\nuse "my db".rp1\nSELECT *\n  FROM c\n', 'f');
    expect(s.map((x) => [x.label, x.database, x.retentionPolicy])).toEqual([
      ['SELECT 1 FROM a', undefined, undefined],
      ['SELECT 2 FROM b', undefined, undefined],
      ['SELECT * FROM c', 'my db', 'rp1'],
    ]);
  });
});

describe('SHOW QUERIES matching', () => {
  it('compares a listed query with ours regardless of case, quoting and spacing', () => {
    expect(sameQuery('SELECT mean(v) FROM "m" WHERE time > now() - 1h', 'select mean(v)  from m where time > now() - 1h;')).toBe(true);
    expect(sameQuery('SELECT max(v) FROM m', 'select mean(v) from m')).toBe(false);
    // InfluxDB 1.6 lists `now() - 24h` as `now() - 1d` and 1.5 as 1.500.
    expect(sameQuery('SELECT count(v) FROM m WHERE time > now() - 1d AND v > 1.500 GROUP BY time(1h)', 'select count(v) from m where time > now() - 24h and v > 1.5 group by time(60m)')).toBe(true);
    expect(sameQuery('SELECT count(v) FROM m WHERE time > now() - 1d', 'select count(v) from m where time > now() - 23h')).toBe(false);
    expect(sameQuery('SELECT v FROM m5s', 'select v from m5s')).toBe(true);
  });

  it("reads Go's duration text", () => {
    expect(goDurationMs('1m2.5s')).toBe(62_500);
    expect(goDurationMs('312ms')).toBe(312);
    expect(goDurationMs('55µs')).toBeCloseTo(0.055);
    expect(goDurationMs('soon')).toBeNaN();
  });
});
