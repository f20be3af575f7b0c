// load --influxql: statements replayed against a real influxd, and a stub /query that never
// answers to show a timed-out query being found in SHOW QUERIES and killed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { privateInflux, type PrivateInflux } from '../e2e/transfer-server.js';
import { run, uniqueDb } from '../helpers/influx.js';

let P: PrivateInflux;
beforeAll(async () => {
  P = await privateInflux();
});
afterAll(async () => {
  await P?.stop();
});

function statementsFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'influxsh-influxql-')), 'queries.iql');
  writeFileSync(file, text);
  return file;
}

describe('load --influxql', () => {
  it('replays each statement in turn against InfluxDB with per-statement counts, first chunk before total', async () => {
    const db = uniqueDb('iql');
    await P.q(`CREATE DATABASE ${db}`);
    const now = Date.now();
    await P.write(db, Array.from({ length: 2000 }, (_, i) => `m,host=h${i % 4} v=${i} ${now - i * 1000}`).join('\n'), 'ms');
    const file = statementsFile(`use ${db}\nSELECT count(v) FROM m;\nSELECT mean(v) FROM m WHERE time > now() - 1h GROUP BY time(1m), host\n\nSHOW MEASUREMENTS\n`);
    const r = await P.run(['load', '--influxql', file, '-n', '30', '-c', '3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.requests).toEqual({ total: 30, ok: 30, non2xx: 0, errors: 0, timeouts: 0 });
    expect(rep.statements.map((s: { statement: string; database: string; requests: { ok: number } }) => [s.statement, s.database, s.requests.ok])).toEqual([
      ['SELECT count(v) FROM m', db, 10],
      ['SELECT mean(v) FROM m WHERE time > now() - 1h GROUP BY time(1m), host', db, 10],
      ['SHOW MEASUREMENTS', db, 10],
    ]);
    for (const s of rep.statements) {
      // A local query on 2,000 points: well under a second, never zero; the first chunk comes no later than the end.
      expect(s.latencyMs.p50).toBeGreaterThan(0);
      expect(s.latencyMs.max).toBeLessThan(5000);
      expect(s.firstChunkMs.p50).toBeGreaterThan(0);
      expect(s.firstChunkMs.p50).toBeLessThanOrEqual(s.latencyMs.p50);
      expect(s.firstChunkMs.max).toBeLessThanOrEqual(s.latencyMs.max);
    }
    expect(rep.rps).toBeGreaterThan(0);
  });

  it('counts a statement InfluxDB refuses as failed and exits 1', async () => {
    const file = statementsFile('SELECT v FROM nosuchdb..m\n');
    const r = await P.run(['load', '--influxql', file, '-n', '4', '-c', '1', '--json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.requests).toMatchObject({ total: 4, ok: 0, errors: 4 });
    expect(rep.errorKinds).toEqual({ 'database not found: nosuchdb': 4 });
  });

  it('rejects target URLs alongside --influxql, and an empty statements file', async () => {
    const file = statementsFile('-- nothing here\n');
    const empty = await run(['load', '--influxql', file], { bare: true });
    expect(empty.code).toBe(2);
    expect(empty.stderr.trim()).toBe(`${file}: no InfluxQL statements`);
    const both = await run(['load', '--influxql', file, 'http://127.0.0.1:1/'], { bare: true });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--influxql sends its statements to InfluxDB/);
  });
});

describe('load --influxql timeout', () => {
  it('finds a timed-out query in SHOW QUERIES, kills it with KILL QUERY, and counts a timeout', async () => {
    const asked: string[] = [];
    let dropped = 0;
    // Stands in for InfluxDB: SHOW QUERIES lists the slow query (as the server renders it) and a
    // longer-running stranger; the slow query itself never answers.
    const server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        const q = new URLSearchParams(body).get('q') ?? new URL(req.url!, 'http://x').searchParams.get('q') ?? '';
        asked.push(q);
        const json = (doc: unknown): void => void res.writeHead(200, { 'Content-Type': 'application/json', 'X-Influxdb-Version': '1.6.7' }).end(JSON.stringify(doc) + '\n');
        if (/^SHOW QUERIES/i.test(q)) {
          json({
            results: [
              {
                statement_id: 0,
                series: [
                  {
                    columns: ['qid', 'query', 'database', 'duration'],
                    values: [
                      [3, 'SELECT * FROM other', 'stub', '1m2s'],
                      [7, 'SELECT slow FROM "m"', 'stub', '312ms'],
                      [8, 'SHOW QUERIES', '', '55µs'],
                    ],
                  },
                ],
              },
            ],
          });
        } else if (/^KILL QUERY/i.test(q)) json({ results: [{ statement_id: 0 }] });
        else res.on('close', () => dropped++);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const file = statementsFile('use stub\nselect slow from m\n');
      const r = await run(['-host', '127.0.0.1', '-port', String(port), 'load', '--influxql', file, '-n', '1', '-c', '1', '--timeout', '300ms', '--json'], { bare: true });
      expect(r.code).toBe(1);
      const rep = JSON.parse(r.stdout);
      expect(rep.requests).toMatchObject({ total: 1, timeouts: 1, ok: 0 });
      expect(rep.kills).toEqual({ killed: 1, notFound: 0, failed: 0 });
      expect(asked).toEqual(['select slow from m', 'SHOW QUERIES', 'KILL QUERY 7']);
      expect(dropped).toBe(1);
    } finally {
      server.close();
    }
  });
});
