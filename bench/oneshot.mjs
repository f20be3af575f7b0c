// One-shot benchmarks (issue 2): start-up wall time against `node -e 0`, and 1M rows to csv and
// column against curl fetching the same chunked response; the reference `influx` alongside.
// BENCH_STARTUP_ONLY=1 skips the row benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BIN, fmt, has, loadPoints, measure, median, privateServer } from './common.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const server = await privateServer();
const results = [];
try {
  const port = server.port;
  // Start-up: influxsh runs as installed (the bin file, through its #! line: the first node on
  // PATH, which bench/run.mjs sets to this Node) and as `node BIN`,
  // interleaved with `node -e 0` so load on the machine hits all alike.
  const args = ['-host', '127.0.0.1', '-port', port, '-execute', 'SHOW DATABASES'];
  // NODE_EXTRA_CA_CERTS makes every Node process parse that file before it runs anything (~400 M
  // instructions for a full CA bundle), which flatters the ratio: measure without it as well.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  for (const withCa of extraCa ? [true, false] : [false]) {
    if (withCa) process.env.NODE_EXTRA_CA_CERTS = extraCa;
    else delete process.env.NODE_EXTRA_CA_CERTS;
    const env = withCa ? 'NODE_EXTRA_CA_CERTS set' : extraCa ? 'NODE_EXTRA_CA_CERTS unset' : '';
    const runs = { node: [], bin: [], nodeBin: [], influx: [] };
    for (let i = 0; i < 15; i++) {
      runs.node.push((await measure(process.execPath, ['-e', '0'])).ms);
      runs.bin.push((await measure(BIN, args)).ms);
      runs.nodeBin.push((await measure(process.execPath, [BIN, ...args])).ms);
      if (has('influx')) runs.influx.push((await measure('influx', args)).ms);
    }
    const node0 = median(runs.node);
    const spread = (xs) => `${fmt(xs.toSorted((a, b) => a - b)[3])}–${fmt(xs.toSorted((a, b) => a - b)[11])} ms`;
    results.push([
      `one-shot SHOW DATABASES, median of 15${env ? `, ${env}` : ''}`,
      `${fmt(median(runs.bin))} ms (quartiles ${spread(runs.bin)})`,
      `node -e 0: ${fmt(node0)} ms (${spread(runs.node)})`,
      `${fmt(median(runs.bin) / node0, 2)}x (goal <= 1.5x)`,
      `node BIN: ${fmt(median(runs.nodeBin))} ms = ${fmt(median(runs.nodeBin) / node0, 2)}x${has('influx') ? `; influx 1.x: ${fmt(median(runs.influx))} ms` : ''}`,
    ]);

    // Instruction counts (valgrind) do not move with the machine's load, unlike wall time.
    if (has('valgrind')) {
      const instr = (cmd) => {
        const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', ...cmd], { encoding: 'utf8' });
        return Number(/Collected : (\d+)/.exec(r.stderr)?.[1]);
      };
      const base = instr([process.execPath, '-e', '0']);
      const ours = instr([process.execPath, BIN, ...args]);
      results.push([
        `one-shot SHOW DATABASES, CPU instructions${env ? `, ${env}` : ''}`,
        `${fmt(ours / 1e6)} M`,
        `node -e 0: ${fmt(base / 1e6)} M`,
        `${fmt(ours / base, 2)}x`,
        'valgrind, load-independent',
      ]);
    }
  }
  if (extraCa) process.env.NODE_EXTRA_CA_CERTS = extraCa;

  // Rows: curl and both formats alternate, ROUNDS times at the full size (medians), so a busy
  // moment of the machine hits all three alike. influxd needs ~3 s of CPU per million rows
  // whoever reads them, so on two cores every bit of client CPU shows in the wall time: the
  // client's CPU (user + sys) is printed beside it.
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
  const sizes = process.env.BENCH_STARTUP_ONLY ? [] : [ROWS / 4, ROWS];
  for (const n of sizes) {
    const db = `bench_${n}`;
    await loadPoints(server.url, db, 'm', n);
    const q = 'SELECT * FROM m';
    const runs = { curl: [], csv: [], column: [], nodeHttp: [], transport: [] };
    // The transport's reader against node:http on the same answer (bench/read-path.mjs), where
    // the tree has it: the reason the client is hand-written.
    const readPath = new URL('./read-path.mjs', import.meta.url).pathname;
    const clientSrc = new URL('../src/connection/client.ts', import.meta.url).pathname;
    const withReadPath = n === ROWS && existsSync(readPath) && existsSync(clientSrc);
    const bundleDir = withReadPath ? mkdtempSync(join(tmpdir(), 'read-path-')) : '';
    if (withReadPath) await build({ entryPoints: [clientSrc], bundle: true, platform: 'node', format: 'esm', outfile: join(bundleDir, 'client.mjs'), logLevel: 'silent' });
    for (let round = 0; round < (n === ROWS ? ROUNDS : 1); round++) {
      if (withReadPath) {
        const env = { READ_PATH_BUNDLE: join(bundleDir, 'client.mjs') };
        runs.nodeHttp.push(await measure('node', [readPath, 'node-http', server.url, db, q], { env }));
        runs.transport.push(await measure('node', [readPath, 'transport', server.url, db, q], { env }));
      }
      runs.curl.push(
        await measure('curl', [
          '-s',
          '-o',
          '/dev/null',
          '-XPOST',
          `${server.url}/query`,
          '--data-urlencode',
          `db=${db}`,
          '--data-urlencode',
          `q=${q}`,
          '--data-urlencode',
          'chunked=true',
          '--data-urlencode',
          'epoch=ns',
        ]),
      );
      for (const format of ['csv', 'column']) {
        runs[format].push(await measure(BIN, ['-host', '127.0.0.1', '-port', port, '-database', db, '-format', format, '-execute', q]));
      }
    }
    const curlMs = median(runs.curl.map((r) => r.ms));
    for (const format of ['csv', 'column']) {
      const rs = runs[format];
      const ms = median(rs.map((r) => r.ms));
      const goal = format === 'csv' ? 1.3 : 2.0;
      const ratios = rs.map((r, i) => r.ms / runs.curl[i].ms);
      results.push([
        `${n} rows -> ${format}${rs.length > 1 ? ` (median of ${rs.length})` : ''}`,
        `${fmt(ms)} ms, ${fmt(Math.max(...rs.map((r) => r.rssMB)))} MB peak, ${fmt(median(rs.map((r) => r.cpuMs)))} ms CPU`,
        `curl: ${fmt(curlMs)} ms`,
        `${fmt(ms / curlMs, 2)}x (goal <= ${goal}x)`,
        rs.length > 1 ? `pairs: ${ratios.map((x) => fmt(x, 2)).join(' ')}` : '',
      ]);
    }
    if (withReadPath) {
      rmSync(bundleDir, { recursive: true, force: true });
      const cpu = (rs) => median(rs.map((r) => r.cpuMs));
      results.push([
        `${n} rows, read line by line, client CPU (median of ${runs.transport.length})`,
        `transport (client.ts): ${fmt(cpu(runs.transport))} ms, ${fmt(median(runs.transport.map((r) => r.ms)))} ms wall`,
        `node:http: ${fmt(cpu(runs.nodeHttp))} ms, ${fmt(median(runs.nodeHttp.map((r) => r.ms)))} ms wall`,
        `${fmt(cpu(runs.transport) / cpu(runs.nodeHttp), 2)}x CPU`,
        `pairs: ${runs.transport.map((r, i) => fmt(r.cpuMs / runs.nodeHttp[i].cpuMs, 2)).join(' ')}`,
      ]);
    }
    if (has('influx') && n === ROWS && !process.env.BENCH_SKIP_REFERENCE) {
      const ref = await measure('influx', ['-host', '127.0.0.1', '-port', port, '-database', db, '-format', 'csv', '-execute', q]);
      results.push([`${n} rows -> csv, influx 1.x`, `${fmt(ref.ms)} ms, ${fmt(ref.rssMB)} MB peak, ${fmt(ref.cpuMs)} ms CPU`, `curl: ${fmt(curlMs)} ms`, `${fmt(ref.ms / curlMs, 2)}x`, '']);
    }
  }
} finally {
  await server.stop();
}

console.log(
  `\n## one-shot on Node ${process.version} (load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')})\n`,
);
console.log('| measure | influxsh | reference | ratio | other |');
console.log('|---|---|---|---|---|');
for (const r of results) console.log(`| ${r.join(' | ')} |`);
