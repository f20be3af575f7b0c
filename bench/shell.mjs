#!/usr/bin/env node
// Interactive shell benchmark (run after `npm run build`):
//  1. start-to-prompt: time from spawning `influxsh` in a real terminal (tmux) until its prompt
//     is on the screen, against `node -e 0` measured the same way (goal: ratio <= 2.0);
//     also the time until the Ink editor has mounted and takes keys.
//  2. keystroke latency while a large result (>= 1M rows) streams: time from tmux send-keys
//     until the typed character is on the screen.
// Usage: node bench/shell.mjs [--runs N] [--keys N] [--baseline DIR]
//  --baseline DIR: also type into DIR's build (another checkout, built), alternating with this
//  one (baseline, this, baseline, this), so a change's latency is compared within one run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'influxsh');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const RUNS = opt('--runs', 15);
const KEYS = opt('--keys', 30);
const baselineDir = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : null;

if (spawnSync('tmux', ['-V']).status !== 0) {
  console.error('bench/shell.mjs needs tmux');
  process.exit(1);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A private tmux server (-L), so nothing here touches anyone else's sessions.
const SOCKET = `influxsh-bench-${process.pid}`;
const tmux = (...a) => execFileSync('tmux', ['-L', SOCKET, ...a], { encoding: 'utf8' });
const capture = (s) => tmux('capture-pane', '-p', '-t', s);
// A session started while the server is still exiting after its last one closed fails with
// "server exited unexpectedly": wait a moment and start it on a new server.
const newSession = async (...a) => {
  for (let tries = 1; ; tries++) {
    try {
      return tmux('new-session', ...a);
    } catch (e) {
      if (tries === 5) throw e;
      await sleep(100 * tries);
    }
  }
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

const dataDir = mkdtempSync(join(tmpdir(), 'influxsh-bench-shell-'));
const home = mkdtempSync(join(tmpdir(), 'influxsh-bench-home-'));
const url = execFileSync(process.execPath, [bin, 'local', 'start', '--local-data', dataDir], { encoding: 'utf8' }).trim();
const port = new URL(url).port;
const env = `env -u CI HOME=${home} NO_COLOR=1`;
const shellCmd = `${env} ${process.execPath} ${bin} -host 127.0.0.1 -port ${port}`;

/**
 * Milliseconds from spawning `cmd` on a fresh pseudo-terminal (util-linux `script`) until its
 * output matches `done`. The same harness times `node -e`, so its own cost cancels out.
 */
function timeToOutput(cmd, done) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, COLUMNS: '120', LINES: '40' } });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out waiting for: ${cmd}\n${out}`));
    }, 15000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (done(out)) {
        const ms = performance.now() - t0;
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve(ms);
      }
    });
  });
}

/** Types KEYS characters into `binPath`'s shell while a long GROUP BY streams; run `n` of the bench. */
async function keyLatency(binPath, n) {
  const s = `bench-keys-${n}`;
  const keylog = join(home, `keylog-${n}`);
  await newSession('-d', '-s', s, '-x', '120', '-y', '40', `INFLUXSH_KEYLOG=${keylog} ${env} ${process.execPath} ${binPath} -host 127.0.0.1 -port ${port} -database bench; sleep 5`);
  const deadline = performance.now() + 10000;
  while (!/bench>\s*$/m.test(capture(s))) if (performance.now() > deadline) throw new Error('shell did not start');
  if (process.env.BENCH_CHUNK) {
    tmux('send-keys', '-t', s, `chunk size ${process.env.BENCH_CHUNK}`, 'Enter');
    await sleep(300);
  }
  // One row per second from 2000 to 2031 with fill(0): about 1e9 rows, streamed in chunks.
  tmux('send-keys', '-t', s, "SELECT count(v) FROM m WHERE time >= '2000-01-01T00:00:00Z' AND time < '2031-01-01T00:00:00Z' GROUP BY time(1s) fill(0)", 'Enter');
  const rowsOnScreen = () => {
    const m = /· ([\d,]+) rows ·/.exec(capture(s));
    return m ? Number(m[1].replace(/,/g, '')) : 0;
  };
  while (rowsOnScreen() < 100000) if (performance.now() > deadline + 20000) throw new Error('query did not stream');
  const lat = [];
  let typed = '';
  for (let i = 0; i < KEYS; i++) {
    const ch = 'abcdefghijklmnopqrstuvwxyz'[i % 26];
    typed += ch;
    const t0 = performance.now();
    tmux('send-keys', '-t', s, '-l', ch);
    for (;;) {
      const line = capture(s)
        .split('\n')
        .findLast((l) => l.includes('bench> '));
      if (line && line.trimEnd().endsWith(typed)) break;
      if (performance.now() - t0 > 5000) throw new Error(`key ${i} never appeared`);
    }
    lat.push(performance.now() - t0);
    await sleep(50);
  }
  const rowsAtEnd = rowsOnScreen();
  tmux('send-keys', '-t', s, 'C-c');
  await sleep(500);
  tmux('kill-session', '-t', s);
  // In-process: from the key bytes becoming readable on stdin to the next frame Ink writes.
  const inproc = readFileSync(keylog, 'utf8').trim().split('\n').map(Number).slice(-KEYS);
  return { inproc, lat, rowsAtEnd };
}

try {
  execFileSync(process.execPath, [bin, '-host', '127.0.0.1', '-port', port, '-execute', 'CREATE DATABASE bench'], { stdio: 'ignore' });
  execFileSync(process.execPath, [bin, '-host', '127.0.0.1', '-port', port, '-database', 'bench', '-execute', 'insert m v=1 946684800000000000'], { stdio: 'ignore' });

  // ---- 1. start-to-prompt ----
  const node = [];
  const prompt = [];
  const ink = [];
  for (let i = 0; i < RUNS; i++) {
    // Interleaved so machine noise hits all three alike.
    node.push(await timeToOutput(`${process.execPath} -e "process.stdout.write('NODE-READY')"`, (s) => s.includes('NODE-READY')));
    prompt.push(await timeToOutput(shellCmd, (s) => /127\.0\.0\.1:\d+> /.test(s)));
    ink.push(await timeToOutput(`INFLUXSH_EXIT_AFTER_PROMPT=ink ${shellCmd}; echo INK-READY`, (s) => s.includes('INK-READY')));
  }
  const nodeMs = median(node);
  const promptMs = median(prompt);
  const inkMs = median(ink);

  // ---- 2. keystroke latency while a big result streams ----
  const runs = baselineDir
    ? [
        ['baseline', join(baselineDir, 'bin', 'influxsh')],
        ['this build', bin],
        ['baseline', join(baselineDir, 'bin', 'influxsh')],
        ['this build', bin],
      ]
    : [['this build', bin]];
  const keyRuns = [];
  for (const [label, b] of runs) keyRuns.push({ label, ...(await keyLatency(b, keyRuns.length)) });

  // tmux's own round trip (send a key to a plain `cat`) is the floor of what can be measured.
  const f = 'bench-floor';
  await newSession('-d', '-s', f, '-x', '120', '-y', '40', 'cat');
  await sleep(300);
  const floor = [];
  let ft = '';
  for (let i = 0; i < 10; i++) {
    ft += 'x';
    const t0 = performance.now();
    tmux('send-keys', '-t', f, '-l', 'x');
    while (!capture(f).includes(ft)) if (performance.now() - t0 > 5000) break;
    floor.push(performance.now() - t0);
  }
  tmux('kill-session', '-t', f);

  const r = (x) => x.toFixed(0).padStart(7);
  console.log('influxsh interactive shell (pty via script(1), median of %d interleaved runs)', RUNS);
  console.log('  measure                                   ms    ratio');
  console.log(`  node -e (start to its output)        ${r(nodeMs)}     1.00`);
  console.log(`  influxsh start to prompt on the pty   ${r(promptMs)}  ${(promptMs / nodeMs).toFixed(2).padStart(7)}   goal <= 2.0`);
  console.log(`  influxsh start to Ink editor mounted ${r(inkMs)}  ${(inkMs / nodeMs).toFixed(2).padStart(7)}`);
  for (const { label, inproc, lat, rowsAtEnd } of keyRuns) {
    console.log(`keystroke to screen while a result streams, ${label} (${rowsAtEnd.toLocaleString('en-US')} rows received by the last key, ${KEYS} keys)`);
    console.log(`  in the shell (stdin readable -> frame written): median ${median(inproc).toFixed(1)} ms, p90 ${pct(inproc, 90).toFixed(1)} ms, max ${Math.max(...inproc).toFixed(1)} ms`);
    console.log(`  end to end through tmux (send-keys -> on screen): median ${median(lat).toFixed(1)} ms, p90 ${pct(lat, 90).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms`);
  }
  console.log(`  tmux floor (same measure on a plain cat, idle machine part): median ${median(floor).toFixed(1)} ms`);
} finally {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server'], { stdio: 'ignore' });
  execFileSync(process.execPath, [bin, 'local', 'stop', '--local-data', dataDir], { stdio: 'ignore' });
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}
