import { describe, expect, it } from 'vitest';
import { parseInsert, parseUseTarget } from '../../src/influxql/identifiers.js';

describe('parseUseTarget (1.x vectors)', () => {
  it.each([
    ['foo', { db: 'foo' }],
    ['"foo.bar"', { db: 'foo.bar' }],
    ['."foo.bar"', { db: undefined, rp: 'foo.bar' }],
    ['"foo.bin"."bar.baz...."', { db: 'foo.bin', rp: 'bar.baz....' }],
    ['"with space"', { db: 'with space' }],
    ['db.rp;', { db: 'db', rp: 'rp' }],
    ['MixedCase', { db: 'MixedCase' }],
  ])('%s', (arg, want) => {
    expect(parseUseTarget(arg)).toEqual(want);
  });

  it('rejects more than one unquoted dot and open quotes', () => {
    expect(parseUseTarget('"a"."b".c')).toHaveProperty('error');
    expect(parseUseTarget('"abc')).toHaveProperty('error');
    expect(parseUseTarget('')).toHaveProperty('error');
  });
});

describe('parseInsert', () => {
  it('reads a single name after INTO as the retention policy, as 1.x does', () => {
    expect(parseInsert('INSERT INTO test cpu,host=a value=1')).toEqual({ rp: 'test', body: 'cpu,host=a value=1' });
    expect(parseInsert('insert into db.rp cpu value=1')).toEqual({ db: 'db', rp: 'rp', body: 'cpu value=1' });
    expect(parseInsert('insert into .rp cpu value=1')).toEqual({ db: undefined, rp: 'rp', body: 'cpu value=1' });
    expect(parseInsert('insert into "my db"."r \\"p" cpu value=1')).toEqual({ db: 'my db', rp: 'r "p', body: 'cpu value=1' });
    expect(parseInsert('insert cpu value=1')).toEqual({ body: 'cpu value=1' });
    expect(parseInsert('insert into')).toHaveProperty('error');
  });
});
