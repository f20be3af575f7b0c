// -import when the input or the rejects file misbehaves: a cut or corrupt .gz, a rejects path
// that cannot be written, is the input, or is a symbolic link, and bytes that are not UTF-8.
// Nothing read may be lost, the summary must equal what the server stores, and the exit code
// must say whether it all landed.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, influxPort, influxUrl, q, run, uniqueDb } from '../helpers/influx.js';

const dir = mkdtempSync(join(tmpdir(), 'influxsh-import-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function countOf(db: string): Promise<number> {
  const r = await q('SELECT count(v) FROM m', db);
  return r.results[0].series?.[0]?.values?.[0]?.[1] ?? 0;
}

/** N distinct points (one per timestamp) spread over 10 series. */
function points(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `m,s=s${i % 10} v=${i}i ${1_600_000_000_000_000_000n + BigInt(i)}\n`;
  return s;
}

/** Complete lines a reader gets out of a cut gzip stream before it fails. */
function completeLines(gz: Buffer): number {
  const text = gunzipSync(gz, { finishFlush: constants.Z_SYNC_FLUSH });
  let n = 0;
  for (const b of text) if (b === 10) n++;
  return n;
}

describe('a gzip input that fails part way', () => {
  const N = 100_000;
  const whole = gzipSync(points(N));

  it.each([
    ['cut after 30 KB', 30_000],
    ['cut in the middle', Math.floor(whole.length / 2)],
  ])('%s: every complete line read is stored, the summary says so, exit 1', async (_name, bytes) => {
    const db = uniqueDb('gzcut');
    await q(`CREATE DATABASE ${db}`);
    const cut = whole.subarray(0, bytes);
    const expected = completeLines(cut);
    expect(expected).toBeGreaterThan(1000);
    expect(expected).toBeLessThan(N);
    const r = await run(['-import', '-path', file(`cut${bytes}.gz`, cut), '-compressed', '-database', db, '--batch-size', '1000', '--concurrency', '4']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/gzip data is truncated or corrupt/);
    expect(r.stderr).toContain(`import: ${expected} points read, ${expected} written, 0 rejected`);
    // Nothing may happen after the summary: every write was settled before it.
    expect(r.stderr).not.toMatch(/write failed/);
    expect(await countOf(db)).toBe(expected);
  });

  it('a bad CRC: what was decompressed is stored and counted, exit 1', async () => {
    const db = uniqueDb('gzcrc');
    await q(`CREATE DATABASE ${db}`);
    const bad = Buffer.from(whole);
    bad[bad.length - 8]! ^= 0xff; // the CRC32 of the trailer
    const r = await run(['-import', '-path', file('badcrc.gz', bad), '-database', db, '--batch-size', '1000', '--concurrency', '4']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/incorrect data check/);
    // zlib withholds its last output piece (at most 256 KB) when the trailer is wrong.
    const m = /import: (\d+) points read, (\d+) written, 0 rejected/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![2])).toBe(Number(m![1]));
    expect(Number(m![1])).toBeGreaterThan(N * 0.9);
    expect(await countOf(db)).toBe(Number(m![1]));
  });
});

describe('the rejects file', () => {
  const input = () => file('one-bad.lp', 'm v=1i 1\nm v= 2\nm v=3i 3\n');

  it('in a directory that does not exist: refused before anything is written, exit 1', async () => {
    const db = uniqueDb('rejnodir');
    await q(`CREATE DATABASE ${db}`);
    const r = await run(['-import', '-path', input(), '-database', db, '--rejects', '/no/such/dir/x.rejects']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual(['cannot use --rejects /no/such/dir/x.rejects: directory /no/such/dir: no such file']);
    expect(await countOf(db)).toBe(0);
  });

  it('naming a directory: a clear refusal, not a claim that the lines are in it', async () => {
    const sub = join(dir, 'adir');
    mkdirSync(sub, { recursive: true });
    const r = await run(['-import', '-path', input(), '-database', uniqueDb('rejdir'), '--rejects', sub]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot use --rejects .*adir: it is a directory/);
    expect(r.stderr).not.toMatch(/rejected lines are in/);
  });

  it('equal to the input under another name: refused before the input is touched', async () => {
    const big = file('self.lp', points(5000));
    const size = statSync(big).size;
    linkSync(big, join(dir, 'self-link.lp'));
    for (const rejects of [join(dir, '.', 'self.lp'), join(dir, 'self-link.lp')]) {
      const r = await run(['-import', '-path', big, '-database', uniqueDb('rejself'), '--rejects', rejects]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot use --rejects .*: it is the input file/);
      expect(statSync(big).size).toBe(size);
    }
  });

  it('a symbolic link: refused, its target left alone', async () => {
    const target = file('precious.txt', 'keep me\n');
    const link = join(dir, 'link.rejects');
    symlinkSync(target, link);
    const db = uniqueDb('rejlink');
    await q(`CREATE DATABASE ${db}`);
    const r = await run(['-import', '-path', input(), '-database', db, '--rejects', link]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot use --rejects .*link\.rejects: it is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
  });

  it("an existing regular file (the last run's rejects) is replaced with this run's", async () => {
    const rejects = file('again.rejects', 'old contents\n');
    const db = uniqueDb('rejagain');
    await q(`CREATE DATABASE ${db}`);
    const r = await run(['-import', '-path', input(), '-database', db, '--rejects', rejects]);
    expect(r.code).toBe(1);
    const text = readFileSync(rejects, 'utf8');
    expect(text).not.toContain('old contents');
    expect(text).toMatch(/# line 2: .*\nm v= 2\n/);
    expect(await countOf(db)).toBe(2);
  });
});

describe('bytes that are not UTF-8', () => {
  const BAD = Buffer.from([0xff, 0xfe]);

  /** The raw bytes of the values of tag t (CSV answers carry bytes as stored; JSON would replace them). */
  async function tagValues(db: string): Promise<Buffer> {
    const body = new URLSearchParams({ db, q: 'SHOW TAG VALUES FROM m WITH KEY = "t"' });
    const res = await fetch(`${influxUrl()}/query`, { method: 'POST', body, headers: { Accept: 'application/csv' } });
    return Buffer.from(await res.arrayBuffer());
  }

  it('-import stores them as they are and the rejects file keeps them byte for byte', async () => {
    const db = uniqueDb('bytes');
    await q(`CREATE DATABASE ${db}`);
    const good = Buffer.concat([Buffer.from('m,t='), BAD, Buffer.from(' v=1i 1\n')]);
    const bad = Buffer.concat([Buffer.from('m,t='), BAD, Buffer.from(' v=\n')]);
    const rejects = join(dir, 'bytes.rejects');
    const r = await run(['-import', '-path', file('bytes.lp', Buffer.concat([good, bad])), '-database', db, '--rejects', rejects]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('2 points read, 1 written, 1 rejected');
    const stored = await tagValues(db);
    expect(stored.includes(Buffer.concat([Buffer.from(',t,'), BAD, Buffer.from('\n')])), stored.toString('latin1')).toBe(true);
    expect(stored.includes(Buffer.from('\ufffd'))).toBe(false);
    expect(readFileSync(rejects).includes(bad)).toBe(true);
  });
});

describe('bytes that are not UTF-8 in INSERT', () => {
  const BAD = Buffer.from([0xff, 0xfe]);
  const stored = async (db: string) => {
    const body = new URLSearchParams({ db, q: 'SHOW TAG VALUES FROM m WITH KEY = "t"' });
    const res = await fetch(`${influxUrl()}/query`, { method: 'POST', body, headers: { Accept: 'application/csv' } });
    return Buffer.from(await res.arrayBuffer());
  };
  const expectBytes = (csv: Buffer) => {
    expect(csv.includes(Buffer.concat([Buffer.from(',t,'), BAD, Buffer.from('\n')])), csv.toString('latin1')).toBe(true);
    expect(csv.includes(Buffer.from('\ufffd'))).toBe(false);
  };

  it('-execute sends them unchanged (the argument carries the raw bytes, as a shell passes them)', async () => {
    const db = uniqueDb('insbytes');
    await q(`CREATE DATABASE ${db}`);
    // Node cannot put bytes that are not UTF-8 into argv; sh with printf can.
    const r = spawnSync('sh', ['-c', `exec "$0" "$1" -host 127.0.0.1 -port "$2" -database "$3" -execute "$(printf 'INSERT m,t=\\377\\376 v=1')"`, process.execPath, BIN, influxPort(), db], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expectBytes(await stored(db));
  });

  it('a script on stdin sends them unchanged', async () => {
    const db = uniqueDb('insstdin');
    await q(`CREATE DATABASE ${db}`);
    const input = Buffer.concat([Buffer.from('INSERT m,t='), BAD, Buffer.from(' v=1\n')]);
    const r = spawnSync(process.execPath, [BIN, '-host', '127.0.0.1', '-port', influxPort(), '-database', db], { input });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expectBytes(await stored(db));
  });
});

describe('stopped by a signal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: the writes in flight land, the summary says what is stored',
    async (sig) => {
      const db = uniqueDb('signal');
      await q(`CREATE DATABASE ${db}`);
      const path = file(`signal-${sig}.lp`, points(50_000));
      const child = spawn(process.execPath, [BIN, '-host', '127.0.0.1', '-port', influxPort(), '-import', '-path', path, '-database', db, '-pps', '5000'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.on('close', r));
      const deadline = Date.now() + 20_000;
      while ((await countOf(db)) < 2000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      child.kill(sig);
      const code = await exited;
      expect(code).toBe(sig === 'SIGTERM' ? 143 : 130);
      const m = /import: (\d+) points read, (\d+) written, 0 rejected/.exec(stderr);
      expect(m, stderr).not.toBeNull();
      expect(Number(m![2])).toBe(Number(m![1]));
      expect(Number(m![2])).toBeGreaterThanOrEqual(2000);
      expect(Number(m![2])).toBeLessThan(50_000);
      expect(stderr).toMatch(new RegExp(`stopped by ${sig === 'SIGTERM' ? 'SIGTERM' : 'an interrupt'} after`));
      expect(await countOf(db)).toBe(Number(m![2]));
    },
    30_000,
  );
});
