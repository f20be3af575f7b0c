// Chunked JSON → line protocol, on the shapes InfluxDB 1.x sends (pure; no server needed).
import { describe, expect, it } from 'vitest';
import { Transcoder } from '../../src/transfer/transcode.js';
import type { FieldType } from '../../src/transfer/lineproto.js';

const types = new Map<string, FieldType>([
  ['b', 'boolean'],
  ['f', 'float'],
  ['i', 'integer'],
  ['s', 'string'],
]);

describe('Transcoder', () => {
  it('writes typed fields, skips nulls, keeps big integers and escapes as line protocol', () => {
    const t = new Transcoder('m', types);
    const doc = JSON.stringify({
      results: [{ statement_id: 0, series: [{ name: 'we ird,m', tags: { 't k': 'a=b,c', empty: '' }, columns: ['time', 'b', 'f', 'i', 's'], values: [] }], partial: true }],
    }).replace('"values":[]', '"values":[[1700000000000000001,true,1e-7,9223372036854775807,"quo\\"te \\\\ <tag> & \\n new"],[2,null,null,-5,null],[3,null,null,null,null]]');
    const out = t.chunk(Buffer.from(doc)).toString();
    expect(out).toBe('we\\ ird\\,m,t\\ k=a\\=b\\,c b=true,f=1e-7,i=9223372036854775807i,s="quo\\"te \\\\ <tag> & \n new" 1700000000000000001\n' + 'we\\ ird\\,m,t\\ k=a\\=b\\,c i=-5i 2\n');
    expect(t.points).toBe(2);
  });

  it('decodes \\u escapes (Go writes <, >, & that way) and throws statement errors', () => {
    const t = new Transcoder('m', types);
    const doc = '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","s"],"values":[[1,"\\u003ca\\u003e \\u0026 \\u2028"]]}]}]}';
    expect(t.chunk(Buffer.from(doc)).toString()).toBe('m s="<a> & \u2028" 1\n');
    expect(() => t.chunk(Buffer.from('{"results":[{"statement_id":0,"error":"shard not found"}]}'))).toThrow('shard not found');
  });

  it('handles several series per chunk and one series split across chunks', () => {
    const t = new Transcoder('m', types);
    const a =
      '{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"a"},"columns":["time","i"],"values":[[1,1]]},{"name":"m","tags":{"h":"b"},"columns":["time","i"],"values":[[2,2]],"partial":true}],"partial":true}]}';
    const b = '{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"b"},"columns":["time","i"],"values":[[3,3]]}]}]}';
    expect(t.chunk(Buffer.from(a)).toString() + t.chunk(Buffer.from(b)).toString()).toBe('m,h=a i=1i 1\nm,h=b i=2i 2\nm,h=b i=3i 3\n');
    expect(t.series).toBe(2);
  });
});
