// Benchmarks for the traffic tools, measured against references in the same run:
//   1. `influxsh load` vs wrk against a bare Node HTTP server (same connections, same duration)
//   2. `influxsh service` with metrics vs --no-metrics, and vs a faithful "original mode" of
//      Service A (one POST /write per request, fire-and-forget, as express-influx does)
//   3. `influxsh simulate` vs pre-built batches posted over keep-alive (the ingest ceiling)
// Rounds are interleaved and medians reported, because the machines are shared and noisy.
// Usage: npm run build && node bench/loadgen.mjs [--quick] [--only load|service|simulate]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/influxsh', import.meta.url));
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined; // load | service | simulate
const want = (section) => !only || only === section;
const ROUNDS = quick ? 1 : 3;
const SECONDS = quick ? 3 : 5;
const CONNECTIONS = 10;
const POINTS = quick ? 300_000 : 1_000_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function exec(cmd, args) {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, out, err }));
  });
}

async function waitHttp(url, deadlineMs = 30_000) {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const ok = await new Promise((r) => {
      const req = http.get(url, (res) => {
        res.resume();
        r(true);
      });
      req.on('error', () => r(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`${url} did not come up`);
}

/** A private influxd on a free port with a temporary directory. */
async function startInfluxd() {
  const dir = mkdtempSync(join(tmpdir(), 'influxsh-bench-'));
  const port = await freePort();
  const rpc = await freePort();
  const conf = join(dir, 'influxd.conf');
  writeFileSync(
    conf,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpc}"`,
      '[meta]',
      `  dir = "${dir}/meta"`,
      '  logging-enabled = false',
      '[data]',
      `  dir = "${dir}/data"`,
      `  wal-dir = "${dir}/wal"`,
      '  query-log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${port}"`,
      '  log-enabled = false',
      '[logging]',
      '  level = "warn"',
      '',
    ].join('\n'),
  );
  const child = spawn('influxd', ['run', '-config', conf], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/ping`);
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function query(url, q, db = '') {
  const res = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q, db }) });
  return res.json();
}

/** Starts a Node child running `code` (an HTTP server on PORT) and waits until it answers. */
async function nodeServer(code, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore', env: { ...process.env, PORT: String(port), ...env } });
  await waitHttp(`http://127.0.0.1:${port}/api/hello`);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((r) => (child.kill('SIGTERM'), child.once('exit', r))),
  };
}

async function influxshService(args) {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'service', '--listen', `127.0.0.1:${port}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  await waitHttp(`http://127.0.0.1:${port}/api/hello`);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      return err;
    },
  };
}

async function ourLoad(urls, seconds = SECONDS) {
  const r = await exec(process.execPath, [BIN, 'load', '-c', String(CONNECTIONS), '-d', `${seconds}s`, '--json', ...urls]);
  if (!r.out.trim()) throw new Error(`load failed: ${r.err}`);
  return JSON.parse(r.out).rps;
}

async function wrk(url, seconds = SECONDS) {
  const r = await exec('wrk', ['-c', String(CONNECTIONS), '-t', '2', '-d', `${seconds}s`, url]);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.out);
  if (!m) throw new Error(`wrk failed: ${r.out}${r.err}`);
  return Number(m[1]);
}

const BARE = `import http from 'node:http';
http.createServer((req, res) => res.end('{"hello":"world!"}')).listen(Number(process.env.PORT), '127.0.0.1');`;

// Service A as the original runs it: one POST /write per request, no batching, no timestamp,
// fire-and-forget, num_requests as a float. The express layer is left out, which flatters it.
const ORIGINAL = `import http from 'node:http';
import { hostname } from 'node:os';
const influx = new URL(process.env.INFLUX);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const host = hostname();
const bodies = { '/api/hello': '{"hello":"world!"}', '/api/world': '{"world":"Hello!"}' };
function writePoint(url, latency) {
  const body = 'serviceA,host=' + host + ',url=' + url.replace(/[ ,=]/g, (c) => '\\\\' + c) + ' latency=' + latency + ',num_requests=1';
  const req = http.request({ host: influx.hostname, port: influx.port, method: 'POST', path: '/write?db=service&p=root&precision=n&rp=&u=root', agent, headers: { 'Content-Length': Buffer.byteLength(body) } }, (res) => res.resume());
  req.on('error', (e) => console.error(e.message));
  req.end(body);
}
http.createServer((req, res) => {
  const start = process.hrtime();
  const body = bodies[req.url];
  const d = process.hrtime(start);
  writePoint(req.url, d[0] * 1e3 + d[1] * 1e-6);
  res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(body ?? 'Cannot GET ' + req.url);
}).listen(Number(process.env.PORT), '127.0.0.1');`;

const fmt = (x) => Math.round(x).toLocaleString('en-US');

/** One result row: medians and their ratio, plus the ratio of the best rounds (noise only ever slows a run down). */
function line(name, values, unit, refs, refName, goal) {
  const value = median(values);
  const ref = Array.isArray(refs) ? median(refs) : refs;
  const best = Array.isArray(refs) ? ` (best ${fmt(Math.max(...values))} vs ${fmt(Math.max(...refs))} = ${(Math.max(...values) / Math.max(...refs)).toFixed(2)}x)` : '';
  return `${name.padEnd(46)} ${fmt(value).padStart(9)} ${unit.padEnd(8)} vs ${refName} ${fmt(ref)} = ${(value / ref).toFixed(2)}x${best}${goal ? `  goal >= ${goal}x` : ''}`;
}

const rows = [];
const cpuInfo = spawnSync('nproc').stdout?.toString().trim();
console.log(`loadgen benchmark: ${cpuInfo} cores, ${CONNECTIONS} connections, ${SECONDS}s runs, ${ROUNDS} interleaved rounds (medians)`);

// 1. load vs wrk on a bare Node server
if (want('load')) {
  const srv = await nodeServer(BARE);
  const ours = [];
  const ref = [];
  await wrk(`${srv.url}/api/hello`, 1); // warm the server's JIT for both
  for (let i = 0; i < ROUNDS; i++) {
    ref.push(await wrk(`${srv.url}/api/hello`));
    ours.push(await ourLoad([`${srv.url}/api/hello`]));
  }
  await srv.stop();
  rows.push(line('load vs wrk, bare Node server', ours, 'req/s', ref, 'wrk', '1.0'));
  console.log(rows.at(-1), `  [ours ${ours.map(Math.round).join(', ')}; wrk ${ref.map(Math.round).join(', ')}]`);
}

// 2. service with and without metrics, and the original's one-write-per-request design
const influx = await startInfluxd();
try {
  const targets = (u) => [`${u}/api/hello`, `${u}/api/world`];
  if (want('service')) {
  const withM = [];
  const without = [];
  const original = [];
  let lost = 0;
  let stored = 0;
  let served = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const a = await influxshService(['--no-metrics']);
    without.push(await ourLoad(targets(a.url)));
    await a.stop();
    const b = await influxshService(['--url', influx.url, '--database', 'service']);
    withM.push(await ourLoad(targets(b.url)));
    const err = await b.stop();
    served += Number(/served (\d+)/.exec(err)?.[1] ?? 0);
    const m = /(\d+) dropped, (\d+) rejected/.exec(err);
    lost += m ? Number(m[1]) + Number(m[2]) : 0;
    const o = await nodeServer(ORIGINAL, { INFLUX: influx.url });
    await query(influx.url, 'CREATE DATABASE service');
    original.push(await ourLoad(targets(o.url)));
    await o.stop();
  }
  const j = await query(influx.url, 'SELECT sum(num_requests) FROM serviceA', 'service');
  stored = j.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0;
  rows.push(line('service with metrics vs --no-metrics', withM, 'req/s', without, 'no-metrics', '0.8'));
  console.log(rows.at(-1), `  [with ${withM.map(Math.round).join(', ')}; without ${without.map(Math.round).join(', ')}]`);
  rows.push(line('service with metrics vs original mode', withM, 'req/s', original, 'original mode', '10'));
  rows.push(line('service with metrics vs the original\'s 1.5k', withM, 'req/s', 1500, 'quoted figure', '10'));
  console.log(rows.at(-1), `  [original ${original.map(Math.round).join(', ')}]`);
  console.log(`  (influxsh service: ${served} served, ${lost} points lost; serviceA sum(num_requests) incl. original mode = ${stored})`);
  }

  // 3. simulate vs pre-built batches posted over keep-alive
  if (want('simulate')) {
  const sims = [];
  const raws = [];
  for (let i = 0; i < Math.max(1, ROUNDS - 1); i++) {
    raws.push(await prebuilt(influx.url, `raw${i}`, POINTS, 5000, 4));
    const r = await exec(process.execPath, [BIN, 'simulate', '--url', influx.url, '--database', `sim${i}`, '--points', String(POINTS), '--batch-size', '5000', '--concurrency', '4', '--json']);
    if (!r.out.trim()) throw new Error(`simulate failed: ${r.err}`);
    const rep = JSON.parse(r.out);
    sims.push(rep.pps);
    const c = await query(influx.url, 'SELECT count(latency) FROM serviceA', `sim${i}`);
    const count = c.results?.[0]?.series?.[0]?.values?.[0]?.[1];
    if (count !== POINTS) console.log(`  warning: sim${i} stored ${count} of ${POINTS} points`);
  }
  rows.push(line(`simulate vs pre-built batches, ${POINTS / 1e6}M points`, sims, 'pts/s', raws, 'pre-built', '0.8'));
  console.log(rows.at(-1), `  [simulate ${sims.map(Math.round).join(', ')}; pre-built ${raws.map(Math.round).join(', ')}]`);
  }
} finally {
  await influx.stop();
}

/** The ingest ceiling: every batch built before the clock starts, then POSTed over keep-alive. */
async function prebuilt(url, db, points, batch, concurrency) {
  await query(url, `CREATE DATABASE ${db}`);
  const now = BigInt(Date.now()) * 1_000_000n;
  const batches = [];
  for (let i = 0; i < points; i += batch) {
    let body = '';
    for (let j = i; j < Math.min(points, i + batch); j++) {
      body += `serviceA,host=host-${j % 10},url=/api/${j % 20 < 10 ? 'hello' : 'world'} latency=${(Math.random() * 3).toFixed(3)},num_requests=1 ${now + BigInt(j)}\n`;
    }
    batches.push(Buffer.from(body));
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const u = new URL(url);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const body = batches[next++];
        await new Promise((resolve, reject) => {
          const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: `/write?db=${db}`, agent, headers: { 'Content-Length': body.length } }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
          });
          req.on('error', reject);
          req.end(body);
        });
      }
    }),
  );
  const pps = points / ((performance.now() - t0) / 1000);
  agent.destroy();
  return pps;
}

console.log('\nsummary');
for (const r of rows) console.log('  ' + r);
