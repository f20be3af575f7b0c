// Chart speed: time to render a 10,000-point chart (goal < 100 ms), in process and through the
// built binary against a private influxd, with the column format on the same data as reference.
//   npm run build && node bench/chart.mjs
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(root, 'bin/influxsh');
const GOAL_MS = 100;
const POINTS = 10000;
const tmp = mkdtempSync(join(tmpdir(), 'influxsh-bench-chart-'));

// dist/ exports nothing but the CLI, so the modules timed in process are bundled from src here.
await build({
  entryPoints: { chart: join(root, 'src/format/chart.ts'), column: join(root, 'src/format/column.ts'), local: join(root, 'src/connection/local.ts'), lossless: join(root, 'src/query/lossless.ts') },
  // One copy of ExactNumber for all entries (the chart tests cells with instanceof).
  splitting: true,
  outdir: tmp,
  bundle: true,
  format: 'esm',
  platform: 'node',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const { ChartFormatter } = await import(pathToFileURL(join(tmp, 'chart.js')).href);
const { ColumnFormatter } = await import(pathToFileURL(join(tmp, 'column.js')).href);
const { startLocalServer } = await import(pathToFileURL(join(tmp, 'local.js')).href);
const { ExactNumber } = await import(pathToFileURL(join(tmp, 'lossless.js')).href);

const T0 = 1700000000000000000n;
function events(seriesCount) {
  const per = POINTS / seriesCount;
  const ev = [{ type: 'response-start' }, { type: 'statement', id: 0 }];
  for (let s = 0; s < seriesCount; s++) {
    ev.push({ type: 'series', id: 0, name: 'bench', tags: { host: `h${s}` }, columns: ['time', 'value'] });
    const rows = [];
    for (let i = 0; i < per; i++) rows.push([new ExactNumber(String(T0 + BigInt(i) * 1000000000n)), s * 2 + Math.sin(i / 50) + Math.random() * 0.1]);
    ev.push({ type: 'rows', id: 0, rows });
  }
  ev.push({ type: 'end', id: 0 }, { type: 'response-end' });
  return ev;
}

function timeFormatter(make, ev, runs = 21, warmup = 5) {
  const times = [];
  let chars = 0;
  for (let r = -warmup; r < runs; r++) {
    let out = '';
    const sink = { write: (t) => (out += t), pending: 0, flush: async () => {} };
    const t = performance.now();
    const f = make(sink);
    for (const e of ev) f.event(e);
    f.close();
    if (r >= 0) times.push(performance.now() - t);
    chars = out.length;
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], chars };
}

const rows = [];
for (const seriesCount of [1, 4]) {
  const ev = events(seriesCount);
  const chart = timeFormatter((sink) => new ChartFormatter(sink, { width: 120, height: 25, color: true, precision: 'ns' }), ev);
  const column = timeFormatter((sink) => new ColumnFormatter(sink, {}), ev);
  rows.push([`in process, ${seriesCount} series × ${POINTS / seriesCount}`, chart.median, column.median, `${chart.chars} chars`]);
}

function runBin(args) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLUMNS: '120' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - t, out }) : reject(new Error(err))));
  });
}

const server = await startLocalServer({ dataDir: join(tmp, 'influxd') });
try {
  const url = new URL(server.url);
  const base = ['-host', url.hostname, '-port', url.port, '-database', 'bench'];
  await fetch(`${server.url}/query`, { method: 'POST', body: new URLSearchParams({ q: 'CREATE DATABASE bench' }) });
  const lines = [];
  for (let i = 0; i < POINTS; i++) lines.push(`bench,host=h${i % 4} value=${Math.sin(i / 200).toFixed(4)} ${T0 + BigInt(i) * 1000000000n}`);
  const w = await fetch(`${server.url}/write?db=bench`, { method: 'POST', body: lines.join('\n') });
  if (w.status !== 204) throw new Error(`write failed: ${w.status}`);
  const q = ['-execute', 'SELECT value FROM bench GROUP BY host'];
  const median = async (args) => {
    const ms = [];
    for (let i = 0; i < 5; i++) ms.push((await runBin(args)).ms);
    return ms.sort((a, b) => a - b)[2];
  };
  await runBin([...base, '-format', 'chart', ...q]); // warm the server's caches
  const chart = await median([...base, '-format', 'chart', ...q]);
  const column = await median([...base, '-format', 'column', ...q]);
  rows.push([`binary end to end, 4 series × ${POINTS / 4} (incl. node start + query)`, chart, column, `chart − column: ${(chart - column).toFixed(1)} ms (column prints all 10,000 rows)`]);
} finally {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}

const fmt = (n) => n.toFixed(1).padStart(8);
console.log(`chart benchmark: ${POINTS} points, goal < ${GOAL_MS} ms to render`);
console.log(`${'case'.padEnd(62)} ${'chart ms'.padStart(8)} ${'column ms'.padStart(9)}  chart/column  chart/goal`);
for (const [name, c, col, note] of rows) {
  console.log(`${name.padEnd(62)} ${fmt(c)} ${fmt(col).padStart(9)}  ${(c / col).toFixed(2).padStart(12)}  ${(c / GOAL_MS).toFixed(2).padStart(10)}  ${note}`);
}
