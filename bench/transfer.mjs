// Import and export speed against the references, measured in one run on one private influxd:
//   import: `influx -import -path F -precision ns` (1.x) vs `influxsh -import -path F -precision ns`,
//           interleaved, each run into a fresh database whose stored points are counted; medians,
//           plus the CPU seconds each run cost the client and influxd (load-independent signals)
//   export: curl fetching the chunked SELECTs vs `influxsh export`
// Usage: npm run build && node bench/transfer.mjs [points=1000000] [rounds=3]
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, statSync, openSync, closeSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, freePort } from './common.mjs';

const POINTS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const BIN = fileURLToPath(new URL('../bin/influxsh', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'influxsh-bench-transfer-'));

async function startInfluxd() {
  const [port, rpc] = [await freePort(), await freePort()];
  const d = join(dir, 'influxd');
  const conf = join(dir, 'influxd.conf');
  writeFileSync(
    conf,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpc}"`,
      '[meta]',
      `  dir = "${d}/meta"`,
      '  logging-enabled = false',
      '[data]',
      `  dir = "${d}/data"`,
      `  wal-dir = "${d}/wal"`,
      '  query-log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[subscriber]',
      '  enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${port}"`,
      '  log-enabled = false',
      '[logging]',
      '  level = "warn"',
      '',
    ].join('\n'),
  );
  const log = openSync(join(dir, 'influxd.log'), 'a');
  const child = spawn('influxd', ['run', '-config', conf], { stdio: ['ignore', log, log] });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/ping`)).status === 204) return { url, port, child };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('influxd did not start');
}

/** Stops influxd (SIGTERM, as a service manager would) and starts it again on the same port and data. */
async function restartInfluxd(server) {
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
  const log = openSync(join(dir, 'influxd.log'), 'a');
  server.child = spawn('influxd', ['run', '-config', join(dir, 'influxd.conf')], { stdio: ['ignore', log, log] });
  closeSync(log);
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${server.url}/ping`)).status === 204) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('influxd did not come back');
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

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/**
 * Runs a command, timing it; its peak RSS is VmHWM sampled from /proc while it runs (or GNU time's
 * figure, when larger), its CPU time comes from GNU time, and the CPU influxd spent meanwhile from
 * /proc/PID/stat of the server.
 */
function timed(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const timeFile = TIME ? join(dir, 'time.out') : undefined;
    const [file, argv] = TIME ? [TIME, ['-o', timeFile, '-f', '%U %S %M', cmd, ...args]] : [cmd, args];
    const serverPid = opts.server?.child.pid;
    const serverCpu0 = serverPid ? cpuSeconds(serverPid) : NaN;
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    let hwm = 0;
    const sample = () => {
      try {
        // Under GNU time the command is time's child: sample that one.
        const pid = TIME ? readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0] : child.pid;
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
      } catch {
        /* not started yet, or exited */
      }
    };
    const timer = setInterval(sample, 10);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const secs = Number(process.hrtime.bigint() - started) / 1e9;
      const serverSecs = serverPid ? cpuSeconds(serverPid) - serverCpu0 : NaN;
      let cpu = NaN;
      if (timeFile && existsSync(timeFile)) {
        const [u, sys, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        cpu = u + sys;
        hwm = Math.max(hwm, kb * 1024);
        rmSync(timeFile);
      }
      resolve({ secs, code, stderr, rss: hwm, cpu, serverCpu: serverSecs });
    });
  });
}

const fmt = (n, d = 2) => n.toFixed(d);
const mb = (n) => `${(n / 1e6).toFixed(0)} MB`;
const best = (xs) => xs.reduce((a, b) => (b.secs < a.secs ? b : a));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

let server = await startInfluxd();
const rows = [];
try {
  process.stderr.write(`generating ${POINTS} points… `);
  const body = await generateBody();
  process.stderr.write(`${mb(statSync(body).size)}\n`);
  const refRuns = [];
  const ourRuns = [];
  const importArgs = (who, file) =>
    who === 'ref'
      ? ['influx', ['-host', '127.0.0.1', '-port', String(server.port), '-import', '-path', file, '-precision', 'ns']]
      : [process.execPath, [BIN, '--url', server.url, '-import', '-path', file, '-precision', 'ns', '--no-progress']];
  for (let round = 1; round <= ROUNDS; round++) {
    // Interleaved, alternating who goes first, each into a fresh database, dropped afterwards so
    // every run starts from the same server state.
    const order = round % 2 ? ['ref', 'ours'] : ['ours', 'ref'];
    for (const who of order) {
      const db = `${who}${round}`;
      const file = importFile(body, db);
      const r = await timed(...importArgs(who, file), { server });
      r.stored = await count(server.url, db);
      r.db = db;
      (who === 'ref' ? refRuns : ourRuns).push(r);
      const retries = (r.stderr.match(/retrying/g) ?? []).length;
      process.stderr.write(
        `  import ${who} round ${round}: ${fmt(r.secs)} s, CPU ${fmt(r.cpu)} s client + ${fmt(r.serverCpu)} s influxd, ${r.stored} stored, exit ${r.code}${retries ? `, ${retries} retry notices` : ''}, load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}\n`,
      );
      rmSync(file);
      // Keep the last influxsh database for the export below.
      if (who === 'ref' || round < ROUNDS) await query(server.url, `DROP DATABASE "${db}"`);
    }
  }
  const secsOf = (runs) => runs.map((r) => r.secs);
  const spread = (runs) => `${fmt(Math.min(...secsOf(runs)))}-${fmt(Math.max(...secsOf(runs)))} s`;
  const cpuMedian = (runs, k) => median(runs.map((r) => r[k]));
  const refMed = median(secsOf(refRuns));
  const ourMed = median(secsOf(ourRuns));
  const stored = (runs) => (runs.every((r) => r.stored === POINTS) ? `${POINTS}/${POINTS} stored` : `stored ${runs.map((r) => r.stored).join(', ')}`);
  rows.push(['import 1.x influx -import', `${fmt(refMed)} s`, `${Math.round(POINTS / refMed)} pts/s`, stored(refRuns), mb(Math.max(...refRuns.map((r) => r.rss)))]);
  rows.push(['import influxsh -import', `${fmt(ourMed)} s`, `${Math.round(POINTS / ourMed)} pts/s`, stored(ourRuns), mb(Math.max(...ourRuns.map((r) => r.rss)))]);
  const importRatio = refMed / ourMed;
  // The machine is shared: runs next to each other see the same load, so pair them up too.
  const importPaired = median(refRuns.map((r, i) => r.secs / ourRuns[i].secs));
  const importNotes = [
    `import wall time, median of ${ROUNDS} (spread): 1.x ${fmt(refMed)} s (${spread(refRuns)}), influxsh ${fmt(ourMed)} s (${spread(ourRuns)})`,
    `import CPU per run, median: 1.x client ${fmt(cpuMedian(refRuns, 'cpu'))} s + influxd ${fmt(cpuMedian(refRuns, 'serverCpu'))} s; influxsh client ${fmt(cpuMedian(ourRuns, 'cpu'))} s + influxd ${fmt(cpuMedian(ourRuns, 'serverCpu'))} s`,
  ];

  // Restart influxd in the middle of each import: who loses points?
  const restartRows = [];
  for (const who of ['ref', 'ours']) {
    const db = `${who}_restart`;
    const file = importFile(body, db);
    const run =
      who === 'ref'
        ? timed('influx', ['-host', '127.0.0.1', '-port', String(server.port), '-import', '-path', file, '-precision', 'ns'])
        : timed(process.execPath, [BIN, '--url', server.url, '-import', '-path', file, '-precision', 'ns', '--no-progress']);
    const deadline = Date.now() + 60_000;
    while ((await count(server.url, db).catch(() => 0)) < POINTS / 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    await restartInfluxd(server);
    const down = Date.now() - t0;
    const r = await run;
    const stored = await count(server.url, db);
    restartRows.push([`restart mid-import ${who === 'ref' ? '1.x influx' : 'influxsh'}`, `${fmt(r.secs)} s`, `exit ${r.code}`, `${stored}/${POINTS} stored`, `${POINTS - stored} lost`]);
    process.stderr.write(`  restart ${who}: influxd down ${down} ms, ${stored} stored, exit ${r.code}\n`);
    rmSync(file);
  }

  // Export the database influxsh imported, against curl fetching the same chunked SELECT.
  const db = ourRuns[ourRuns.length - 1].db;
  const q = `SELECT * FROM "${db}"."autogen"."cpu" GROUP BY *`;
  const curlRuns = [];
  const expRuns = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const c = await timed('curl', [
      '-s',
      '-o',
      join(dir, 'curl.json'),
      '-XPOST',
      `${server.url}/query`,
      '--data-urlencode',
      `q=${q}`,
      '--data-urlencode',
      `db=${db}`,
      '-d',
      'epoch=ns',
      '-d',
      'chunked=true',
      '-d',
      'chunk_size=10000',
    ]);
    c.bytes = statSync(join(dir, 'curl.json')).size;
    curlRuns.push(c);
    const out = join(dir, 'export.txt');
    // --force: each round replaces the last round's file (export refuses an existing one).
    const e = await timed(process.execPath, [BIN, 'export', '--url', server.url, '--database', db, '--out', out, '--force']);
    e.bytes = statSync(out).size;
    e.lines = Number(/export: (\d+) points/.exec(e.stderr)?.[1] ?? 0);
    // A failed run is not a fast one: stop rather than print its time.
    if (e.code !== 0 || e.lines !== POINTS) throw new Error(`export round ${round} failed (exit ${e.code}, ${e.lines} of ${POINTS} points): ${e.stderr.trim()}`);
    expRuns.push(e);
    process.stderr.write(`  export round ${round}: curl ${fmt(c.secs)} s, influxsh ${fmt(e.secs)} s (${e.lines} points, exit ${e.code})\n`);
  }
  const curl = best(curlRuns);
  const exp = best(expRuns);
  rows.push(['export curl chunked SELECT', `${fmt(curl.secs)} s`, `${Math.round(POINTS / curl.secs)} pts/s`, `${mb(curl.bytes)} JSON`, '']);
  rows.push(['export influxsh export', `${fmt(exp.secs)} s`, `${Math.round(exp.lines / exp.secs)} pts/s`, `${exp.lines} points, ${mb(exp.bytes)}`, mb(exp.rss)]);
  const exportRatio = exp.secs / curl.secs;
  const exportPaired = median(expRuns.map((e, i) => e.secs / curlRuns[i].secs));

  const widths = [30, 9, 13, 26, 8];
  const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(`\ntransfer benchmark: ${POINTS} points; import: median of ${ROUNDS} interleaved runs each; export: best of ${ROUNDS}\n`);
  console.log(line(['', 'time', 'throughput', 'result', 'peak RSS']));
  for (const r of rows) console.log(line(r));
  for (const r of restartRows) console.log(line(r));
  console.log('');
  for (const n of importNotes) console.log(n);
  console.log(
    `import throughput ratio influxsh / 1.x: ${fmt(importRatio)}x median vs median, ${fmt(importPaired)}x median of paired rounds (goal >= 2.0x)${ourRuns.every((r) => r.stored === POINTS) ? '' : '  POINTS MISSING'}`,
  );
  console.log(`export time ratio influxsh / curl:      ${fmt(exportRatio)}x best vs best, ${fmt(exportPaired)}x median of paired rounds (goal <= 1.5x)`);
  console.log(`peak RSS: import ${mb(Math.max(...ourRuns.map((r) => r.rss)))}, export ${mb(Math.max(...expRuns.map((r) => r.rss)))}, max over rounds (goal <= 150 MB)`);
  console.log(`load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (on ${(await import('node:os')).cpus().length} CPUs)`);
} finally {
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
  rmSync(dir, { recursive: true, force: true });
}
