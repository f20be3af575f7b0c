// Byte-for-byte comparison with the reference 1.x `influx` binary (Debian's influxdb-client) on a
// corpus of statements, in every format both share.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';
import { runCommand, uniqueDb, BIN } from '../helpers/influx.js';

// A server of its own: other test files create databases, which would change SHOW DATABASES
// between the two runs being compared.
let server: LocalServer;
let dir: string;
const base = () => ['-host', '127.0.0.1', '-port', String(server.port)];
const run = (args: string[]) => runCommand(process.execPath, [BIN, ...base(), ...args]);
const runReference = (args: string[]) => runCommand('influx', [...base(), ...args]);
async function q(query: string) {
  const res = await fetch(`${server.url}/query`, { method: 'POST', body: new URLSearchParams({ q: query }) });
  expect(res.status).toBe(200);
}
async function write(db: string, body: string) {
  const res = await fetch(`${server.url}/write?db=${db}`, { method: 'POST', body });
  expect(res.status).toBe(204);
}

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
  'SELECT * FROM cpu WHERE host = \'nope\'',
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
  'SELECT value FROM cpu WHERE host = \'server1\' SLIMIT 1',
  'SELECT "tag with space", s FROM weird',
  'SELECT count(*) FROM /.*/',
  'SELECT difference(value) FROM cpu WHERE host = \'server0\'',
  'SELECT value * 2 + 1 AS calc FROM cpu LIMIT 4',
];

describe('output matches the 1.x influx CLI', () => {
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'influxsh-parity-'));
    server = await startLocalServer({ dataDir: dir });
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
