// `table` output: the box renderer against cli-table3 on the same 1000-row slices and the shell's
// display capped against `limit off` (CPU time in this process), and `-format table` against
// `-format column` end to end (client CPU time, which the load of a shared machine moves far less
// than wall time).
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, fmt, has, loadPoints, measure, median, privateServer } from './common.mjs';

const ROWS = Number(process.env.BENCH_TABLE_ROWS ?? 250_000);
const results = [];

function cpuMs(f, reps) {
  f();
  const samples = [];
  for (let k = 0; k < reps; k++) {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    samples.push((c.user + c.system) / 1000);
  }
  return median(samples);
}

// The renderer, bundled from src so it is measured without a process start around it.
const dir = mkdtempSync(join(tmpdir(), 'influxsh-bench-table-'));
try {
  await build({ entryPoints: [join(ROOT, 'src/format/table.ts')], outfile: join(dir, 'table.mjs'), bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
  const { TableFormatter } = await import(join(dir, 'table.mjs'));
  const columns = ['time', 'count', 'host', 'ok', 'value'];
  const rows = Array.from({ length: 1000 }, (_, i) => [1600000000000000000 + i * 1000000, i, `h${i % 10}`, i % 2 === 0, (i % 1000) / 7]);
  const ours = () => {
    let n = 0;
    const f = new TableFormatter({ write: (t) => (n += t.length), pending: 0, flush: async () => {} });
    f.event({ type: 'series', id: 0, name: 'm', columns });
    f.event({ type: 'rows', id: 0, rows });
    f.event({ type: 'end', id: 0 });
    return n;
  };
  const ms = cpuMs(ours, 40);
  let Table = null;
  try {
    Table = createRequire(join(ROOT, 'package.json'))('cli-table3');
  } catch {
    // not installed: no reference
  }
  if (Table) {
    const text = rows.map((r) => r.map(String));
    const ref = cpuMs(() => {
      const t = new Table({ head: columns, style: { head: [], border: [], compact: true } });
      for (const r of text) t.push(r);
      return t.toString().length;
    }, 5);
    results.push(['one 1000-row x 5-column slice, CPU', `${fmt(ms, 2)} ms`, `cli-table3 (compact): ${fmt(ref, 1)} ms`, `${fmt(ref / ms, 0)}x faster`]);
  } else results.push(['one 1000-row x 5-column slice, CPU', `${fmt(ms, 2)} ms`, 'cli-table3 not installed', '']);

  // The shell's display: a million rows capped at 100 (the default) and with `limit off`.
  await build({ entryPoints: [join(ROOT, 'src/shell/display.ts')], outfile: join(dir, 'display.mjs'), bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
  const { ShellDisplay } = await import(join(dir, 'display.mjs'));
  const plain = { dim: (x) => x, bold: (x) => x };
  const shell = (limit) => () => {
    let n = 0;
    const d = new ShellDisplay({
      format: 'table',
      pretty: false,
      screen: { write: (t) => (n += t.length), pending: 0, flush: async () => {} },
      settings: { limit, outputFile: null },
      width: () => 200,
      style: plain,
    });
    d.event({ type: 'response-start' });
    d.event({ type: 'series', id: 0, name: 'm', columns });
    for (let k = 0; k < 1000; k++) d.event({ type: 'rows', id: 0, rows });
    d.event({ type: 'end', id: 0 });
    d.event({ type: 'response-end' });
    return n;
  };
  const capped = cpuMs(shell(100), 5);
  const all = cpuMs(shell(0), 3);
  results.push(['shell display, 1,000,000 rows capped at 100, CPU', `${fmt(capped)} ms`, `limit off: ${fmt(all)} ms`, `${fmt(capped / all, 3)}x`]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (has('/usr/bin/time')) {
  const server = await privateServer();
  try {
    await loadPoints(server.url, 'bench_table', 'm', ROWS);
    const args = (format) => ['-host', '127.0.0.1', '-port', server.port, '-database', 'bench_table', '-format', format, '-execute', 'SELECT * FROM m'];
    const runs = { table: [], column: [] };
    let rss = 0;
    for (let i = 0; i < 3; i++) {
      for (const f of ['table', 'column']) {
        const r = await measure('node', [BIN, ...args(f)]);
        if (r.code !== 0) throw new Error(`-format ${f} exited ${r.code}`);
        runs[f].push(r.cpuMs);
        if (f === 'table') rss = Math.max(rss, r.rssMB);
      }
    }
    const t = median(runs.table);
    const c = median(runs.column);
    results.push([`${ROWS} rows -> table, client CPU (median of 3)`, `${fmt(t)} ms, ${fmt(rss)} MB peak`, `-format column: ${fmt(c)} ms`, `${fmt(t / c, 2)}x`]);
  } finally {
    await server.stop();
  }
}

console.log('\n## table\n');
console.log('| measure | influxsh | reference | ratio |');
console.log('|---|---|---|---|');
for (const r of results) console.log(`| ${r.join(' | ')} |`);
