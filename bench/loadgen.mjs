// Benchmarks for the traffic tools, measured against references in the same run:
//   1. `influxsh load` vs wrk against a bare Node HTTP server (same connections, same duration),
//      with keep-alive and with `Connection: close` (a new connection per request), and Node's
//      floor in the same rounds (bench/node-floor-client.cjs), the least any Node client does
//   2. `influxsh service` with metrics vs --no-metrics, and vs a faithful "original mode" of
//      Service A (one POST /write per request, fire-and-forget, as express-influx does)
//   3. `influxsh simulate` vs pre-built batches posted over keep-alive (the ingest ceiling)
// Rounds are interleaved (the order flips every round), influxd is let go idle before each run,
// and medians are reported with the spread, because the machines are shared and noisy. CPU time
// per request / per point (from /proc) is printed next to the rates: it hardly depends on load.
// Usage: npm run build && node bench/loadgen.mjs [--quick] [--only load|stall|service|simulate]
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, freePort } from './common.mjs';

const BIN = fileURLToPath(new URL('../bin/influxsh', import.meta.url));
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined; // load | stall | service | simulate
const want = (section) => !only || only === section;
const ROUNDS = quick ? 1 : 3;
/** with/without-metrics pairs and simulate/pre-built pairs: cheap enough to repeat more often. */
const PAIRS = quick ? 2 : 6;
const SECONDS = quick ? 3 : 5;
const CONNECTIONS = 10;
/** wrk's -t and load's --workers: equal, so each side has as many threads. */
const THREADS = 2;
const POINTS = quick ? 300_000 : 1_000_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const HAS_TIME = existsSync('/usr/bin/time');
/** Waits until `pid` uses under 3% of a core over half a second (at most 15 s): leftover work from the previous run must not land on the next. */
async function quiet(pid) {
  for (let i = 0; i < 30; i++) {
    const a = cpuSeconds(pid);
    await sleep(500);
    if (!(cpuSeconds(pid) - a >= 0.015)) return;
  }
}

/** Like exec, and also the child's CPU seconds (through GNU time when there is one). */
async function execCpu(cmd, args) {
  if (!HAS_TIME) return { ...(await exec(cmd, args)), cpu: NaN };
  const file = join(tmpdir(), `influxsh-bench-time-${process.pid}`);
  const r = await exec('/usr/bin/time', ['-o', file, '-f', '%U %S', cmd, ...args]);
  const [u, sy] = readFileSync(file, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  rmSync(file, { force: true });
  return { ...r, cpu: u + sy };
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
    pid: child.pid,
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

/** The original Service A on Express and node-influx (bench/original-service.cjs), when they are installed. */
async function originalService(env) {
  const port = await freePort();
  const child = spawn(process.execPath, [new URL('./original-service.cjs', import.meta.url).pathname], { stdio: 'ignore', env: { ...process.env, PORT: String(port), ...env } });
  await waitHttp(`http://127.0.0.1:${port}/api/hello`);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((r) => (child.kill('SIGTERM'), child.once('exit', r))),
  };
}

const HAVE_ORIGINAL_LIBS = ['express', 'influx', 'on-headers', 'body-parser'].every((m) => {
  try {
    createRequire(import.meta.url).resolve(m);
    return true;
  } catch {
    return false;
  }
});

async function influxshService(args) {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'service', '--listen', `127.0.0.1:${port}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  await waitHttp(`http://127.0.0.1:${port}/api/hello`);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      return err;
    },
  };
}

async function ourLoad(urls, seconds = SECONDS) {
  return (await ourLoadReport(urls, seconds)).rps;
}

async function ourLoadReport(urls, seconds = SECONDS, extra = []) {
  const r = await exec(process.execPath, [BIN, 'load', '-c', String(CONNECTIONS), '-d', `${seconds}s`, '--json', ...extra, ...urls]);
  if (!r.out.trim()) throw new Error(`load failed: ${r.err}`);
  return JSON.parse(r.out);
}

async function wrk(url, seconds = SECONDS, extra = []) {
  return (await wrkRun(url, seconds, extra)).rps;
}

/** wrk with THREADS threads: its req/s, requests and (with GNU time) CPU seconds. */
async function wrkRun(url, seconds = SECONDS, extra = []) {
  const r = await execCpu('wrk', ['-c', String(CONNECTIONS), '-t', String(THREADS), '-d', `${seconds}s`, ...extra, url]);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.out);
  const n = /(\d+) requests in/.exec(r.out);
  if (!m || !n) throw new Error(`wrk failed: ${r.out}${r.err}`);
  return { rps: Number(m[1]), requests: Number(n[1]), cpu: r.cpu };
}

const FLOOR = fileURLToPath(new URL('./node-floor-client.cjs', import.meta.url));

/** Node's floor client with CONNECTIONS over THREADS threads: its req/s, requests and CPU seconds (start-up included). */
async function floorRun(url, seconds = SECONDS, mode = undefined) {
  const r = await execCpu(process.execPath, [FLOOR, url, String(CONNECTIONS), String(THREADS), String(seconds), ...(mode ? [mode] : [])]);
  if (!r.out.trim()) throw new Error(`the floor client failed: ${r.err}`);
  const j = JSON.parse(r.out);
  return { rps: j.rps, requests: j.requests, cpu: r.cpu };
}

/** influxsh load with THREADS workers: its req/s, requests and CPU seconds (start-up included). */
async function ourRun(url, seconds = SECONDS, extra = []) {
  const r = await execCpu(process.execPath, [BIN, 'load', '-c', String(CONNECTIONS), '--workers', String(THREADS), '-d', `${seconds}s`, '--json', ...extra, url]);
  if (!r.out.trim()) throw new Error(`load failed: ${r.err}`);
  const j = JSON.parse(r.out);
  return { rps: j.rps, requests: j.requests.total, cpu: r.cpu };
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
  const req = http.request({ host: influx.hostname, port: influx.port, method: 'POST', path: '/write?db=original&p=root&precision=n&rp=&u=root', agent, headers: { 'Content-Length': Buffer.byteLength(body) } }, (res) => res.resume());
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

const spread = (xs, d = 2) => (xs.length > 1 ? `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}` : xs[0].toFixed(d));
const us = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} µs` : 'n/a');

/**
 * Runs `n` pairs of ours and the reference, the order flipping each pair so neither side always
 * gets the quieter moment; returns both sides' results and each pair's ratio (ours / reference).
 */
async function alternatingPairs(n, runOurs, runRef) {
  const ours = [];
  const ref = [];
  const ratios = [];
  for (let i = 0; i < n; i++) {
    let a;
    let b;
    if (i % 2 === 0) {
      b = await runRef(i);
      a = await runOurs(i);
    } else {
      a = await runOurs(i);
      b = await runRef(i);
    }
    ours.push(a);
    ref.push(b);
    ratios.push(a / b);
  }
  return { ours, ref, ratios };
}

const pairNote = (p, oursName, refName) =>
  `  [pairs: median ${median(p.ratios).toFixed(2)}x, spread ${spread(p.ratios)}x; ${oursName} ${p.ours.map(Math.round).join(', ')}; ${refName} ${p.ref.map(Math.round).join(', ')}]`;

const rows = [];
const cpuInfo = spawnSync('nproc').stdout?.toString().trim();
console.log(
  `loadgen benchmark: ${cpuInfo} cores, ${CONNECTIONS} connections, ${SECONDS}s runs, ${PAIRS} alternating pairs for load, service and simulate, ${ROUNDS} rounds for the originals (medians)`,
);

// 1. load vs wrk on a bare Node server
if (want('load')) {
  const srv = await nodeServer(BARE);
  await wrk(`${srv.url}/api/hello`, 1); // warm the server's JIT for both
  // Keep-alive, then a new connection per request; each side's CPU per request (GNU time) beside
  // its rate. Our start-up (Node, threads: a 2-request run) is taken off, as wrk has next to none.
  // It is measured in every round, next to the runs it is taken from (3 runs up front once varied
  // 0.35-0.50 s against 0.35-0.41 s later on the same machine: about 1 µs a request at 5 s).
  const startupRun = async () => (await execCpu(process.execPath, [BIN, 'load', '-c', String(CONNECTIONS), '--workers', String(THREADS), '-n', String(THREADS), '--json', `${srv.url}/api/hello`])).cpu;
  const startups = [];
  for (let i = 0; i < 3; i++) startups.push(await startupRun());
  // Node's floor (bench/node-floor-client.cjs: count a read, write the next request, nothing
  // else) runs in the same rounds: how far from wrk any Node client is, and load from it. Its
  // start-up (0 requests) is taken off the same way.
  const floorStartupRun = async () => (await execCpu(process.execPath, [FLOOR, `${srv.url}/api/hello`, String(CONNECTIONS), String(THREADS), '0'])).cpu;
  const floorStartups = [await floorStartupRun()];
  for (const [name, extra] of [
    ['keep-alive', []],
    ['Connection: close', ['-H', 'Connection: close']],
  ]) {
    // Each run's CPU seconds and requests; per request once every start-up run is in.
    const runs = { ours: [], wrk: [], floor: [], measuring: [] };
    const floorRps = [];
    const keepAlive = extra.length === 0;
    const oursRun = async () => {
      const r = await ourRun(`${srv.url}/api/hello`, SECONDS, extra);
      runs.ours.push(r);
      startups.push(await startupRun());
      return r.rps;
    };
    const wrkOnce = async (i) => {
      // The floor goes before wrk in odd rounds and after it in even ones, as load does.
      const floorNow = async () => {
        const f = await floorRun(`${srv.url}/api/hello`, SECONDS, keepAlive ? undefined : 'close');
        runs.floor.push(f);
        floorRps.push(f.rps);
        // Keep-alive: also the floor plus the least a measuring client adds (a clock read, a status check, a bucket count).
        if (keepAlive) runs.measuring.push(await floorRun(`${srv.url}/api/hello`, SECONDS, 'measure'));
        floorStartups.push(await floorStartupRun());
      };
      if (i % 2 === 1) await floorNow();
      const r = await wrkRun(`${srv.url}/api/hello`, SECONDS, extra);
      runs.wrk.push(r);
      if (i % 2 === 0) await floorNow();
      return r.rps;
    };
    const p = await alternatingPairs(PAIRS, oursRun, wrkOnce);
    const startup = median(startups);
    const floorStartup = median(floorStartups);
    const perRequest = (list, off = 0) => list.map((r) => ((r.cpu - off) / r.requests) * 1e6);
    const cpu = {
      ours: perRequest(runs.ours, startup),
      oursWhole: perRequest(runs.ours),
      wrk: perRequest(runs.wrk),
      floor: perRequest(runs.floor, floorStartup),
      measuring: perRequest(runs.measuring, floorStartup),
    };
    rows.push(line(`load --workers ${THREADS} vs wrk -t${THREADS}, ${name}`, p.ours, 'req/s', p.ref, 'wrk', '1.0'));
    console.log(rows.at(-1), pairNote(p, 'ours', 'wrk'));
    rows.push(
      `  load start-up CPU (a ${THREADS}-request run, ${startups.length} runs so far): median ${startup.toFixed(2)} s (${Math.min(...startups).toFixed(2)}–${Math.max(...startups).toFixed(2)} s), taken off below; the floor's ${floorStartup.toFixed(2)} s`,
    );
    console.log(rows.at(-1));
    rows.push(
      `  client CPU per request, ${name}: load ${us(median(cpu.ours))} vs wrk ${us(median(cpu.wrk))} (${(median(cpu.ours) / median(cpu.wrk)).toFixed(2)}x; goal <= 1.0x); start-up left in: ${us(median(cpu.oursWhole))} (${(median(cpu.oursWhole) / median(cpu.wrk)).toFixed(2)}x)`,
    );
    console.log(rows.at(-1));
    rows.push(
      `  Node's floor, ${name}: ${fmt(median(floorRps))} req/s (${(median(floorRps) / median(p.ref)).toFixed(2)}x wrk), CPU per request ${us(median(cpu.floor))} (${(median(cpu.floor) / median(cpu.wrk)).toFixed(2)}x wrk); load is ${(median(cpu.ours) / median(cpu.floor)).toFixed(2)}x the floor's CPU`,
    );
    console.log(rows.at(-1));
    if (keepAlive) {
      rows.push(
        `  Node's measuring floor, ${name}: CPU per request ${us(median(cpu.measuring))} (${(median(cpu.measuring) / median(cpu.wrk)).toFixed(2)}x wrk); load is ${(median(cpu.ours) / median(cpu.measuring)).toFixed(2)}x it`,
      );
      console.log(rows.at(-1));
    }
  }
  await srv.stop();
}

// 1b. rate mode against a server that stalls 1 s every 5 s (issue 14's case): percentiles vs the
// values the stall pattern implies (a share S/P of intended times waits uniformly 0..S).
if (want('stall')) {
  const S = 1000;
  const P = 5000;
  const srv = await nodeServer(`import http from 'node:http';
const t0 = Date.now();
http.createServer((req, res) => {
  const phase = (Date.now() - t0) % ${P};
  const answer = () => res.end('{"hello":"world!"}');
  if (phase >= ${P - S}) setTimeout(answer, ${P} - phase); else answer();
}).listen(Number(process.env.PORT), '127.0.0.1');`);
  const r = await ourLoadReport([`${srv.url}/api/hello`], 10, ['--rate', '1000', '--allow-shortfall']);
  await srv.stop();
  const analytic = (pct) => S * (1 - ((100 - pct) / 100) * (P / S));
  const l = r.latencyMs;
  const row = `rate 1000/s, stall 1 s every 5 s, 10 s: p90 ${l.p90} ms vs ${analytic(90)} analytic, p99 ${l.p99} vs ${analytic(99)}, p99.9 ${l.p999} vs ${analytic(99.9)}; p50 ${l.p50}; ${r.requests.total} requests (${r.requests.ok} ok)`;
  rows.push(row);
  console.log(row);
}

// 2. service with and without metrics, and the original's one-write-per-request design
const influx = await startInfluxd();
try {
  const targets = (u) => [`${u}/api/hello`, `${u}/api/world`];
  if (want('service')) {
    // Pairs of runs with and without metrics, the order flipping each pair, influxd quiet before
    // each; the CPU the service and influxd spend per request says what metrics really cost.
    const cpu = { with: [], without: [], influx: [] };
    let lost = 0;
    let served = 0;
    const oneRun = async (metrics) => {
      await quiet(influx.pid);
      const s = await influxshService(metrics ? ['--url', influx.url, '--database', 'service'] : ['--no-metrics']);
      const s0 = cpuSeconds(s.pid);
      const i0 = cpuSeconds(influx.pid);
      const rep = await ourLoadReport(targets(s.url));
      const s1 = cpuSeconds(s.pid);
      const err = await s.stop(); // flushes the last points
      const i1 = cpuSeconds(influx.pid);
      const n = rep.requests.total;
      (metrics ? cpu.with : cpu.without).push(((s1 - s0) / n) * 1e6);
      if (metrics) {
        cpu.influx.push(((i1 - i0) / n) * 1e6);
        served += Number(/served (\d+)/.exec(err)?.[1] ?? 0);
        const m = /(\d+) dropped, (\d+) rejected/.exec(err);
        lost += m ? Number(m[1]) + Number(m[2]) : 0;
      }
      return rep.rps;
    };
    const p = await alternatingPairs(
      PAIRS,
      () => oneRun(true),
      () => oneRun(false),
    );
    const stored = (await query(influx.url, 'SELECT sum(num_requests) FROM serviceA', 'service')).results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0;
    const withM = p.ours;
    rows.push(line('service with metrics vs --no-metrics', withM, 'req/s', p.ref, 'no-metrics', '0.8'));
    console.log(rows.at(-1), pairNote(p, 'with', 'without'));
    console.log(`  CPU per request: service ${us(median(cpu.with))} with metrics vs ${us(median(cpu.without))} without; influxd ${us(median(cpu.influx))} to store the point`);
    console.log(`  (influxsh service: ${served} served, ${lost} points lost, serviceA sum(num_requests) = ${stored})`);
    if (stored !== served) console.log(`  warning: ${served} served but ${stored} stored`);

    // The original's design (one write per request) in rounds of its own, so its backlog of writes
    // cannot land on the runs above.
    const original = [];
    const replica = [];
    for (let i = 0; i < ROUNDS; i++) {
      await quiet(influx.pid);
      await query(influx.url, 'CREATE DATABASE original');
      const o = await nodeServer(ORIGINAL, { INFLUX: influx.url });
      replica.push(await ourLoad(targets(o.url)));
      await o.stop();
      if (!HAVE_ORIGINAL_LIBS) continue;
      await quiet(influx.pid);
      const e = await originalService({ INFLUX: influx.url });
      original.push(await ourLoad(targets(e.url)));
      await e.stop();
    }
    if (original.length) {
      rows.push(line('service with metrics vs the original', withM, 'req/s', original, 'Express + node-influx original', '10'));
      console.log(rows.at(-1), `  [original ${original.map(Math.round).join(', ')}]`);
    }
    rows.push(line('service with metrics vs original mode', withM, 'req/s', replica, 'original mode', '10'));
    rows.push(line("service with metrics vs the original's 1.5k", withM, 'req/s', 1500, 'quoted figure', '10'));
    console.log(rows.at(-1), `  [original mode ${replica.map(Math.round).join(', ')}]`);
  }

  // 3. simulate vs pre-built batches posted over keep-alive
  if (want('simulate')) {
    // Alternating order each pair; the CPU simulate itself burns per 1M points (start-up
    // included) and influxd's per 1M points show where the time goes.
    const cpu = { sim: [], simInflux: [], rawInflux: [] };
    const per1M = (x) => (x / POINTS) * 1e6;
    const runRaw = async (i) => {
      await quiet(influx.pid);
      const i0 = cpuSeconds(influx.pid);
      const pps = await prebuilt(influx.url, `raw${i}`, POINTS, 5000, 4);
      cpu.rawInflux.push(per1M(cpuSeconds(influx.pid) - i0));
      return pps;
    };
    const runSim = async (i) => {
      await quiet(influx.pid);
      const i0 = cpuSeconds(influx.pid);
      const r = await execCpu(process.execPath, [BIN, 'simulate', '--url', influx.url, '--database', `sim${i}`, '--points', String(POINTS), '--batch-size', '5000', '--concurrency', '4', '--json']);
      cpu.simInflux.push(per1M(cpuSeconds(influx.pid) - i0));
      if (!r.out.trim()) throw new Error(`simulate failed: ${r.err}`);
      cpu.sim.push(per1M(r.cpu));
      const count = (await query(influx.url, 'SELECT count(latency) FROM serviceA', `sim${i}`)).results?.[0]?.series?.[0]?.values?.[0]?.[1];
      if (count !== POINTS) console.log(`  warning: sim${i} stored ${count} of ${POINTS} points`);
      return JSON.parse(r.out).pps;
    };
    const p = await alternatingPairs(PAIRS, runSim, runRaw);
    rows.push(line(`simulate vs pre-built batches, ${POINTS / 1e6}M points`, p.ours, 'pts/s', p.ref, 'pre-built', '0.8'));
    console.log(rows.at(-1), pairNote(p, 'simulate', 'pre-built'));
    console.log(
      `  CPU per 1M points: simulate process ${median(cpu.sim).toFixed(2)} s (start-up included); influxd ${median(cpu.simInflux).toFixed(2)} s for simulate, ${median(cpu.rawInflux).toFixed(2)} s for pre-built`,
    );
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
