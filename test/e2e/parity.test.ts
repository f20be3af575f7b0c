// Byte-for-byte comparison with the reference 1.x `influx` binary (Debian's influxdb-client) on a
// corpus of statements, in every format both share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueDb } from '../helpers/influx.js';
import { startParityServer, type ParityServer } from '../helpers/parity.js';

let server: ParityServer;
const run = (args: string[]) => server.run(args);
const runReference = (args: string[]) => server.runReference(args);
const q = (query: string) => server.q(query);
const write = (db: string, body: string) => server.write(db, body);

const db = uniqueDb('parity');
const T0 = 1700000000000000000n;
const t = (s: number) => String(T0 + BigInt(s) * 1000000000n);

const CORPUS: string[] = [
  'SHOW DATABASES',
  'SHOW MEASUREMENTS',
  'SHOW RETENTION POLICIES',
  'SHOW TAG KEYS',
  'SHOW TAG VALUES WITH KEY = "host"',
  'SHOW FIELD KEYS',
  'SHOW SERIES',
  'SELECT * FROM cpu',
  'SELECT * FROM cpu GROUP BY *',
  'SELECT value FROM cpu GROUP BY host',
  "SELECT * FROM cpu WHERE host = 'nope'",
  'SELECT mean(value), max(value) FROM cpu WHERE time >= ' + t(0) + ' AND time < ' + t(600) + ' GROUP BY time(1m)',
  'SELECT mean(value) FROM cpu WHERE time >= ' + t(0) + ' AND time < ' + t(600) + ' GROUP BY time(2m), host fill(none)',
  'SELECT count(value) FROM cpu',
  'SELECT * FROM weird',
  'SELECT * FROM big',
  'SELECT * FROM cpu; SELECT * FROM weird',
  'CREATE DATABASE ' + db + '; SHOW MEASUREMENTS',
  'SELECT * FROM cpu LIMIT 2; SELECT count(*) FROM big',
  'SELECT "s" FROM weird WHERE "s" =~ /quote/',
  'SELECT * FROM nonexistent',
  'SHOW CONTINUOUS QUERIES',
  'SHOW USERS',
  'SHOW TAG KEYS FROM cpu',
  'SHOW SERIES CARDINALITY',
  'SHOW MEASUREMENT CARDINALITY',
  'SELECT * FROM cpu ORDER BY time DESC LIMIT 3',
  'SELECT last(value) FROM cpu GROUP BY host',
  'SELECT top(value, 3), host FROM cpu',
  'SELECT * FROM cpu WHERE region =~ /east/ AND idle > 5',
  "SELECT value FROM cpu WHERE host = 'server1' SLIMIT 1",
  'SELECT "tag with space", s FROM weird',
  'SELECT count(*) FROM /.*/',
  "SELECT difference(value) FROM cpu WHERE host = 'server0'",
  'SELECT value * 2 + 1 AS calc FROM cpu LIMIT 4',
  // Results with the same headers run on as one table (one csv header), as 1.x prints them.
  "SELECT value FROM cpu WHERE host = 'server0'; SELECT value FROM cpu WHERE host = 'server1'",
  "SELECT value FROM cpu WHERE host = 'server0' LIMIT 1; SELECT value * 1000 FROM cpu WHERE host = 'server1'",
  "SELECT * FROM cpu GROUP BY host; SELECT * FROM cpu WHERE host = 'server2' GROUP BY host; SELECT * FROM cpu WHERE host = 'server2' GROUP BY host",
  'SELECT value FROM cpu LIMIT 2; SHOW DATABASES; SELECT value FROM cpu LIMIT 2',
  'SELECT value FROM cpu LIMIT 2; CREATE DATABASE ' + db + '; SELECT value FROM cpu LIMIT 2',
  'SELECT value FROM cpu LIMIT 2; SELECT value FROM nonexistent; SELECT value FROM cpu LIMIT 2',
  'SELECT f FROM negzero; SELECT f FROM negzero',
];

describe('output matches the 1.x influx CLI', () => {
  afterAll(async () => {
    await server?.stop();
  });

  beforeAll(async () => {
    server = await startParityServer();
    await q(`CREATE DATABASE ${db}`);
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) {
      lines.push(`cpu,host=server${i % 3},region=us-${i % 2 ? 'east' : 'west'} value=${(i * 1.5).toFixed(2)},idle=${i}i ${t(i * 30)}`);
    }
    lines.push(`weird,tag\\ with\\ space=a\\,b s="has \\"quote\\", comma",n=-42i,b=false,f=1e-7 ${t(1)}`);
    lines.push(`weird,tag\\ with\\ space=x s="",n=0i,b=true,f=3.14159265358979 ${t(2)}`);
    lines.push(`weird,tag\\ with\\ space=y s=" leading space" ${t(3)}`);
    lines.push(`big i=9223372036854775807i,neg=-9223372036854775806i,f=1e+300 ${t(4)}`);
    lines.push(`big i=9007199254740993i,neg=-1i,f=123456789.125 ${t(5)}`);
    lines.push(`negzero f=-0 ${t(6)}`, `negzero f=-0.5 ${t(7)}`, `negzero f=0 ${t(8)}`);
    await write(db, lines.join('\n'));
  });

  for (const format of ['column', 'csv', 'json']) {
    for (const pretty of format === 'json' ? [false, true] : [false]) {
      for (const precision of ['ns', 'rfc3339', 's']) {
        it(`${format}${pretty ? ' pretty' : ''} precision ${precision}`, async () => {
          // One script, one request per line, as both CLIs run -execute.
          const args = ['-database', db, '-format', format, '-precision', precision, '-execute', CORPUS.join('\n')];
          if (pretty) args.push('-pretty');
          const [ours, ref] = await Promise.all([run(args), runReference(args)]);
          expect(ref.code).toBe(0);
          expect(ref.stdout.length).toBeGreaterThan(500);
          expect(ours.stdout).toBe(ref.stdout);
          expect(ours.code).toBe(0);
        });
      }
    }
  }

  it('reports statement errors on stderr with exit 1, where 1.x writes them to stdout', async () => {
    const stmt = 'SELECT * FROM cpu WHERE time > now() -';
    const ours = await run(['-database', db, '-execute', stmt]);
    const ref = await runReference(['-database', db, '-execute', stmt]);
    expect(ref.code).toBe(1);
    expect(ours.code).toBe(1);
    const refErr = ref.stdout.split('\n').find((l) => l.startsWith('ERR: '))!;
    expect(ours.stderr.split('\n')).toContain(refErr);
    expect(ours.stdout).toBe('');
  });
});
