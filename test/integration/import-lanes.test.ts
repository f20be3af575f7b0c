// How the importer spreads batches over requests in flight, watched from a pass-through proxy in
// front of a real influxd: a series' batches never overlap in flight (so InfluxDB receives each
// series in file order), and input with a single series still keeps two requests in flight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { InfluxHttp } from '../../src/connection/http.js';
import { resolveSettings } from '../../src/connection/settings.js';
import { Importer, type ImportConfig } from '../../src/transfer/importer.js';
import { seriesHash } from '../../src/transfer/lanes.js';
import { uniqueDb } from '../helpers/influx.js';
import { privateInflux, type PrivateInflux } from '../e2e/transfer-server.js';

interface Seen {
  series: Set<string>;
  start: number;
  end: number;
}

let influx: PrivateInflux;
let proxy: http.Server;
let proxyUrl: string;
let writes: Seen[] = [];
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  influx = await privateInflux();
  const target = new URL(influx.url);
  let clock = 0;
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen: Seen | undefined = req.url!.startsWith('/write') ? { series: new Set(), start: clock++, end: Infinity } : undefined;
      if (seen) {
        for (const line of body.toString().split('\n')) if (line) seen.series.add(line.slice(0, line.indexOf(' ')));
        writes.push(seen);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
      }
      // Every write answers after the same pause, so requests finish in the order they were sent
      // and the server's own jitter (large on a loaded machine) does not decide the order.
      const forward = () => {
        const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode!, r.headers);
          r.pipe(res);
          r.on('end', () => {
            if (seen) {
              seen.end = clock++;
              inFlight--;
            }
          });
        });
        up.end(body);
      };
      if (seen) setTimeout(forward, 15);
      else forward();
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy?.close();
  await influx?.stop();
});

async function importLines(db: string, lines: string[], cfg: Partial<ImportConfig>) {
  await influx.q(`CREATE DATABASE ${db}`);
  writes = [];
  maxInFlight = 0;
  const conn = new InfluxHttp(resolveSettings({ url: proxyUrl }, {}));
  const imp = new Importer(
    conn,
    { database: db, batchLines: 200, batchBytes: 1_000_000, concurrency: 2, pps: 0, strict: false, retry: { deadlineMs: 5000 }, ...cfg },
    {
      onRejected: async () => undefined,
      onDdlError: () => undefined,
    },
  );
  try {
    const body = Buffer.from(lines.join('\n') + '\n');
    const parts: Buffer[] = [];
    for (let i = 0; i < body.length; i += 4096) parts.push(body.subarray(i, i + 4096));
    return await imp.run(Readable.from(parts));
  } finally {
    conn.close();
  }
}

describe('import lanes', () => {
  it('never has two batches of one series in flight at once, and stores every point', async () => {
    // Twenty series per lane, alternating lanes line by line, so both lanes fill at the same pace.
    const byLane: string[][] = [[], []];
    for (let i = 0; byLane[0]!.length < 20 || byLane[1]!.length < 20; i++) {
      const key = `m,host=h${i}`;
      const b = Buffer.from(key + ' ');
      byLane[seriesHash(b, 0, b.length) % 2]!.push(key);
    }
    const lines: string[] = [];
    for (let i = 0; i < 8000; i++) {
      const lane = byLane[i % 2]!;
      lines.push(`${lane[(i >> 1) % 20]} f=${i} ${i + 1}`);
    }
    const db = uniqueDb('lanes_multi');
    const stats = await importLines(db, lines, {});
    expect(stats).toMatchObject({ read: 8000, written: 8000, rejected: 0 });
    const r = await influx.q('SELECT count(f), sum(f) FROM m', db);
    expect(r.results[0].series[0].values[0].slice(1)).toEqual([8000, (7999 * 8000) / 2]);
    expect(writes.length).toBe(40);
    expect(maxInFlight).toBe(2);
    for (const a of writes) {
      for (const b of writes) {
        if (a === b || b.start < a.start || b.start > a.end) continue;
        // b started while a was in flight: they must share no series.
        expect([...a.series].filter((s) => b.series.has(s))).toEqual([]);
      }
    }
  });

  it('keeps two requests in flight when the input has only one series', async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => `m,host=only f=${i} ${i + 1}`);
    const db = uniqueDb('lanes_one');
    const stats = await importLines(db, lines, {});
    expect(stats).toMatchObject({ read: 6000, written: 6000 });
    expect(writes.length).toBe(30);
    expect(maxInFlight).toBe(2);
    const r = await influx.q('SELECT count(f) FROM m', db);
    expect(r.results[0].series[0].values[0][1]).toBe(6000);
  });
});
