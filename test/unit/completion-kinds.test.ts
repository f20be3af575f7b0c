// Per context (text, cursor), the kinds of candidates completion offers, and a value that must or
// must not be among them: the contract of the completer, one row per context.
import { describe, expect, it } from 'vitest';
import { complete, type CandidateKind } from '../../src/shell/completion.js';
import { commands } from '../../src/cli/registry.js';
import { emptySnapshot, tagValuesKey, type MetadataSnapshot } from '../../src/shell/metadata.js';
import { fitToWidth, displayWidth } from '../../src/format/width.js';
import { menuLabel, menuWidth } from '../../src/ui/completion-menu.js';

const meta: MetadataSnapshot = {
  ...emptySnapshot(),
  database: 'app',
  databases: ['app', 'nct', '東京'],
  retentionPolicies: {
    app: [
      { name: 'autogen', isDefault: true },
      { name: 'week', isDefault: false },
    ],
    nct: [
      { name: 'raw', isDefault: true },
      { name: 'rollup', isDefault: false },
    ],
  },
  measurements: { app: ['cpu', 'mem'], nct: ['hits'] },
  fieldKeys: { app: { cpu: [{ name: 'usage', type: 'float' }] }, nct: { hits: [{ name: 'n', type: 'integer' }] } },
  tagKeys: { app: { cpu: ['host'] }, nct: { hits: ['path'] } },
  tagValues: { [tagValuesKey('app', '', 'cpu', 'host')]: ['a', 'b'] },
};

/** `|` marks the cursor (the end when absent). */
function at(t: string) {
  const i = t.indexOf('|');
  const text = i >= 0 ? t.slice(0, i) + t.slice(i + 1) : t;
  const r = complete(text, i >= 0 ? i : text.length, meta, commands);
  return { kinds: [...new Set(r.candidates.map((c) => c.kind))], values: r.candidates.map((c) => c.value) };
}

// [context, text, the kinds offered (in order of first appearance), a value offered, a value never offered]
const CONTEXTS: [string, string, CandidateKind[], string | null, string | null][] = [
  ['statement start', '', ['keyword', 'command'], 'SELECT', 'cpu'],
  ['a command name', 'us', ['command'], 'use', 'SELECT'],
  ['select list', 'SELECT ', ['field', 'function', 'tag-key', 'other'], 'usage', 'SELECT'],
  ['select list before FROM', 'SELECT | FROM nct..hits', ['field', 'function', 'tag-key', 'other'], 'n', 'usage'],
  ['function argument', 'SELECT mean(| FROM cpu', ['field', 'function', 'other'], 'usage', 'FROM'],
  ['FROM', 'SELECT * FROM ', ['measurement'], 'cpu', 'nct'],
  ['FROM, cursor before a word', 'SELECT * FROM |mem', ['measurement'], 'cpu', 'raw'],
  ['FROM db. offers the retention policies of db, not measurements', 'select * from nct.', ['retention-policy'], 'raw', 'cpu'],
  ['FROM rp. (a policy of the current database) offers its measurements', 'select * from week.', ['measurement'], 'cpu', 'raw'],
  ['FROM db.rp. offers the measurements of db', 'select * from nct.raw.', ['measurement'], 'hits', 'cpu'],
  ['FROM db.. offers the measurements of db', 'select * from nct..', ['measurement'], 'hits', 'cpu'],
  ['after a source', 'SELECT * FROM cpu ', ['keyword'], 'WHERE', 'cpu'],
  ['WHERE', 'SELECT * FROM cpu WHERE ', ['tag-key', 'field', 'other'], 'host', 'SELECT'],
  ['tag value after =', 'SELECT * FROM cpu WHERE host = ', ['tag-value'], "'a'", 'WHERE'],
  ['regex after =~', 'SELECT * FROM cpu WHERE host =~ ', ['other'], '/', 'SELECT'],
  ['regex after !~', 'SELECT * FROM cpu WHERE host !~ ', ['other'], '/', 'AND'],
  ['inside a regex', 'SELECT * FROM cpu WHERE host =~ /se', [], null, 'SELECT'],
  ['inside a comment', 'SELECT * FROM cpu /* wh', [], null, 'WHERE'],
  ['time comparison', 'SELECT * FROM cpu WHERE time > ', ['function'], 'now()', null],
  ['relative time', 'SELECT * FROM cpu WHERE time > now() - ', ['duration'], '1h', null],
  ['GROUP BY', 'SELECT * FROM cpu GROUP BY ', ['tag-key', 'function', 'other'], 'time(', 'usage'],
  ['GROUP BY time(', 'SELECT mean(usage) FROM cpu GROUP BY time(', ['duration'], '5m', null],
  ['fill(', 'SELECT mean(usage) FROM cpu GROUP BY time(1m) fill(', ['other'], 'previous', null],
  ['ORDER BY', 'SELECT * FROM cpu ORDER BY ', ['other'], 'time', null],
  ['SHOW', 'SHOW ', ['keyword'], 'MEASUREMENTS', null],
  ['ON <db>', 'SHOW MEASUREMENTS ON ', ['database'], 'nct', 'cpu'],
  ['DROP RETENTION POLICY', 'DROP RETENTION POLICY ', ['retention-policy'], 'week', null],
  ['use', 'use ', ['database'], 'nct', 'raw'],
  ['use db.', 'use nct.', ['retention-policy'], 'rollup', 'week'],
  ['insert', 'insert ', ['keyword', 'measurement'], 'into', null],
  ['insert into: a single name is a retention policy of the current database, or db.', 'insert into ', ['retention-policy', 'database'], 'week', 'nct'],
  ['insert into db.', 'insert into nct.', ['retention-policy'], 'rollup', 'week'],
  ['insert into offers databases as db.', 'insert into |', ['retention-policy', 'database'], 'nct.', null],
  ['format', 'format ', ['format'], 'csv', null],
  ['precision', 'precision ', ['precision'], 'rfc3339', null],
  ['second statement on a line', 'SHOW DATABASES; SELECT * FROM ', ['measurement'], 'mem', null],
];

describe('completion: the kinds of candidates per context', () => {
  it.each(CONTEXTS)('%s: %j', (_name, text, kinds, offered, never) => {
    const r = at(text);
    expect(r.kinds).toEqual(kinds);
    if (offered !== null) expect(r.values).toContain(offered);
    if (never !== null) expect(r.values).not.toContain(never);
  });
});

describe('completion menu: padding by display width', () => {
  it('starts every description in the same terminal column, CJK values included', () => {
    const shown = [{ value: '東京' }, { value: 'tokyo' }, { value: 'データベース名' }];
    const w = menuWidth(shown);
    expect(w).toBe(displayWidth('データベース名') + 2);
    for (const c of shown) expect(displayWidth(menuLabel(c.value, w))).toBe(w);
  });

  it('cuts a value wider than the column by display width, with an ellipsis', () => {
    expect(fitToWidth('データベース', 7)).toBe('データ…');
    expect(fitToWidth('データベース', 8)).toBe('データ… ');
    expect(displayWidth(fitToWidth('データベース', 7))).toBe(7);
    expect(fitToWidth('ab', 4)).toBe('ab  ');
  });
});
