// One-shot benchmarks (issue 2): start-up wall time against `node -e 0`, and 1M rows to csv and
// column against curl fetching the same chunked response; the reference `influx` alongside.
import { spawnSync } from 'node:child_process';
import { BIN, fmt, has, loadPoints, measure, median, privateServer } from './common.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const server = await privateServer();
const results = [];
try {
  const port = server.port;
  // Start-up: interleave runs so load on the machine hits all three alike.
  const runs = { node: [], influxsh: [], influx: [] };
  for (let i = 0; i < 15; i++) {
    runs.node.push((await measure('node', ['-e', '0'])).ms);
    runs.influxsh.push((await measure('node', [BIN, '-host', '127.0.0.1', '-port', port, '-execute', 'SHOW DATABASES'])).ms);
    if (has('influx')) runs.influx.push((await measure('influx', ['-host', '127.0.0.1', '-port', port, '-execute', 'SHOW DATABASES'])).ms);
  }
  const node0 = median(runs.node);
  results.push(['one-shot SHOW DATABASES (median of 15)', `${fmt(median(runs.influxsh))} ms`, `node -e 0: ${fmt(node0)} ms`, `${fmt(median(runs.influxsh) / node0, 2)}x (goal <= 1.5x)`, has('influx') ? `influx 1.x: ${fmt(median(runs.influx))} ms` : '']);

  // Instruction counts (valgrind) do not move with the machine's load, unlike wall time.
  if (has('valgrind')) {
    const instr = (args) => {
      const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', ...args], { encoding: 'utf8' });
      return Number(/Collected : (\d+)/.exec(r.stderr)?.[1]);
    };
    const base = instr(['node', '-e', '0']);
    const ours = instr(['node', BIN, '-host', '127.0.0.1', '-port', port, '-execute', 'SHOW DATABASES']);
    results.push(['one-shot SHOW DATABASES, CPU instructions', `${fmt(ours / 1e6)} M`, `node -e 0: ${fmt(base / 1e6)} M`, `${fmt(ours / base, 2)}x`, 'valgrind, load-independent']);
  }

  // Rows: curl and both formats alternate, ROUNDS times at the full size (medians), so a busy
  // moment of the machine hits all three alike. influxd needs ~3 s of CPU per million rows
  // whoever reads them, so on two cores every bit of client CPU shows in the wall time: the
  // client's CPU (user + sys) is printed beside it.
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
  for (const n of [ROWS / 4, ROWS]) {
    const db = `bench_${n}`;
    await loadPoints(server.url, db, 'm', n);
    const q = 'SELECT * FROM m';
    const runs = { curl: [], csv: [], column: [] };
    for (let round = 0; round < (n === ROWS ? ROUNDS : 1); round++) {
      runs.curl.push(await measure('curl', ['-s', '-o', '/dev/null', '-XPOST', `${server.url}/query`, '--data-urlencode', `db=${db}`, '--data-urlencode', `q=${q}`, '--data-urlencode', 'chunked=true', '--data-urlencode', 'epoch=ns']));
      for (const format of ['csv', 'column']) {
        runs[format].push(await measure('node', [BIN, '-host', '127.0.0.1', '-port', port, '-database', db, '-format', format, '-execute', q]));
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
    if (has('influx') && n === ROWS && !process.env.BENCH_SKIP_REFERENCE) {
      const ref = await measure('influx', ['-host', '127.0.0.1', '-port', port, '-database', db, '-format', 'csv', '-execute', q]);
      results.push([`${n} rows -> csv, influx 1.x`, `${fmt(ref.ms)} ms, ${fmt(ref.rssMB)} MB peak, ${fmt(ref.cpuMs)} ms CPU`, `curl: ${fmt(curlMs)} ms`, `${fmt(ref.ms / curlMs, 2)}x`, '']);
    }
  }
} finally {
  await server.stop();
}

console.log('\n## one-shot (issue 2)\n');
console.log('| measure | influxsh | reference | ratio | other |');
console.log('|---|---|---|---|---|');
for (const r of results) console.log(`| ${r.join(' | ')} |`);
