import { describe, expect, it } from 'vitest';
import { incompleteReason, splitScript, splitStatements } from '../../src/influxql/split.js';
import { commands } from '../../src/cli/registry.js';

describe('incompleteReason', () => {
  it.each([
    ['SHOW DATABASES', null],
    ["SELECT * FROM cpu WHERE host = 'a", 'open quote'],
    ['SELECT mean(value FROM cpu', 'open parenthesis'],
    ['SELECT * FROM cpu WHERE', 'trailing WHERE'],
    ['SELECT value,', 'trailing ,'],
    ['SELECT * FROM cpu WHERE a = 1 AND', 'trailing AND'],
    ['CREATE CONTINUOUS QUERY cq ON db BEGIN SELECT mean(v) INTO m2 FROM m GROUP BY time(1m)', 'BEGIN without END'],
    ['CREATE CONTINUOUS QUERY cq ON db BEGIN SELECT mean(v) INTO m2 FROM m GROUP BY time(1m) END', null],
    ['SELECT * FROM cpu WHERE host =~ /a(b/', null],
    ['SELECT 1; SELECT', 'trailing SELECT'],
    ['SELECT * FROM cpu; ', null],
    ['SELECT *', 'trailing *'],
    ['SELECT count(*) FROM /.*/', null],
    ['SELECT * FROM cpu, /mem.*/', null],
    ['SELECT a / b FROM cpu', null],
    ['SELECT * FROM cpu GROUP BY *', null],
    ['SELECT count(value)', 'SELECT without FROM'],
    ['select count(value)\n  from cpu', null],
    ['EXPLAIN ANALYZE SELECT mean(v)', 'SELECT without FROM'],
    ['SELECT * FROM (SELECT max(v) FROM m)', null],
    ['SELECT (a) FROM', 'trailing FROM'],
    ['SELECT count(value);', null],
    ['SHOW MEASUREMENTS; SELECT a', 'SELECT without FROM'],
    ['SELECT * FROM cpu WHERE host =~ /a', 'open regex'],
    ['SHOW TAG KEYS', null],
  ])('%s', (text, reason) => {
    expect(incompleteReason(text)).toBe(reason);
  });
});

describe('splitScript', () => {
  it('joins a pasted multi-line continuous query into one unit and keeps commands on their own line', () => {
    const script = [
      'use mydb',
      'CREATE CONTINUOUS QUERY cq ON mydb',
      'BEGIN',
      '  SELECT mean(value) INTO cpu_1m',
      '  FROM cpu',
      '  GROUP BY time(1m)',
      'END',
      '',
      'SHOW DATABASES; SHOW MEASUREMENTS',
      'insert cpu value=1',
    ].join('\n');
    const units = splitScript(script, commands.isCommandLine);
    expect(units.map((u) => u.line)).toEqual([1, 2, 9, 10]);
    expect(units[1]!.text).toContain('GROUP BY time(1m)\nEND');
    expect(units[2]!.text).toBe('SHOW DATABASES; SHOW MEASUREMENTS');
  });

  it('ends an unterminated statement at the end of the script', () => {
    expect(splitScript("SELECT * FROM cpu WHERE host = 'a", commands.isCommandLine)).toEqual([{ text: "SELECT * FROM cpu WHERE host = 'a", line: 1, endLine: 1 }]);
  });
});

describe('the statement rule: one unit while incomplete or followed by a clause line; ; ends one', () => {
  it.each([
    ['select count(value)\n  from cpu', [[1, 2]]],
    [
      'SELECT *\nFROM cpu\n\nWHERE a = 1\nLIMIT 2\nSHOW DATABASES',
      [
        [1, 5],
        [6, 6],
      ],
    ],
    [
      'SELECT * FROM cpu;\nWHERE a = 1',
      [
        [1, 1],
        [2, 2],
      ],
    ],
    [
      'SELECT count(v)\nSELECT * FROM cpu\nSHOW DATABASES',
      [
        [1, 2],
        [3, 3],
      ],
    ],
    [
      "SELECT * FROM cpu WHERE host = 'a\nb'\nSHOW DATABASES",
      [
        [1, 2],
        [3, 3],
      ],
    ],
    [
      'SHOW DATABASES\nuse db\nSELECT mean(v)\nFROM m GROUP BY\ntime(1m)',
      [
        [1, 1],
        [2, 2],
        [3, 5],
      ],
    ],
    ['SELECT mean(v) FROM m\nlimit 10', [[1, 2]]],
  ])('%j', (script, ranges) => {
    expect(splitScript(script, commands.isCommandLine).map((u) => [u.line, u.endLine])).toEqual(ranges);
  });
});

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    expect(splitStatements('SELECT * FROM "a;b" WHERE t = \';\' ; SHOW DATABASES;;')).toEqual(['SELECT * FROM "a;b" WHERE t = \';\'', 'SHOW DATABASES']);
  });
});
