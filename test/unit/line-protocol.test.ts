// The one line-protocol writer (src/write/line-protocol.ts) and its users: the lines for awkward
// names, tags and values are byte for byte those the hand-built writers made before (literals
// below were printed by the previous code), NaN/Inf and out-of-range integers are refused, and
// the int64 extremes are exact.
import { describe, expect, it } from 'vitest';
import { LineProtocolError, fieldValue, finiteFields, pointLine, seriesKey } from '../../src/write/line-protocol.js';
import { toLine } from '../../src/loadgen/host-metrics.js';
import { pointRecorder } from '../../src/loadgen/service-points.js';
import { seriesPrefixes } from '../../src/loadgen/simulate.js';
import type { BufferedWriter } from '../../src/write/buffered.js';

describe('collect lines', () => {
  it('are unchanged for escapes, unicode, empty tag values and safe-integer extremes', () => {
    const tags = { 'a b': 'x,y', 'c=d': 'é ü\u00a0', 'z\\': 'back\\slash', nl: 'a\nb\tc\rd', empty: '' };
    const fields = { 'f,=\n x': 1.5, s: 'q"u\\o\nte', ü: { int: Number.MAX_SAFE_INTEGER }, neg: { int: -Number.MAX_SAFE_INTEGER }, big: 1e21, small: 5e-324, negz: -0 };
    expect(toLine({ measurement: 'm ,\n\t\r"\'=', tags, fields }, 'h ost,1', 1700000000123)).toBe(
      'm\\ \\,\\n\\t\\r"\'=,a\\ b=x\\,y,c\\=d=é\\ ü\u00a0,empty=unknown,host=h\\ ost\\,1,nl=a\\nb\\tc\\rd,z\\=back\\slash ' +
        'f\\,\\=\\n\\ x=1.5,s="q\\"u\\\\o\nte",ü=9007199254740991i,neg=-9007199254740991i,big=1e+21,small=5e-324,negz=0 1700000000123',
    );
    expect(toLine({ measurement: '日本語', tags: {}, fields: { '🙂': 0.1 + 0.2 } }, 'h', 0, { 'g=1': 'v 1' })).toBe('日本語,g\\=1=v\\ 1,host=h 🙂=0.30000000000000004 0');
  });
  it('leave out NaN and infinite fields (as Telegraf), where they used to be written as 0', () => {
    expect(toLine({ measurement: 'mem', tags: {}, fields: { a: NaN, b: Infinity, c: -Infinity, used: { int: 5 } } }, 'h', 1)).toBe('mem,host=h used=5i 1');
  });
});

describe('service points', () => {
  it('are unchanged for an awkward measurement, host and path', () => {
    const lines: string[] = [];
    const writer = {
      addEncoded(max: number, encode: (b: Buffer, o: number) => number): void {
        const b = Buffer.alloc(max + 10);
        lines.push(
          b
            .subarray(0, encode(b, 0))
            .toString()
            .replace(/ \d{19}$/, ' <ts>'),
        );
      },
    } as unknown as BufferedWriter;
    const r = pointRecorder(writer, 'service A,x', 'host=1 ,é');
    r.record('/api/a b,c=d\\é\n', 0.123, 1000);
    r.record('/', 12345.5, 1001);
    expect(lines).toEqual([
      'service\\ A\\,x,host=host\\=1\\ \\,é,url=/api/a\\ b\\,c\\=d\\é\\n latency=0.123,num_requests=1 <ts>',
      'service\\ A\\,x,host=host\\=1\\ \\,é,url=/ latency=12345.500,num_requests=1 <ts>',
    ]);
  });
});

describe('simulate series', () => {
  it('are unchanged: tags sorted by key, the product in that order, names escaped', () => {
    expect(
      seriesPrefixes('cpu load,é', [
        { key: 'z z', cardinality: 2 },
        { key: 'url', cardinality: 3 },
        { key: 'a=b', cardinality: 1 },
      ]),
    ).toEqual([
      'cpu\\ load\\,é,a\\=b=a\\=b-0,url=/api/hello,z\\ z=z\\ z-0 ',
      'cpu\\ load\\,é,a\\=b=a\\=b-0,url=/api/hello,z\\ z=z\\ z-1 ',
      'cpu\\ load\\,é,a\\=b=a\\=b-0,url=/api/world,z\\ z=z\\ z-0 ',
      'cpu\\ load\\,é,a\\=b=a\\=b-0,url=/api/world,z\\ z=z\\ z-1 ',
      'cpu\\ load\\,é,a\\=b=a\\=b-0,url=/api/path2,z\\ z=z\\ z-0 ',
      'cpu\\ load\\,é,a\\=b=a\\=b-0,url=/api/path2,z\\ z=z\\ z-1 ',
    ]);
  });
});

describe('values', () => {
  it('writes the int64 extremes exactly (bigint), which a JS number cannot hold', () => {
    expect(pointLine('m', {}, { min: { int: -(2n ** 63n) }, max: { int: 2n ** 63n - 1n } }, 1n)).toBe('m min=-9223372036854775808i,max=9223372036854775807i 1');
    expect(fieldValue('n', { int: 2 ** 62 })).toBe('4611686018427387904i');
  });
  it('refuses NaN, infinities and integers that are not int64, naming the field', () => {
    for (const v of [NaN, Infinity, -Infinity]) expect(() => fieldValue('lat', v)).toThrow(LineProtocolError);
    expect(() => fieldValue('lat', NaN)).toThrow('field "lat" is NaN: line protocol has no NaN or infinity');
    for (const v of [2n ** 63n, -(2n ** 63n) - 1n, 2 ** 63, -(2 ** 63), 1.5, NaN]) expect(() => fieldValue('n', { int: v }), String(v)).toThrow(/field "n" is .*: not an int64/);
  });
  it('writes booleans as t/f, strings quoted with " and \\ escaped, no time when none is given', () => {
    expect(pointLine('m', { t: 'v' }, { ok: true, no: false, s: 'a "b" \\c' })).toBe('m,t=v ok=t,no=f,s="a \\"b\\" \\\\c"');
    expect(seriesKey('m', { b: '2', a: '1' })).toBe('m,a=1,b=2');
    expect(finiteFields({ a: 1, b: NaN, c: { int: 2 } })).toEqual({ a: 1, c: { int: 2 } });
  });
});
