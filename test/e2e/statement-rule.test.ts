// One statement rule for scripts and the shell (influxql/split.ts): a statement continues while it
// is incomplete by the grammar or the next line starts a clause; `;` ends it; a joined statement
// that fails names the lines it spans.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { q, run, uniqueDb, write } from '../helpers/influx.js';

const db = uniqueDb('stmtrule');

beforeAll(async () => {
  await q(`CREATE DATABASE ${db}`);
  await write(db, 'cpu,host=a value=1 1000000000\ncpu,host=b value=2 2000000000\ncpu,host=a value=4 3000000000');
});

const script = ['select count(value)', '  from cpu', 'select sum(value)', 'from cpu', "where host = 'a'", 'SHOW MEASUREMENTS'].join('\n');
const expected = ['name: cpu', 'time count', '---- -----', '0    3', 'name: cpu', 'time sum', '---- ---', '0    5', 'name: measurements', 'name', '----', 'cpu', ''].join('\n');

describe('statements over several lines in scripts', () => {
  it('joins a SELECT with its FROM (and a WHERE line) in --file, on stdin and in -execute alike', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'influxsh-rule-')), 'q.iql');
    writeFileSync(file, script);
    for (const r of await Promise.all([run(['-database', db, '--file', file]), run(['-database', db], { input: script }), run(['-database', db, '-execute', script])])) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(expected);
      expect(r.code).toBe(0);
    }
  });

  it('names the line range of a joined statement that fails, and a ; ends a statement whatever follows', async () => {
    // Line 2 forgets its FROM, so line 3 joins it: the error says lines 2–3, not a silent swallow.
    const bad = ['SHOW MEASUREMENTS', 'select count(value)', 'select * from cpu', 'SHOW DATABASES'].join('\n');
    for (const r of [await run(['-database', db], { input: bad }), await run(['-database', db, '-execute', bad])]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^lines 2–3: ERR: error parsing query: found SELECT, expected FROM/);
      expect(r.stdout).toBe('name: measurements\nname\n----\ncpu\n');
    }
    const semi = await run(['-database', db, '--continue-on-error'], { input: 'select count(value);\nfrom cpu\nSHOW MEASUREMENTS' });
    expect(semi.code).toBe(1);
    expect(semi.stderr.split('\n')[0]).toMatch(/^ERR: error parsing query: found ;, expected FROM/);
    expect(semi.stdout).toContain('name: measurements');
  });
});
