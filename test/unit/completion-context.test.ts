import { describe, expect, it } from 'vitest';
import { suggestContext, sourcesOf } from '../../src/shell/completion-context.js';
import { commands } from '../../src/cli/registry.js';
import { schemaChangeReason } from '../../src/shell/metadata.js';
import { scan } from '../../src/influxql/scan.js';

const ctx = (t: string) => {
  const i = t.indexOf('|');
  return suggestContext(i >= 0 ? t.slice(0, i) + t.slice(i + 1) : t, i >= 0 ? i : t.length, commands);
};

describe('suggestContext', () => {
  it.each([
    [
      'SELECT * FROM cpu WHERE ',
      [
        { type: 'tag-key', sources: [{ measurement: 'cpu' }] },
        { type: 'field', sources: [{ measurement: 'cpu' }] },
        { type: 'literal', values: ['time'] },
      ],
    ],
    [
      'SELECT | FROM "db"."rp"."cpu", /^mem/',
      [
        { type: 'field', sources: [{ db: 'db', rp: 'rp', measurement: 'cpu' }, { regex: '^mem' }] },
        { type: 'function' },
        { type: 'tag-key', sources: [{ db: 'db', rp: 'rp', measurement: 'cpu' }, { regex: '^mem' }] },
        { type: 'literal', values: ['*'] },
      ],
    ],
    ['SELECT * FROM rp.cpu WHERE "host name" = \'', [{ type: 'tag-value', sources: [{ rp: 'rp', measurement: 'cpu' }], key: 'host name' }]],
    [
      'SELECT * FROM db.',
      [
        { type: 'retention-policy', db: 'db' },
        { type: 'measurement', rp: 'db' },
      ],
    ],
    ['SELECT * FROM db.rp.', [{ type: 'measurement', db: 'db' }]],
    [
      'SHOW TAG KEYS ON other FROM ',
      [
        { type: 'measurement', db: 'other' },
        { type: 'database', unlessCurrent: true },
      ],
    ],
    [
      'SHOW TAG KEYS ON other FROM cpu WHERE ',
      [
        { type: 'tag-key', sources: [{ db: 'other', measurement: 'cpu' }] },
        { type: 'literal', values: ['time'] },
      ],
    ],
    ['use db.', [{ type: 'retention-policy', db: 'db' }]],
    ['SELECT * FROM cpu WHERE host = |', [{ type: 'tag-value', sources: [{ measurement: 'cpu' }], key: 'host' }]],
    ['SELECT count(|) FROM cpu', [{ type: 'field', sources: [{ measurement: 'cpu' }] }, { type: 'function' }, { type: 'literal', values: ['*'] }]],
    ['SELECT * FROM cpu WHERE host ', []],
  ])('%j', (text, suggestions) => {
    expect(ctx(text).suggestions).toEqual(suggestions);
  });

  it('reports the word, its quote and what was typed of it', () => {
    expect(ctx('SELECT * FROM "net i|o" WHERE')).toMatchObject({ start: 14, end: 22, prefix: 'net i', quote: '"' });
    expect(ctx("SELECT * FROM m WHERE a = 'it\\'s|")).toMatchObject({ prefix: "it's", quote: "'" });
    expect(ctx('select * from |')).toMatchObject({ lowercase: true, prefix: '' });
    expect(ctx('SELECT * FROM |')).toMatchObject({ lowercase: false });
  });
});

describe('sourcesOf', () => {
  it('reads db..m, rp.m, regexes and subqueries', () => {
    const toks = scan('SELECT * FROM db..m1, rp.m2, /x/, (SELECT a FROM m3) WHERE a = 1').filter((t) => t.kind !== 'ws');
    expect(sourcesOf(toks, -1)).toEqual([{ db: 'db', rp: undefined, measurement: 'm1' }, { rp: 'rp', measurement: 'm2' }, { regex: 'x' }, { measurement: 'm3' }]);
  });
});

describe('schemaChangeReason', () => {
  it.each([
    ['use telegraf', 'use'],
    ['CREATE DATABASE x', 'CREATE DATABASE'],
    ['SHOW DATABASES; drop measurement cpu', 'DROP MEASUREMENT'],
    ['DELETE FROM cpu WHERE time < 0', 'DELETE FROM'],
    ['SELECT mean(v) INTO m2 FROM m GROUP BY time(1h)', 'SELECT INTO'],
    ['insert cpu v=1', 'insert'],
    ['SELECT * FROM cpu', null],
    ['SHOW MEASUREMENTS', null],
  ])('%j', (unit, reason) => {
    expect(schemaChangeReason(unit)).toBe(reason);
  });
});
