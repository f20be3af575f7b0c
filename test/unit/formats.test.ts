import { describe, expect, it } from 'vitest';
import { ColumnFormatter } from '../../src/format/column.js';
import { JsonlFormatter } from '../../src/format/jsonl.js';
import { TableFormatter } from '../../src/format/table.js';
import type { FormatEvent, Formatter, Sink } from '../../src/format/types.js';
import { parseLossless as parse } from '../../src/query/lossless.js';

/** The parsed document, read freely as tests do. */
const parseLossless = (text: string): any => parse(text);

class StringSink implements Sink {
  text = '';
  pending = 0;
  write(t: string) {
    this.text += t;
  }
  async flush() {}
}

function render(make: (s: Sink) => Formatter, events: FormatEvent[]): string {
  const sink = new StringSink();
  const f = make(sink);
  for (const e of events) f.event(e);
  f.close();
  return sink.text;
}

const series = (rows: unknown[][], tags?: Record<string, string>): FormatEvent[] => [
  { type: 'response-start' },
  { type: 'statement', id: 0 },
  { type: 'series', id: 0, name: 'cpu', tags, columns: ['time', 'host', 'value'] },
  { type: 'rows', id: 0, rows },
  { type: 'end', id: 0 },
  { type: 'response-end' },
];

describe('column', () => {
  it('aligns by display width, so CJK and emoji line up', () => {
    const out = render(
      (s) => new ColumnFormatter(s),
      series([
        [1, '東京', 1],
        [2, 'ab', 2],
        [3, '🚀x', 3],
      ]),
    );
    expect(out).toBe(['name: cpu', 'time host value', '---- ---- -----', '1    東京 1', '2    ab   2', '3    🚀x  3', ''].join('\n'));
  });

  it('aligns rows taken as bytes: escapes decoded, unicode by width, nulls empty, numbers verbatim', async () => {
    const { parseWithRawValues } = await import('../../src/query/raw-values.js');
    const values = '[[1700000000000000001,"東京",1e-7],[2,"say \\"hi\\"",null],[3,"\\u00e9\\t!",-9223372036854775808]]';
    const doc = parseWithRawValues(Buffer.from(`{"results":[{"series":[{"name":"cpu","columns":["time","host","value"],"values":${values}}]}]}`)) as any;
    const events = series([]);
    events[3] = { type: 'rows', id: 0, rows: [], scan: doc.results[0].series[0].rawValues };
    const out = render((s) => new ColumnFormatter(s), events);
    expect(out).toBe(
      [
        'name: cpu',
        'time                host     value',
        '----                ----     -----',
        '1700000000000000001 東京     1e-7',
        '2                   say "hi" ',
        '3                   é\t!       -9223372036854775808',
        '',
      ].join('\n'),
    );
  });

  it('copies rows it keeps for alignment, since a line and its scan are reused after the event', async () => {
    const { parseWithRawValues, ScanArena } = await import('../../src/query/raw-values.js');
    const arena = new ScanArena();
    const line = (values: string) => Buffer.from(`{"results":[{"series":[{"name":"cpu","columns":["time","host","value"],"values":${values}}]}]}`);
    const sink = new StringSink();
    const f = new ColumnFormatter(sink);
    for (const e of series([]).slice(0, 3)) f.event(e);
    const first = line('[[1,"a",1.5],[2,"bb",2]]');
    f.event({ type: 'rows', id: 0, rows: [], scan: (parseWithRawValues(first, arena) as any).results[0].series[0].rawValues });
    first.fill(0x7a); // the transport reuses the line's buffer, the arena its arrays
    f.event({ type: 'rows', id: 0, rows: [], scan: (parseWithRawValues(line('[[3,"longer",3]]'), arena) as any).results[0].series[0].rawValues });
    f.close();
    expect(sink.text).toBe(['name: cpu', 'time host   value', '---- ----   -----', '1    a      1.5', '2    bb     2', '3    longer 3', ''].join('\n'));
  });

  it('keeps alignment monotonic when a long series streams past the buffer', () => {
    const sink = new StringSink();
    const f = new ColumnFormatter(sink, { alignRows: 3 });
    const events = series([
      [1, 'a', 1],
      [2, 'b', 2],
    ]);
    events.splice(4, 0, {
      type: 'rows',
      id: 0,
      rows: [
        [3, 'longer-host', 3],
        [4, 'c', 4],
      ],
    });
    for (const e of events) f.event(e);
    const lines = sink.text.split('\n');
    expect(lines[2]).toBe('---- ---- -----');
    expect(lines[4]).toBe('2    b    2');
    expect(lines[5]).toBe('3    longer-host 3');
    expect(lines[6]).toBe('4    c           4');
  });
});

describe('jsonl, vertical, table', () => {
  const doc = parseLossless('{"v":[[1700000000000000001,"a",0.5]]}');
  it('jsonl writes one object per row with exact big integers', () => {
    const out = render((s) => new JsonlFormatter(s), series(doc.v, { region: 'eu' }));
    expect(out).toBe('{"name":"cpu","tags":{"region":"eu"},"time":1700000000000000001,"host":"a","value":0.5}\n');
  });

  it('vertical prints one column per line under a numbered rule, as the shell does', () => {
    const out = render((s) => new TableFormatter(s, { vertical: true }), series([...doc.v, ...doc.v], { region: 'eu' }));
    expect(out).toBe(
      'cpu  region=eu\n' +
        '-[ row 1 ]----------\n' +
        ' time | 1700000000000000001\n' +
        ' host | a\n' +
        'value | 0.5\n' +
        '-[ row 2 ]----------\n' +
        ' time | 1700000000000000001\n' +
        ' host | a\n' +
        'value | 0.5\n' +
        '2 rows\n\n',
    );
  });

  it('table draws boxes with the series as caption and a row count', () => {
    const out = render((s) => new TableFormatter(s), series(doc.v, { region: 'eu' }));
    expect(out.split('\n')[0]).toBe('cpu  region=eu');
    expect(out).toContain('│ 1700000000000000001 │ a    │ 0.5   │');
    expect(out).toContain('1 row\n');
  });
});

describe('table', () => {
  it('aligns by display width (CJK, emoji) and keeps each cell on one line', () => {
    const out = render(
      (s) => new TableFormatter(s),
      series(
        [
          [1, '東京', 1],
          [2, 'a\tb', null],
          [3, '🚀x', 'x\ny'],
        ],
        { region: 'eu', host: 'a' },
      ),
    );
    expect(out).toBe(
      [
        'cpu  host=a, region=eu',
        '┌──────┬──────┬───────┐',
        '│ time │ host │ value │',
        '├──────┼──────┼───────┤',
        '│ 1    │ 東京 │ 1     │',
        '│ 2    │ a\\tb │       │',
        '│ 3    │ 🚀x  │ x\\ny  │',
        '└──────┴──────┴───────┘',
        '3 rows',
        '',
        '',
      ].join('\n'),
    );
  });

  it('streams a long series in slices: one box while the rows fit it, a wider box when they do not', () => {
    const hosts = ['h', 'a-long-host', 'h', 'h', 'a-longer-host', 'h', 'h'];
    const rows = hosts.map((h, i) => [i + 1, h, i]);
    const sink = new StringSink();
    const f = new TableFormatter(sink, { alignRows: 2 });
    const evs = series(rows.slice(0, 3));
    evs.splice(4, 0, { type: 'rows', id: 0, rows: rows.slice(3) });
    let afterFirstRows = '';
    for (const e of evs) {
      f.event(e);
      if (e.type === 'rows' && !afterFirstRows) afterFirstRows = sink.text;
    }
    // The first slice is out before the series ends: memory holds at most one slice.
    expect(afterFirstRows).toContain('│ 2    │ a-long-host │ 1     │\n');
    expect(sink.text).toBe(
      [
        'cpu',
        '┌──────┬─────────────┬───────┐',
        '│ time │ host        │ value │',
        '├──────┼─────────────┼───────┤',
        '│ 1    │ h           │ 0     │',
        '│ 2    │ a-long-host │ 1     │',
        '│ 3    │ h           │ 2     │',
        '│ 4    │ h           │ 3     │',
        '└──────┴─────────────┴───────┘',
        '┌──────┬───────────────┬───────┐',
        '│ time │ host          │ value │',
        '├──────┼───────────────┼───────┤',
        '│ 5    │ a-longer-host │ 4     │',
        '│ 6    │ h             │ 5     │',
        '│ 7    │ h             │ 6     │',
        '└──────┴───────────────┴───────┘',
        '7 rows',
        '',
        '',
      ].join('\n'),
    );
  });

  it('caps a series to its head and tail, with the tail as wide as the head', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [i + 1, i < 2 ? 'wide-host-name' : 'h', i]);
    const out = render((s) => new TableFormatter(s, { limit: 4 }), series(rows));
    expect(out).toContain('│ 2    │ wide-host-name │ 1     │\n└');
    expect(out).toContain('  ⋮ 996 more rows ⋮\n┌');
    expect(out).not.toContain('│ 998  │');
    expect(out).toContain('│ 999  │ h              │ 998   │');
    expect(out).toContain("1,000 rows, 4 shown\n'last' pages");
    // The footer fits an 80-column terminal even when the shell marks it partial (20 more).
    const footer = out.slice(out.indexOf('1,000 rows')).trimEnd().split('\n');
    expect(footer).toHaveLength(2);
    expect(footer[0]!.length + ' (partial, cancelled)'.length).toBeLessThan(80);
    expect(footer[1]!.length).toBeLessThan(80);
  });

  it('styles borders and caption only when given a style', () => {
    const marks = { dim: (s: string) => `<${s}>`, bold: (s: string) => `*${s}*` };
    const doc = parseLossless('{"v":[[1700000000000000001,"a",0.5]]}');
    const styled = render((s) => new TableFormatter(s, { style: marks }), series(doc.v, { region: 'eu' }));
    expect(styled.split('\n').slice(0, 2)).toEqual(['*cpu  region=eu*', '<┌─────────────────────┬──────┬───────┐>']);
    expect(styled).toContain('<│> 1700000000000000001 <│> a    <│> 0.5   <│>');
    expect(styled).toContain('<1 row>');
    const plain = render((s) => new TableFormatter(s), series(doc.v, { region: 'eu' }));
    expect(plain).not.toMatch(/[<>*\x1b]/);
  });

  it('adds a trend table drawn by the same renderer', () => {
    const rows = Array.from({ length: 8 }, (_, i) => [i, 'a', i * i]);
    const out = render((s) => new TableFormatter(s, { sparklines: true }), series(rows));
    expect(out).toContain('│ series │ column │ points │ min │ max │ last │ trend    │');
    expect(out).toMatch(/│ cpu +│ value +│ 8 +│ 0 +│ 49 +│ 49 +│ ▁▁▁▂▃▅▆█ │\n└──/);
    expect(out.indexOf('8 rows\n\n┌')).toBeGreaterThan(0);
  });
});

describe('displayWidth', () => {
  it('counts terminal cells: CJK and emoji two, combining marks none', async () => {
    const { displayWidth } = await import('../../src/format/width.js');
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('東京')).toBe(4);
    expect(displayWidth('🚀')).toBe(2);
    expect(displayWidth('👨‍👩‍👧')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('🇫🇷')).toBe(2);
    expect(displayWidth('ｱ')).toBe(1);
    expect(displayWidth('Ａ')).toBe(2);
  });
});

describe('csv from the bytes of rows', () => {
  const values =
    '[[1700000000000000001,"plain",true,null,-9223372036854775808,0.5,1e-7],' +
    '["a,b","say \\"hi\\"","line\\nbreak"," lead","tab\\tin","東京 🚀","back\\\\slash"],' +
    '[false,"","\\u00e9",12,null,null,"\\"values\\":["],' +
    '[1,"a],[b",null,"x,null,y"," 東京","null","\u00a0nbsp"]]';
  const expected = [
    'm,"t=x,y",1700000000000000001,plain,true,,-9223372036854775808,0.5,1e-7',
    'm,"t=x,y","a,b","say ""hi""","line\nbreak"," lead",tab\tin,東京 🚀,back\\slash',
    'm,"t=x,y",false,,é,12,,,"""values"":["',
    'm,"t=x,y",1,"a],[b",,"x,null,y"," 東京",null,"\u00a0nbsp"',
    '',
  ].join('\n');
  const chunk = `{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"t":"x,y"},"columns":["a","b","c","d","e","f","g"],"values":${values}}]}]}`;

  it('prints escapes, unicode, quotes, leading spaces, nulls and big integers as 1.x does', async () => {
    const { csvRows } = await import('../../src/format/csv.js');
    const { parseWithRawValues } = await import('../../src/query/raw-values.js');
    const doc = parseWithRawValues(Buffer.from(chunk)) as any;
    expect(doc.results[0].series[0].values).toEqual([]);
    expect(csvRows(doc.results[0].series[0].rawValues, Buffer.from('m,"t=x,y",')).toString()).toBe(expected);
  });

  it('prints parsed rows the same way', async () => {
    const { CsvFormatter } = await import('../../src/format/csv.js');
    const text = render(
      (s) => new CsvFormatter(s),
      [
        { type: 'series', id: 0, name: 'm', tags: { t: 'x,y' }, columns: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] },
        { type: 'rows', id: 0, rows: parseLossless(chunk).results[0].series[0].values },
      ],
    );
    expect(text).toBe('name,tags,a,b,c,d,e,f,g\n' + expected);
  });

  it('falls back to parsing when the values are not a flat array of arrays', async () => {
    const { parseWithRawValues } = await import('../../src/query/raw-values.js');
    expect(parseWithRawValues(Buffer.from('{"results":[{"series":[{"columns":["a"],"values":[[{"x":1}]]}]}]}'))).toBeNull();
    expect(parseWithRawValues(Buffer.from('{"results":[{"series":[{"columns":["a"],"values":[[1],["open'))).toBeNull();
  });
});
