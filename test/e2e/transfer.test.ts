// influxsh -import and influxsh export as users run them: the built binary against the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync, gunzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, BIN, uniqueDb } from '../helpers/influx.js';
import { privateInflux, type PrivateInflux } from './transfer-server.js';

const dir = mkdtempSync(join(tmpdir(), 'influxsh-transfer-'));
let influx: PrivateInflux;
beforeAll(async () => {
  influx = await privateInflux();
});
afterAll(async () => {
  await influx?.stop();
  rmSync(dir, { recursive: true, force: true });
});
const q = (query: string, db?: string) => influx.q(query, db);
const write = (db: string, lines: string) => influx.write(db, lines);
const run = (args: string[], opts: { input?: string; bare?: boolean } = {}) => (opts.bare ? runCommand(process.execPath, [BIN, ...args], opts) : influx.run(args, opts));
const influxUrl = () => influx.url;

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** The whole database as the server answers it, exact (raw text, ns epochs). */
async function dump(db: string): Promise<string> {
  const body = new URLSearchParams({ q: 'SELECT * FROM /.*/ GROUP BY *; SHOW FIELD KEYS; SHOW TAG KEYS; SHOW SERIES', db, epoch: 'ns' });
  const res = await fetch(`${influxUrl()}/query`, { method: 'POST', body });
  return res.text();
}

async function countOf(db: string, field: string, from = 'm'): Promise<number> {
  const r = await q(`SELECT count("${field}") FROM ${from}`, db);
  return r.results[0].series?.[0]?.values?.[0]?.[1] ?? 0;
}

describe('influxsh -import', () => {
  it('imports the 1.x format from a gzip file detected by its magic bytes', async () => {
    const db = uniqueDb('e2e_imp');
    const lines = Array.from({ length: 2500 }, (_, i) => `m,h=h${i % 5} v=${i}i ${1_600_000_000_000_000_000n + BigInt(i)}`);
    const text = `# DDL\nCREATE DATABASE ${db}\n\n# DML\n# CONTEXT-DATABASE: ${db}\n# CONTEXT-RETENTION-POLICY: autogen\n${lines.join('\n')}\n`;
    const path = file('a.txt.whatever', gzipSync(text));
    const r = await run(['-import', '-path', path, '-precision', 'ns', '--batch-size', '400']);
    expect(r.stderr).toMatch(/2500 points read, 2500 written, 0 rejected; 1 DDL statement /);
    expect(r.code).toBe(0);
    expect(await countOf(db, 'v')).toBe(2500);
  });

  it('reads plain line protocol from stdin into -database with -precision', async () => {
    const db = uniqueDb('e2e_stdin');
    await q(`CREATE DATABASE ${db}`);
    const r = await run(['-import', '-path', '-', '-database', db, '-precision', 's'], { input: 'm v=1 1700000000\nm v=2 1700000001\n' });
    expect(r.code).toBe(0);
    const res = await q('SELECT v FROM m', db);
    expect(res.results[0].series[0].values.map((v: unknown[]) => v[0])).toEqual(['2023-11-14T22:13:20Z', '2023-11-14T22:13:21Z']);
  });

  it('on Ctrl-C stops reading, lets the writes in flight land and exits 130 with a summary', async () => {
    const db = uniqueDb('e2e_int');
    await q(`CREATE DATABASE ${db}`);
    const path = file('int.lp', Array.from({ length: 20000 }, (_, i) => `m v=${i} ${i + 1}`).join('\n'));
    const child = spawn(process.execPath, [BIN, '--url', influx.url, '-import', '-path', path, '-database', db, '-pps', '5000'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 10_000;
    while ((await countOf(db, 'v')) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await code).toBe(130);
    const m = /import: (\d+) points read, (\d+) written, 0 rejected/.exec(stderr);
    expect(m, stderr).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(20000);
    expect(m![2]).toBe(m![1]);
    expect(await countOf(db, 'v')).toBe(Number(m![2]));
    expect(stderr).toContain('stopped by an interrupt');
  });

  it('throttles to -pps points per second', async () => {
    const db = uniqueDb('e2e_pps');
    await q(`CREATE DATABASE ${db}`);
    const input = Array.from({ length: 2000 }, (_, i) => `m v=${i} ${i + 1}`).join('\n');
    const started = Date.now();
    const r = await run(['-import', '-path', '-', '-database', db, '-pps', '4000'], { input });
    // The last of five 400-point batches may leave only after 1600 / 4000 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(r.code).toBe(0);
    expect(await countOf(db, 'v')).toBe(2000);
  });

  it('reports malformed and conflicting lines by number, writes them to the rejects file, lands the rest, exits 1', async () => {
    const db = uniqueDb('e2e_rej');
    await q(`CREATE DATABASE ${db}`);
    const text = ['m v=1 1', 'm v=2 2', 'this is not line protocol', 'm v="str" 4', 'm v=5 5'].join('\n');
    const path = file('bad.lp', text);
    const rejects = join(dir, 'bad.rejects');
    const r = await run(['-import', '-path', path, '-database', db, '--rejects', rejects]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 3: unable to parse');
    expect(r.stderr).toMatch(/line 4: field type conflict/);
    expect(r.stderr).toMatch(/5 points read, 3 written, 2 rejected/);
    expect(r.stderr).toContain('ERROR: 2 points were not written');
    expect(await countOf(db, 'v')).toBe(3);
    const rej = readFileSync(rejects, 'utf8');
    expect(rej).toContain(`# CONTEXT-DATABASE: ${db}\n`);
    expect(rej).toMatch(/# line 3: unable to parse[^\n]*\nthis is not line protocol\n/);
    expect(rej).toMatch(/# line 4: field type conflict[^\n]*\nm v="str" 4\n/);
    // The rejects file is itself importable: fixed, it lands.
    writeFileSync(rejects, rej.replace('this is not line protocol', 'm v=3 3').replace('m v="str" 4', 'm v=4 4'));
    const again = await run(['-import', '-path', rejects]);
    expect(again.code).toBe(0);
    expect(await countOf(db, 'v')).toBe(5);
  });

  it('fails clearly on bad input', async () => {
    const missing = await run(['-import', '-path', join(dir, 'nope.txt')]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr.trim()).toBe(`cannot read ${join(dir, 'nope.txt')}: no such file`);

    const truncated = file('t.gz', gzipSync('# DML\n# CONTEXT-DATABASE: x\n' + 'm v=1 1\n'.repeat(2000)).subarray(0, 60));
    const t = await run(['-import', '-path', truncated, '-compressed']);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/the gzip data is truncated or corrupt/);
    expect(t.stderr).not.toMatch(/\n\s+at /);

    const nodb = await run(['-import', '-path', file('nodb.lp', 'm v=1 1\n')]);
    expect(nodb.code).toBe(2);
    expect(nodb.stderr).toMatch(/line 1: no database for this line protocol: pass -database/);

    const ghost = uniqueDb('ghost');
    const g = await run(['-import', '-path', file('ghost.lp', 'm v=1 1\n'), '-database', ghost, '--rejects', join(dir, 'g.rej')]);
    expect(g.code).toBe(1);
    expect(g.stderr).toContain(`database "${ghost}" does not exist`);

    const down = await run(['--url', 'http://127.0.0.1:1', '-import', '-path', file('d.lp', 'm v=1 1\n'), '-database', 'x'], { bare: true });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^Failed to connect to http:\/\/127\.0\.0\.1:1: connection refused/);

    const usage = await run(['-import', '-path', file('u.lp', 'm v=1 1\n'), '--concurrency', '0']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/invalid --concurrency "0"/);
  });

  it('reports a failing DDL statement and goes on, unless --strict', async () => {
    const db = uniqueDb('e2e_ddl');
    const path = file('ddl.txt', `# DDL\nCREATE DATABASE ${db}\nCREATE NONSENSE\n# DML\n# CONTEXT-DATABASE: ${db}\nm v=1 1\n`);
    const lax = await run(['-import', '-path', path]);
    expect(lax.code).toBe(0);
    expect(lax.stderr).toMatch(/line 3: CREATE NONSENSE: error parsing query/);
    expect(lax.stderr).toMatch(/2 DDL statements \(1 failed\)/);
    const strict = await run(['-import', '-path', path, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/stopped \(--strict\) at line 3: CREATE NONSENSE/);
  });
});

describe('influxsh export', () => {
  const T = 1_700_000_000_000_000_000n;
  const awkward = [
    `we\\ ird\\,m,t\\ a\\=g=v\\,1\\ x,uni=日本 s="quo\\"te, comma = eq",e="",n=-42i,b=false,f=1e-7,big=9223372036854775807i,nl="line1\nline2\n# CONTEXT-DATABASE: not_a_context",bs="back\\\\slash" ${T + 1n}`,
    `we\\ ird\\,m,t\\ a\\=g=v2 s=" lead",n=9007199254740993i,b=true,f=3.14159265358979,big=-9223372036854775806i ${T + 2n}`,
    `we\\ ird\\,m f=1e+300,n=0i,u=12345678901234567890.0 ${T + 3n}`,
    `"quoted",k=😀 "f\\ k"="x",x=1 -5`,
    `emoji😀 uni="ünï😀",i=1i 1`,
    `cpu,host=a usage=0.5,count=3i ${T}`,
  ];

  it('round-trips awkward data exactly into another database', async () => {
    const src = uniqueDb('exp_src');
    const dst = uniqueDb('exp_dst');
    await q(`CREATE DATABASE ${src}`);
    await q(`CREATE RETENTION POLICY week ON ${src} DURATION 0s REPLICATION 1 SHARD DURATION 1w`);
    await write(src, awkward.join('\n'));
    await write(src, `cpu,host=b usage=0.25 ${T}`);
    const res = await fetch(`${influxUrl()}/write?db=${src}&rp=week`, { method: 'POST', body: `cpu,host=w usage=1 ${T}` });
    expect(res.status).toBe(204);
    const out = join(dir, 'export.txt');
    const e = await run(['export', '--database', src, '--target-database', dst, '--out', out]);
    expect(e.stderr).toMatch(/export: 8 points in 8 series from 4 measurements/);
    // A small export's size in bytes or KB, not "0.0 MB".
    expect(e.stderr).toMatch(/, (\d+ bytes|\d+\.\d KB) of line protocol/);
    expect(e.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(new RegExp(`^# DDL\\nCREATE DATABASE "${dst}"\\n`));
    expect(text).toContain(`CREATE RETENTION POLICY "week" ON "${dst}" DURATION 0s REPLICATION 1 SHARD DURATION 168h0m0s\n`);
    expect(text).toContain('big=9223372036854775807i');
    expect(text).toContain('# CONTEXT-RETENTION-POLICY: week\ncpu,host=w usage=1 ');
    const i = await run(['-import', '-path', out]);
    expect(i.stderr).toMatch(/8 points read, 8 written, 0 rejected/);
    expect(i.code).toBe(0);
    const [a, b] = [await dump(src), await dump(dst)];
    expect(a).toContain('9223372036854775807');
    expect(b).toBe(a);
    const wa = await (await fetch(`${influxUrl()}/query?db=${src}&epoch=ns&q=${encodeURIComponent('SELECT * FROM week.cpu')}`)).text();
    const wb = await (await fetch(`${influxUrl()}/query?db=${dst}&epoch=ns&q=${encodeURIComponent('SELECT * FROM week.cpu')}`)).text();
    expect(wb).toBe(wa);

    const week = await run(['export', '--database', src, '--retention-policy', 'week']);
    expect(week.code).toBe(0);
    expect(week.stdout).toContain(`CREATE RETENTION POLICY "week" ON "${src}"`);
    expect(week.stdout).not.toContain('autogen');
    expect(week.stdout.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('CREATE'))).toEqual([`cpu,host=w usage=1 ${T}`]);
  });

  it('round-trips 25,000 points read in 1,000-row chunks (partial series) exactly', async () => {
    const src = uniqueDb('exp_chunks_src');
    const dst = uniqueDb('exp_chunks_dst');
    await q(`CREATE DATABASE ${src}`);
    const sizes: Record<string, number> = { h0: 13_000, h1: 4_000, h2: 4_000, h3: 4_000 };
    const lines: string[] = [];
    for (const [host, n] of Object.entries(sizes)) {
      for (let i = 0; i < n; i++) {
        const extreme = i === 0 ? '9223372036854775807i' : i === 1 ? '-9223372036854775808i' : `${i * 7919}i`;
        const s = i % 1000 === 5 ? 's="q\\"uote \\\\ back, comma=eq\ttab\nnl ü😀"' : `s="${host}-${i}"`;
        // Nanosecond times that no coarser precision could carry.
        lines.push(`chunks,host=${host} i=${extreme},f=${i % 3 ? i / 7 : 1.7976931348623157e308},b=${i % 2 === 0},${s} ${T + BigInt(i) * 1_000_003n}`);
      }
    }
    await write(src, lines.join('\n'));
    const proxy = await chunkCountingProxy(influxUrl());
    const out = join(dir, 'chunks.txt');
    let e;
    try {
      e = await runCommand(process.execPath, [BIN, '--url', proxy.url, 'export', '--database', src, '--target-database', dst, '--chunk-size', '1000', '--out', out]);
    } finally {
      await proxy.close();
    }
    expect(e.stderr).toMatch(/export: 25000 points in 4 series from 1 measurement,/);
    expect(e.code).toBe(0);
    // The server really split the SELECT: one chunk per 1,000 rows of a series, every chunk
    // but a series' last marked partial.
    expect(proxy.selectChunks).toEqual([25]);
    expect(proxy.partialSeries).toBe(21);

    const i = await run(['-import', '-path', out]);
    expect(i.stderr).toMatch(/25000 points read, 25000 written, 0 rejected/);
    expect(i.code).toBe(0);
    const counts = async (db: string) => Object.fromEntries((await q('SELECT count(i) FROM chunks GROUP BY host', db)).results[0].series.map((s: any) => [s.tags.host, s.values[0][1]]));
    expect(await counts(dst)).toEqual(sizes);
    const exact = async (db: string) => {
      const body = new URLSearchParams({ q: 'SELECT * FROM chunks GROUP BY *', db, epoch: 'ns' });
      return (await fetch(`${influxUrl()}/query`, { method: 'POST', body })).text();
    };
    const [a, b] = [await exact(src), await exact(dst)];
    expect(b.length).toBeGreaterThan(1_000_000);
    expect(b).toBe(a);
    // A sample, spelled out: 64-bit extremes, the largest float, escapes and a nanosecond time.
    expect(b).toContain(`[${T},true,1.7976931348623157e+308,9223372036854775807,"h0-0"]`);
    expect(b).toContain(`[${T + 1_000_003n},false,0.14285714285714285,-9223372036854775808,"h3-1"]`);
    expect(b).toContain(`[${T + 5n * 1_000_003n},false,0.7142857142857143,39595,"q\\"uote \\\\ back, comma=eq\\ttab\\nnl ü😀"]`);
  });

  it('filters by measurement (name or /regex/) and time, and gzips on request', async () => {
    const db = uniqueDb('exp_filter');
    await q(`CREATE DATABASE ${db}`);
    await write(db, ['cpu v=1 1000', 'cpu v=2 2000', 'cpu v=3 3000', 'mem v=1 1000', 'disk v=1 1000', 'diskio v=1 1000'].join('\n'));
    const out = join(dir, 'filtered.gz');
    const r = await run(['export', '--database', db, '--measurement', 'cpu', '--measurement', '/^disk/', '--start', '2000', '--end', '3000', '--compressed', '--out', out]);
    expect(r.code).toBe(0);
    const text = gunzipSync(readFileSync(out)).toString();
    const dml = text.slice(text.indexOf('# DML'));
    expect(dml.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['cpu v=2 2000', 'cpu v=3 3000']);
    const all = await run(['export', '--database', db, '--measurement', '/^disk/']);
    expect(all.stdout).toContain('disk v=1 1000\ndiskio v=1 1000\n');
    expect(all.stdout).not.toContain('mem');
    const none = await run(['export', '--database', db, '--measurement', 'nosuch']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('export: measurement "nosuch" has no fields in "autogen": nothing exported for it');
  });

  it('fails clearly on a missing database or a bad time', async () => {
    const ghost = uniqueDb('ghost');
    const r = await run(['export', '--database', ghost]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr.trim()).toBe(`database "${ghost}" does not exist`);
    const t = await run(['export', '--database', 'x', '--start', 'yesterday']);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/invalid --start "yesterday"/);
    const none = await run(['export']);
    expect(none.code).toBe(2);
    const chunk = await run(['export', '--database', 'x', '--chunk-size', '0']);
    expect(chunk).toMatchObject({ code: 2, stdout: '' });
    expect(chunk.stderr.trim()).toBe('invalid --chunk-size "0": use a whole number of rows, at least 1');
  });
});

/** A pass-through to the real server that counts the chunks (JSON lines) of each SELECT's answer. */
async function chunkCountingProxy(target: string) {
  const stats = { url: '', selectChunks: [] as number[], partialSeries: 0, close: () => Promise.resolve() };
  const server = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (d: Buffer) => body.push(d));
    req.on('end', () => {
      const sent = Buffer.concat(body);
      const select = req.url!.startsWith('/query') && /q=SELECT/.test(sent.toString());
      const up = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode!, r.headers);
        let text = '';
        r.on('data', (d: Buffer) => {
          if (select) text += d.toString();
          res.write(d);
        });
        r.on('end', () => {
          if (select) {
            const docs = text.split('\n').filter(Boolean);
            stats.selectChunks.push(docs.length);
            for (const d of docs) for (const s of JSON.parse(d).results[0].series ?? []) if (s.partial) stats.partialSeries++;
          }
          res.end();
        });
      });
      up.end(sent);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stats.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stats.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return stats;
}
