// Completion and highlighting speed: what a key press costs (highlight, complete) on a typical
// line and on a 1 MB line, and what a full schema load costs against a private influxd.
// References: the 16.7 ms frame budget of a 60 Hz terminal, and the 1.x `influx` CLI running one
// SHOW MEASUREMENTS against the same server. Run: npm run build && node bench/completion.mjs
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, fmt, has, measure, median, privateServer, query } from './common.mjs';

const FRAME_MS = 1000 / 60;

// The engine is not a dist entry of its own (the UI imports it); bundle it for this run.
const dir = mkdtempSync(join(tmpdir(), 'influxsh-bench-completion-'));
const outfile = join(dir, 'engine.mjs');
await build({
  stdin: {
    contents: [
      "export { highlight, highlightSpans } from './src/shell/highlight.ts';",
      "export { complete } from './src/shell/completion.ts';",
      "export { commands } from './src/cli/registry.ts';",
      "export { MetadataCache, emptySnapshot } from './src/shell/metadata.ts';",
      "export { InfluxHttp } from './src/connection/http.ts';",
      "export { resolveSettings } from './src/connection/settings.ts';",
    ].join('\n'),
    resolveDir: ROOT,
    loader: 'ts',
  },
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const engine = await import(outfile);

function time(fn, runs) {
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(xs);
}

const unit = `SELECT mean("value"), max(x) FROM "db"."rp".cpu WHERE host = 'server-01' AND time > now() - 1h GROUP BY time(5m), host; `;
const typical = `SELECT mean("usage_idle") FROM "telegraf"."autogen"."cpu" WHERE "host" = 'server-01' AND time > now() - 6h GROUP BY time(5m), "host" fill(none)`;
const mb = unit.repeat(Math.ceil(1048576 / unit.length)).slice(0, 1048576);

// A schema of 2000 measurements × 8 fields × 4 tags, as a snapshot.
const snap = engine.emptySnapshot();
snap.database = 'telegraf';
snap.databases = ['telegraf'];
snap.retentionPolicies = { telegraf: [{ name: 'autogen', isDefault: true }] };
snap.measurements = { telegraf: Array.from({ length: 2000 }, (_, i) => `m${i}`) };
snap.fieldKeys = { telegraf: Object.fromEntries(snap.measurements.telegraf.map((m) => [m, Array.from({ length: 8 }, (_, j) => ({ name: `f${j}`, type: 'float' }))])) };
snap.tagKeys = { telegraf: Object.fromEntries(snap.measurements.telegraf.map((m) => [m, ['host', 'region', 'dc', 'rack']])) };

const rows = [];
const add = (what, ms, ref, refName) => rows.push([what, fmt(ms, 3), refName, fmt(ref, 3), fmt(ms / ref, 3)]);
time(() => engine.highlight(mb, { color: true }), 2); // warm up
add(
  'highlight, typical line (150 chars)',
  time(() => engine.highlight(typical, { color: true }), 2000),
  FRAME_MS,
  'frame',
);
add(
  'complete, typical line, 2000 measurements',
  time(() => engine.complete('SELECT * FROM m1', 16, snap, engine.commands), 200),
  FRAME_MS,
  'frame',
);
add(
  'complete, select list of a regex FROM (2000 measurements)',
  time(() => engine.complete('SELECT  FROM /m1.*/', 7, snap, engine.commands), 100),
  FRAME_MS,
  'frame',
);
add(
  'highlight, 1 MB line',
  time(() => engine.highlight(mb, { color: true }), 7),
  FRAME_MS,
  'frame',
);
add(
  'highlightSpans, 1 MB line',
  time(() => engine.highlightSpans(mb), 7),
  FRAME_MS,
  'frame',
);
add(
  'complete at the end of a 1 MB line',
  time(() => engine.complete(mb, mb.length, snap, engine.commands), 5),
  FRAME_MS,
  'frame',
);

// Schema load against a private server: 300 measurements × 3 fields × 2 tags.
const server = await privateServer();
try {
  const db = 'bench_meta';
  await query(server.url, `CREATE DATABASE ${db}`);
  const lines = [];
  for (let m = 0; m < 300; m++) lines.push(`meas_${m},host=h${m % 7},region=r${m % 3} a=1,b=2i,c="x" 1600000000000000000`);
  const res = await fetch(`${server.url}/write?db=${db}`, { method: 'POST', body: lines.join('\n') });
  if (res.status !== 204) throw new Error(`load failed: ${res.status}`);
  const conn = new engine.InfluxHttp(engine.resolveSettings({ url: server.url }, {}));
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const cache = new engine.MetadataCache({ conn, database: db });
    const t = process.hrtime.bigint();
    await cache.refresh('bench');
    loads.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (cache.snapshot().measurements[db]?.length !== 300) throw new Error('schema did not load');
  }
  let ref = NaN;
  if (has('influx')) {
    const xs = [];
    for (let i = 0; i < 5; i++) xs.push((await measure('influx', ['-host', '127.0.0.1', '-port', server.port, '-database', db, '-execute', 'SHOW MEASUREMENTS'])).ms);
    ref = median(xs);
  }
  add('MetadataCache.refresh, 300 measurements', median(loads), ref, 'influx SHOW MEASUREMENTS');
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

const head = ['completion & highlighting', 'ms (median)', 'reference', 'ref ms', 'ratio'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
