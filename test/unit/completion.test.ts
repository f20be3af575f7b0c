import { describe, expect, it } from 'vitest';
import { complete, quoteIdentifier } from '../../src/shell/completion.js';
import { commands } from '../../src/cli/registry.js';
import { emptySnapshot, tagValuesKey, type MetadataSnapshot } from '../../src/shell/metadata.js';

const meta: MetadataSnapshot = {
  ...emptySnapshot(),
  database: 'telegraf',
  databases: ['telegraf', 'my db', '_internal', 'metrics'],
  retentionPolicies: {
    telegraf: [
      { name: 'autogen', isDefault: true, duration: '0s' },
      { name: 'one week', isDefault: false, duration: '168h0m0s' },
    ],
    metrics: [{ name: 'raw', isDefault: true }],
    'my db': [{ name: 'autogen', isDefault: true }],
  },
  measurements: { telegraf: ['cpu', 'disk', 'mem', 'select', 'net io'] },
  fieldKeys: {
    telegraf: {
      cpu: [
        { name: 'usage_idle', type: 'float' },
        { name: 'usage user', type: 'float' },
      ],
      mem: [{ name: 'used', type: 'integer' }],
      disk: [{ name: 'free', type: 'integer' }],
    },
  },
  tagKeys: { telegraf: { cpu: ['host', 'cpu'], mem: ['host', 'region'], disk: ['path'] } },
  tagValues: {
    [tagValuesKey('telegraf', '', 'cpu', 'host')]: ['server-01', 'server-02', "o'brien"],
    [tagValuesKey('telegraf', 'autogen', 'cpu', 'host')]: ['rp-server'],
  },
};

/** `|` marks the cursor (the end when absent). */
function at(t: string, m: MetadataSnapshot = meta) {
  const i = t.indexOf('|');
  const text = i >= 0 ? t.slice(0, i) + t.slice(i + 1) : t;
  const c = complete(text, i >= 0 ? i : text.length, m, commands);
  return { ...c, values: c.candidates.map((x) => x.value), text };
}

describe('complete: what is offered where', () => {
  it.each([
    // [text with cursor, values expected first (in order), values that must be absent]
    ['', ['SELECT', 'SHOW'], ['cpu']],
    ['sel', ['select'], ['SELECT']],
    ['SEL', ['SELECT'], ['select']],
    ['us', ['use'], []],
    ['form', ['format'], []],
    ['SELECT ', ['usage_idle', '"usage user"', 'free', 'used'], ['SELECT']],
    ['SELECT us| FROM cpu', ['usage_idle', '"usage user"'], ['used']],
    ['SELECT | FROM mem', ['used'], ['usage_idle']],
    ['SELECT me', ['mean('], []],
    ['SELECT ME', ['MEAN('], []],
    ['SELECT mean(| FROM cpu', ['usage_idle', '"usage user"'], ['used']],
    ['SELECT mean(usage_idle), | FROM cpu', ['usage_idle'], []],
    ['SELECT derivative(mean(usage_idle), ', ['1s', '1m'], []],
    ['SELECT * FROM ', ['cpu', 'disk', 'mem', '"select"', '"net io"'], ['telegraf']],
    ['SELECT * FROM c', ['cpu', '"select"'], ['mem']],
    ['SELECT * FROM "ne', ['"net io"'], []],
    ['SELECT * FROM cpu, ', ['cpu', 'disk'], []],
    ['SELECT * FROM telegraf.', ['autogen', '"one week"'], ['cpu']],
    ['SELECT * FROM telegraf."one week".', ['cpu', 'disk'], ['autogen']],
    ['SELECT * FROM telegraf..', ['cpu'], []],
    ['SELECT * FROM metrics.', ['raw'], ['autogen']],
    ['SELECT * FROM cpu ', ['WHERE', 'GROUP BY', 'ORDER BY', 'LIMIT'], []],
    ['SELECT * FROM cpu wh', ['where'], []],
    ['SELECT * FROM cpu WHERE ', ['host', 'cpu', 'usage_idle', '"usage user"', 'time'], ['region']],
    ['SELECT * FROM cpu WHERE host = ', ["'server-01'", "'server-02'", "'o\\'brien'"], []],
    ["SELECT * FROM cpu WHERE host = 'server-0", ["'server-01'", "'server-02'"], ["'o\\'brien'"]],
    ["SELECT * FROM cpu WHERE host != 's", ["'server-01'"], []],
    ["SELECT * FROM telegraf.autogen.cpu WHERE host = '", ["'rp-server'"], ["'server-01'"]],
    ["SELECT * FROM telegraf..cpu WHERE host = '", ["'server-01'"], ["'rp-server'"]],
    ["SELECT * FROM autogen.cpu WHERE host = '", ["'rp-server'"], ["'server-01'"]],
    ["SELECT * FROM cpu WHERE host = 'server-01' ", ['AND', 'OR', 'GROUP BY'], []],
    ["SELECT * FROM cpu WHERE host = 'a' AND ", ['host', 'cpu'], []],
    ['SELECT * FROM cpu WHERE (', ['host'], []],
    ['SELECT * FROM cpu WHERE time > ', ['now()'], []],
    ['SELECT * FROM cpu WHERE time > now() - ', ['5m', '15m', '1h'], []],
    ['SELECT * FROM cpu WHERE time > now() - 3', ['3s', '3m', '3h', '3d', '3w'], []],
    ['SELECT * FROM cpu GROUP BY ', ['host', 'cpu', 'time(', '*'], ['usage_idle']],
    ['SELECT * FROM cpu GROUP BY host, ', ['host', 'cpu'], []],
    ['SELECT mean(usage_idle) FROM cpu GROUP BY time(', ['1m', '5m', '10m'], []],
    ['SELECT mean(usage_idle) FROM cpu GROUP BY time(1h) ', ['fill(', 'ORDER BY', 'LIMIT'], []],
    ['SELECT mean(usage_idle) FROM cpu GROUP BY time(1h) fill(', ['null', 'none', 'previous', 'linear', '0'], []],
    ['SELECT * FROM cpu ORDER BY ', ['time'], []],
    ['SELECT * FROM cpu ORDER BY time ', ['ASC', 'DESC'], []],
    ['SELECT * FROM /c.*/ WHERE ', ['host', 'cpu'], ['path']],
    ['SELECT * FROM (SELECT mean(usage_idle) FROM cpu) WHERE ', ['host'], []],
    ['SELECT * FROM (SELECT | FROM mem)', ['used'], ['usage_idle']],
    ['SELECT * INTO ', ['cpu'], []],
    ['SHOW ', ['DATABASES', 'MEASUREMENTS', 'TAG KEYS'], []],
    ['show tag ', ['keys', 'values'], []],
    ['SHOW TAG KEYS FROM ', ['cpu'], []],
    ['SHOW TAG VALUES FROM cpu WITH KEY = ', ['host', 'cpu'], []],
    ['SHOW TAG VALUES FROM cpu ', ['ON', 'FROM', 'WITH KEY'], []],
    ['SHOW MEASUREMENTS ON ', ['telegraf', '"my db"'], []],
    ['SHOW RETENTION POLICIES ', ['ON'], []],
    ['SHOW FIELD KEYS ON metrics FROM ', [], ['cpu']],
    ['DROP ', ['MEASUREMENT', 'SERIES', 'DATABASE'], []],
    ['DROP DATABASE ', ['telegraf', '"my db"'], []],
    ['DROP MEASUREMENT ', ['cpu'], []],
    ['DROP RETENTION POLICY ', ['autogen', '"one week"'], []],
    ['DROP RETENTION POLICY autogen ON ', ['telegraf'], []],
    ['DROP SERIES FROM cpu WHERE ', ['host', 'cpu', 'time'], ['usage_idle']],
    ['select * from cpu ', ['where', 'group by'], []],
    ['DELETE ', ['FROM', 'WHERE'], []],
    ['DELETE FROM mem WHERE ', ['host', 'region'], ['used']],
    ['CREATE ', ['DATABASE', 'RETENTION POLICY'], []],
    ['CREATE RETENTION POLICY r ON telegraf DURATION ', ['INF', '1h', '1d'], []],
    ['CREATE RETENTION POLICY r ON telegraf DURATION 1d REPLICATION 1 SHARD DURATION ', ['1h'], ['INF']],
    ['GRANT ALL ON ', ['telegraf'], []],
    ['SHOW DATABASES; SELECT * FROM ', ['cpu'], []],
    ['SELECT * FROM cpu; SHOW ', ['DATABASES'], []],
    ['SELECT * FROM cpu;\nSELECT | FROM mem', ['used'], ['usage_idle']],
    ['SELECT\n  mean(usage_idle)\nFROM\n  ', ['cpu'], []],
    ['SELECT * FROM cpu -- comment\nWHERE ', ['host'], []],
    ['SELECT * FROM cpu WHERE host =~ /', [], ["'server-01'"]],
    ['use ', ['telegraf', '"my db"', '_internal', 'metrics'], ['autogen']],
    ['use tel', ['telegraf'], []],
    ['use telegraf.', ['autogen', '"one week"'], []],
    ['use "my db".', ['autogen'], []],
    ['use "my', ['"my db"'], []],
    ['format ', ['column', 'csv', 'json'], []],
    ['format j', ['json', 'jsonl'], []],
    ['precision ', ['rfc3339', 'h', 'm', 's', 'ms', 'u', 'ns'], []],
    ['consistency ', ['any', 'one', 'quorum', 'all'], []],
    ['clear ', ['db', 'rp'], []],
    ['clear ret', ['retention policy'], []],
    ['insert ', ['into', 'cpu'], []],
    ['insert into ', ['autogen', '"one week"', 'telegraf.', '"my db".'], ['telegraf']],
    ['insert into metrics.', ['raw'], []],
  ])('%j', (text, first, absent) => {
    const r = at(text);
    expect(r.values.slice(0, first.length)).toEqual(first);
    for (const a of absent) expect(r.values).not.toContain(a);
  });
});

describe('complete: the range a candidate replaces', () => {
  it.each([
    ['SELECT * FROM c', 14, 15],
    ['SELECT * FROM c|pu WHERE', 14, 17],
    ['SELECT * FROM ', 14, 14],
    ['SELECT * FROM "ne', 14, 17],
    ["SELECT * FROM cpu WHERE host = 'ser", 31, 35],
    ["SELECT * FROM cpu WHERE host = 'se|rver-01' AND", 31, 42],
    ['SELECT * FROM telegraf.au', 23, 25],
    ['use telegraf.au', 13, 15],
    ['use te|legraf', 4, 12],
    ['clear ret', 6, 9],
    ['sel', 0, 3],
    ['  sel', 2, 5],
  ])('%j', (text, start, end) => {
    const r = at(text);
    expect([r.start, r.end]).toEqual([start, end]);
  });

  it('applying the first candidate gives the expected text', () => {
    const apply = (t: string) => {
      const r = at(t);
      return r.text.slice(0, r.start) + r.values[0] + r.text.slice(r.end);
    };
    expect(apply('SELECT * FROM c|pu WHERE')).toBe('SELECT * FROM cpu WHERE');
    expect(apply("SELECT * FROM cpu WHERE host = 'server-0")).toBe("SELECT * FROM cpu WHERE host = 'server-01'");
    expect(apply('SELECT * FROM ne')).toBe('SELECT * FROM "net io"');
    expect(apply('SELECT "usage u| FROM cpu')).toBe('SELECT "usage user" FROM cpu');
    expect(apply('use "my')).toBe('use "my db"');
  });
});

describe('complete: ranking', () => {
  it('puts prefix matches before substring and fuzzy matches', () => {
    const m = { ...meta, measurements: { telegraf: ['system', 'cpu_total', 'total_cpu', 'cxpxu'] } };
    expect(at('SELECT * FROM cpu', m).values).toEqual(['cpu_total', 'total_cpu', 'cxpxu']);
  });

  it('matches case-insensitively and keeps one candidate per value', () => {
    const m = { ...meta, measurements: { telegraf: ['CPU', 'cpu'] } };
    expect(at('SELECT * FROM Cp', m).values).toEqual(['CPU', 'cpu']);
    expect(at('SELECT mean(us', m).values.filter((v) => v === 'usage_idle')).toHaveLength(1);
  });

  it('describes candidates with their kind and detail', () => {
    const r = at('SELECT * FROM telegraf.');
    expect(r.candidates[0]).toEqual({ value: 'autogen', kind: 'retention-policy', detail: 'default, duration 0s' });
    expect(at('SELECT mea').candidates[0]).toMatchObject({ value: 'mean(', kind: 'function' });
    expect(at('format ').candidates[0]).toMatchObject({ kind: 'format' });
    expect(at('precision ').candidates[0]).toMatchObject({ kind: 'precision' });
    expect(at('SELECT  FROM cpu'.replace('  ', ' | ')).candidates[0]).toMatchObject({ value: 'usage_idle', kind: 'field', detail: 'float' });
    expect(at('SELECT * FROM cpu WHERE ').candidates[0]).toMatchObject({ kind: 'tag-key' });
    expect(at('SELECT * FROM cpu WHERE host = ').candidates[0]).toMatchObject({ kind: 'tag-value' });
    expect(at('us').candidates[0]).toMatchObject({ kind: 'command' });
    expect(at('SELECT * FROM cpu GROUP BY time(').candidates[0]).toMatchObject({ kind: 'duration' });
  });
});

describe('complete: metadata it lacks', () => {
  it('asks for tag values it has not cached', () => {
    const r = at('SELECT * FROM mem WHERE region = ');
    expect(r.values).toEqual([]);
    expect(r.fetch).toEqual({ type: 'tag-values', db: 'telegraf', rp: '', measurement: 'mem', key: 'region' });
  });

  it('asks for the schema of another database named in FROM', () => {
    const r = at('SELECT * FROM metrics.raw.');
    expect(r.values).toEqual([]);
    expect(r.fetch).toEqual({ type: 'database', db: 'metrics' });
  });

  it('offers databases after FROM when no database is in use', () => {
    const r = at('SELECT * FROM ', { ...meta, database: undefined });
    expect(r.values).toEqual(['telegraf', '"my db"', '_internal', 'metrics']);
  });

  it('works on an empty snapshot', () => {
    expect(at('SELECT * FROM cpu WHERE ', emptySnapshot()).values).toEqual(['time']);
    expect(at('use ', emptySnapshot()).values).toEqual([]);
  });
});

describe('complete: odd input', () => {
  // [text, what is offered at its end]: at any cursor the range stays inside the text around the
  // cursor and candidates are distinct; at the start of any text come the statement starts.
  it.each([
    ['SELECT * FROM "unclosed', []],
    ['/* open comment', []],
    ['\u0000\u0001\u00ff garbage', []],
    ['SELECT ,,,', ['usage_idle', '"usage user"']],
    [';;;', ['SELECT', 'SHOW']],
    ['SELECT * FROM cpu WHERE a =~ /x', []],
    ['SELECT * FROM cpu WHERE a =~ /x/ AND b = 1 -- note', []],
  ])('%j', (text, atEnd) => {
    for (const cursor of [0, Math.floor(text.length / 2), text.length]) {
      const r = complete(text, cursor, meta, commands);
      expect(r.start).toBeGreaterThanOrEqual(0);
      expect(r.start).toBeLessThanOrEqual(cursor);
      expect(r.end).toBeGreaterThanOrEqual(cursor);
      expect(r.end).toBeLessThanOrEqual(text.length);
      const values = r.candidates.map((c) => c.value);
      expect(new Set(values).size).toBe(values.length);
    }
    expect(
      complete(text, 0, meta, commands)
        .candidates.slice(0, 2)
        .map((c) => c.value),
    ).toEqual(['SELECT', 'SHOW']);
    const end = complete(text, text.length, meta, commands).candidates.map((c) => c.value);
    if (atEnd.length) expect(end.slice(0, atEnd.length)).toEqual(atEnd);
    else expect(end).toEqual([]);
  });

  it('completes after thousands of statements on one line, and inside one of them', () => {
    const many = "SELECT * FROM mem WHERE host = 'a;b'; ".repeat(5000);
    const text = many + 'SELECT * FROM c';
    const r = complete(text, text.length, meta, commands);
    expect([r.start, r.end]).toEqual([text.length - 1, text.length]);
    expect(r.candidates[0]!.value).toBe('cpu');
    const mid = many.indexOf('WHERE ', 1000) + 'WHERE '.length;
    expect(
      complete(many, mid, meta, commands)
        .candidates.map((c) => c.value)
        .slice(0, 2),
    ).toEqual(['host', 'region']);
  });

  it('clamps a cursor outside the text', () => {
    expect(complete('sel', 99, meta, commands).candidates[0]!.value).toBe('select');
  });
});

describe('quoteIdentifier', () => {
  it.each([
    ['cpu', 'cpu'],
    ['net io', '"net io"'],
    ['select', '"select"'],
    ['a"b', '"a\\"b"'],
    ['9lives', '"9lives"'],
    ['_ok', '_ok'],
  ])('%s → %s', (name, quoted) => {
    expect(quoteIdentifier(name)).toBe(quoted);
  });
});
