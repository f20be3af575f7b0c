// Import and export speed against the references, measured in one run on one private influxd:
//   import: `influx -import -path F -precision ns` (1.x) vs `influxsh -import -path F -precision ns`
//   export: curl fetching the chunked SELECTs vs `influxsh export`
// Usage: npm run build && node bench/transfer.mjs [points=1000000] [rounds=2]
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync, statSync, openSync, closeSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const POINTS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const BIN = fileURLToPath(new URL('../bin/influxsh', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'influxsh-bench-transfer-'));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startInfluxd() {
  const [port, rpc] = [await freePort(), await freePort()];
  const d = join(dir, 'influxd');
  const conf = join(dir, 'influxd.conf');
  writeFileSync(conf, [
    'reporting-disabled = true', `bind-address = "127.0.0.1:${rpc}"`,
    '[meta]', `  dir = "${d}/meta"`, '  logging-enabled = false',
    '[data]', `  dir = "${d}/data"`, `  wal-dir = "${d}/wal"`, '  query-log-enabled = false',
    '[monitor]', '  store-enabled = false', '[subscriber]', '  enabled = false',
    '[http]', `  bind-address = "127.0.0.1:${port}"`, '  log-enabled = false',
    '[logging]', '  level = "warn"', '',
  ].join('\n'));
  const log = openSync(join(dir, 'influxd.log'), 'a');
  const child = spawn('influxd', ['run', '-config', conf], { stdio: ['ignore', log, log] });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/ping`)).status === 204) return { url, port, child };
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('influxd did not start');
}

async function query(url, q, db = '') {
  const res = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q, db }) });
  return res.json();
}

async function count(url, db) {
  const j = await query(url, 'SELECT count(usage_user) FROM cpu', db);
  return j.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0;
}

/** The DML body, shared by every import file; returns its path. */
async function generateBody() {
  const path = join(dir, 'body.lp');
  const out = createWriteStream(path);
  const T0 = 1_700_000_000_000_000_000n;
  let buf = [];
  for (let i = 0; i < POINTS; i++) {
    buf.push(`cpu,host=server${i % 100},region=region${i % 7} usage_user=${(i % 1000) / 10},usage_idle=${((i * 7) % 1000) / 10},count=${i}i ${T0 + BigInt(i) * 1_000_000n}\n`);
    if (buf.length === 10000) {
      if (!out.write(buf.join(''))) await once(out, 'drain');
      buf = [];
    }
  }
  out.end(buf.join(''));
  await once(out, 'finish');
  return path;
}

/** An import file in the 1.x format for database db. */
function importFile(body, db) {
  const path = join(dir, `${db}.txt`);
  writeFileSync(path, `# DDL\nCREATE DATABASE ${db}\n\n# DML\n# CONTEXT-DATABASE: ${db}\n# CONTEXT-RETENTION-POLICY: autogen\n`);
  spawnSync('sh', ['-c', `cat "${body}" >> "${path}"`]);
  return path;
}

/** Runs a command, timing it and sampling its peak RSS (VmHWM) from /proc while it runs. */
function timed(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    let hwm = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
      } catch { /* exited */ }
    };
    const timer = setInterval(sample, 10);
    child.on('error', reject);
    child.on('exit', () => sample());
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ secs: Number(process.hrtime.bigint() - started) / 1e9, code, stderr, rss: hwm });
    });
  });
}

const fmt = (n, d = 2) => n.toFixed(d);
const mb = (n) => `${(n / 1e6).toFixed(0)} MB`;
const best = (xs) => xs.reduce((a, b) => (b.secs < a.secs ? b : a));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const server = await startInfluxd();
const rows = [];
try {
  process.stderr.write(`generating ${POINTS} points… `);
  const body = await generateBody();
  process.stderr.write(`${mb(statSync(body).size)}\n`);
  const refRuns = [];
  const ourRuns = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate who goes first, each into a fresh database.
    const order = round % 2 ? ['ref', 'ours'] : ['ours', 'ref'];
    for (const who of order) {
      const db = `${who}${round}`;
      const file = importFile(body, db);
      const r = who === 'ref'
        ? await timed('influx', ['-host', '127.0.0.1', '-port', String(server.port), '-import', '-path', file, '-precision', 'ns'])
        : await timed(process.execPath, [BIN, '--url', server.url, '-import', '-path', file, '-precision', 'ns', '--no-progress']);
      r.stored = await count(server.url, db);
      r.db = db;
      (who === 'ref' ? refRuns : ourRuns).push(r);
      process.stderr.write(`  import ${who} round ${round}: ${fmt(r.secs)} s, ${r.stored} stored, exit ${r.code}\n`);
      rmSync(file);
    }
  }
  const ref = best(refRuns);
  const ours = best(ourRuns);
  rows.push(['import 1.x influx -import', `${fmt(ref.secs)} s`, `${Math.round(POINTS / ref.secs)} pts/s`, `${ref.stored}/${POINTS} stored`, mb(ref.rss)]);
  rows.push(['import influxsh -import', `${fmt(ours.secs)} s`, `${Math.round(POINTS / ours.secs)} pts/s`, `${ours.stored}/${POINTS} stored`, mb(ours.rss)]);
  const importRatio = ref.secs / ours.secs;
  // The machine is shared: runs next to each other see the same load, so pair them up too.
  const importPaired = median(refRuns.map((r, i) => r.secs / ourRuns[i].secs));

  // Export the database influxsh imported, against curl fetching the same chunked SELECT.
  const db = ours.db;
  const q = `SELECT * FROM "${db}"."autogen"."cpu" GROUP BY *`;
  const curlRuns = [];
  const expRuns = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const c = await timed('curl', ['-s', '-o', join(dir, 'curl.json'), '-XPOST', `${server.url}/query`, '--data-urlencode', `q=${q}`, '--data-urlencode', `db=${db}`, '-d', 'epoch=ns', '-d', 'chunked=true', '-d', 'chunk_size=10000']);
    c.bytes = statSync(join(dir, 'curl.json')).size;
    curlRuns.push(c);
    const out = join(dir, 'export.txt');
    const e = await timed(process.execPath, [BIN, 'export', '--url', server.url, '--database', db, '--out', out]);
    e.bytes = statSync(out).size;
    e.lines = Number(/export: (\d+) points/.exec(e.stderr)?.[1] ?? 0);
    expRuns.push(e);
    process.stderr.write(`  export round ${round}: curl ${fmt(c.secs)} s, influxsh ${fmt(e.secs)} s (${e.lines} points, exit ${e.code})\n`);
  }
  const curl = best(curlRuns);
  const exp = best(expRuns);
  rows.push(['export curl chunked SELECT', `${fmt(curl.secs)} s`, `${Math.round(POINTS / curl.secs)} pts/s`, `${mb(curl.bytes)} JSON`, '']);
  rows.push(['export influxsh export', `${fmt(exp.secs)} s`, `${Math.round(exp.lines / exp.secs)} pts/s`, `${exp.lines} points, ${mb(exp.bytes)}`, mb(exp.rss)]);
  const exportRatio = exp.secs / curl.secs;
  const exportPaired = median(expRuns.map((e, i) => e.secs / curlRuns[i].secs));

  const widths = [28, 9, 13, 24, 8];
  const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(`\ntransfer benchmark: ${POINTS} points, best of ${ROUNDS} rounds each\n`);
  console.log(line(['', 'time', 'throughput', 'result', 'peak RSS']));
  for (const r of rows) console.log(line(r));
  console.log('');
  console.log(`import throughput ratio influxsh / 1.x: ${fmt(importRatio)}x best vs best, ${fmt(importPaired)}x median of paired rounds (goal >= 2.0x)${ourRuns.every((r) => r.stored === POINTS) ? '' : '  POINTS MISSING'}`);
  console.log(`export time ratio influxsh / curl:      ${fmt(exportRatio)}x best vs best, ${fmt(exportPaired)}x median of paired rounds (goal <= 1.5x)`);
  console.log(`peak RSS: import ${mb(Math.max(...ourRuns.map((r) => r.rss)))}, export ${mb(Math.max(...expRuns.map((r) => r.rss)))}, max over rounds (goal <= 150 MB)`);
  console.log(`load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (on ${(await import('node:os')).cpus().length} CPUs)`);
} finally {
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
  rmSync(dir, { recursive: true, force: true });
}
