// The built binary in scripts: exit codes, streams, bad input, connection failures.
import { createServer, type RequestListener, type Server } from 'node:http';
import { mkdtempSync, writeFileSync, statSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../src/connection/local.js';
import { BIN, influxUrl, q, run, runCommand, uniqueDb } from '../helpers/influx.js';

const db = uniqueDb('oneshot');

beforeAll(async () => {
  await q(`CREATE DATABASE ${db}`);
});

function listen(handler: RequestListener): Promise<{ url: string; close: () => void; server: Server }> {
  return new Promise((resolve) => {
    const srv = createServer(handler).listen(0, '127.0.0.1', () => {
      const a = srv.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${a.port}`, close: () => srv.close(), server: srv });
    });
  });
}

describe('exit codes and streams', () => {
  it('exits 0 and prints nothing on stderr for a good script', async () => {
    const r = await run(['-database', db, '-execute', 'SHOW MEASUREMENTS']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('runs shell commands and multi-line statements from stdin', async () => {
    const script = [`use ${db}`, 'insert cpu,host=a value=1 1000000000', 'SELECT *', '  FROM cpu', 'format csv', 'SELECT value FROM cpu'].join('\n');
    const r = await run([], { input: script });
    expect(r.stderr).toBe(`Using database ${db}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('name: cpu\ntime       host value\n----       ---- -----\n1000000000 a    1\nname,time,value\ncpu,1000000000,1\n');
  });

  it('exits 1 for a failed insert and for use of a missing database, unlike 1.x', async () => {
    const ins = await run(['-database', db, '-execute', 'insert this is not line protocol']);
    expect(ins.code).toBe(1);
    expect(ins.stderr).toMatch(/^ERR: unable to parse/);
    const use = await run(['-execute', 'use no_such_db_here']);
    expect(use.code).toBe(1);
    expect(use.stderr).toContain("ERR: Database no_such_db_here doesn't exist.");
  });

  it('reports every failing statement of a multi-statement line, not only the first', async () => {
    const r = await run(['-database', db, '-execute', "SHOW DATABASES; SELECT * FROM cpu WHERE time > 'bad'; SHOW MEASUREMENTS"]);
    expect(r.code).toBe(1);
    const errs = r.stderr.split('\n').filter((l) => l.startsWith('ERR: '));
    // The server stops at the first failing statement and marks the rest "not executed".
    expect(errs).toEqual(['ERR: invalid operation: time and *influxql.StringLiteral are not compatible', 'ERR: not executed']);
    expect(r.stdout).toContain('name: databases');
  });

  it('gives the parse error with its position', async () => {
    const r = await run(['-database', db, '-execute', 'SELEC * FROM cpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ERR: error parsing query: found SELEC, expected .* at line 1, char 1/);
  });

  it('stops at the first failing line by default and goes on with --continue-on-error', async () => {
    const script = 'SELECT * FROM\nSHOW DATABASES';
    const stop = await run(['-execute', script]);
    expect(stop.code).toBe(1);
    expect(stop.stdout).toBe('');
    const goOn = await run(['--continue-on-error', '-execute', 'SELEC 1\nSHOW DATABASES']);
    expect(goOn.code).toBe(1);
    expect(goOn.stdout).toContain('name: databases');
  });

  it('keeps nanosecond timestamps and int64 values exact in every format', async () => {
    await q(`CREATE DATABASE ${db}`);
    const body = 'exactm i=9223372036854775807i,u=-9223372036854775807i 1700000000123456789';
    await fetch(`${influxUrl()}/write?db=${db}`, { method: 'POST', body });
    for (const format of ['column', 'csv', 'json', 'jsonl', 'vertical', 'table']) {
      const r = await run(['-database', db, '-format', format, '-execute', 'SELECT * FROM exactm']);
      expect(r.code, format).toBe(0);
      expect(r.stdout, format).toContain('1700000000123456789');
      expect(r.stdout, format).toContain('9223372036854775807');
      expect(r.stdout, format).toContain('-9223372036854775807');
    }
  });
});

describe('bad input', () => {
  it('exits 2 with usage for unknown flags and stray arguments', async () => {
    for (const args of [['-nosuchflag'], ['--format'], ['stray', 'words']]) {
      const r = await run(args, { bare: true });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('influxsh --help');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('rejects a bad format or precision with exit 2', async () => {
    expect((await run(['-format', 'xml', '-execute', 'SHOW DATABASES'])).code).toBe(2);
    expect((await run(['-precision', 'weeks', '-execute', 'SHOW DATABASES'])).code).toBe(2);
  });

  it('names the URL and gives a hint when nothing listens, without waiting for the timeout', async () => {
    const t0 = Date.now();
    const r = await run(['-host', '127.0.0.1', '-port', '1', '--timeout', '30s', '-execute', 'SHOW DATABASES'], { bare: true });
    // A refused connection is final: waiting out the 30 s timeout would be the bug.
    expect(Date.now() - t0).toBeLessThan(15000);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('Failed to connect to http://127.0.0.1:1: connection refused');
  });

  it('exits 1 for an empty script when nothing listens, and 0 when the server answers, as 1.x does', async () => {
    for (const input of ['', '\n\n']) {
      const down = await run(['-host', '127.0.0.1', '-port', '1'], { bare: true, input });
      expect(down.code).toBe(1);
      expect(down.stderr).toContain('Failed to connect to http://127.0.0.1:1: connection refused');
      const up = await run([], { input });
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout + up.stderr).toBe('');
    }
  });

  it('times out against a server that never answers', async () => {
    // Measured at the server, from accepting the connection to the client hanging up. A loaded
    // machine delays the server's events, so the lower bound leaves room for that.
    let waited = -1;
    const srv = await listen(() => {
      /* never answers */
    });
    srv.server.on('connection', (socket) => {
      const accepted = performance.now();
      socket.on('close', () => (waited = performance.now() - accepted));
    });
    const r = await run(['--url', srv.url, '--timeout', '500ms', '-execute', 'SHOW DATABASES'], { bare: true });
    const deadline = Date.now() + 5000;
    while (waited < 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    srv.close();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('timed out: no answer within 0.5s (--timeout)');
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(5000);
  });

  it('says when the endpoint is not InfluxDB', async () => {
    const srv = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>Welcome to nginx</body></html>');
    });
    const r = await run(['--url', srv.url, '-execute', 'SHOW DATABASES'], { bare: true });
    srv.close();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('answered with an HTML page, not InfluxDB');
  });

  it('hints at --ca-cert / -unsafeSsl for an untrusted certificate, and works with either, against influxd serving https', async () => {
    const fixtures = new URL('../fixtures/tls/', import.meta.url);
    const dataDir = mkdtempSync(join(tmpdir(), 'influxsh-tls-'));
    const server = await startLocalServer({ dataDir, https: { certificate: fileURLToPath(new URL('cert.pem', fixtures)), privateKey: fileURLToPath(new URL('key.pem', fixtures)) } });
    const port = String(server.port);
    try {
      const untrusted = await run(['--url', `https://localhost:${port}`, '-execute', 'SHOW DATABASES'], { bare: true });
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toMatch(/TLS certificate not trusted .*--ca-cert FILE, or -unsafeSsl/);
      const unsafe = await run(['-host', 'localhost', '-port', port, '-ssl', '-unsafeSsl', '-execute', 'SHOW DATABASES'], { bare: true, input: '' });
      expect(unsafe.stderr).toBe(
        `WARNING: -unsafeSsl: the certificate of https://localhost:${port} is not verified; anyone on the network path can read and change this session (use --ca-cert FILE instead)\n`,
      );
      expect(unsafe.stdout).toBe('name: databases\nname\n----\n');
      // The shell (a terminal, through script(1)) says it in its banner.
      const shell = await runCommand('script', ['-qec', `${process.execPath} ${BIN} -host localhost -port ${port} -ssl -unsafeSsl`, '/dev/null'], { env: { INFLUXSH_EXIT_AFTER_PROMPT: 'first' } });
      expect(shell.stdout.replace(/\r/g, '')).toMatch(
        /^Connected to https:\/\/localhost:\d+ version 1\.\S+\ninfluxsh version \S+\nWARNING: -unsafeSsl: the certificate of https:\/\/localhost:\d+ is not verified;/m,
      );
      const ca = await run(['--url', `https://localhost:${port}`, '--ca-cert', fileURLToPath(new URL('cert.pem', fixtures)), '-execute', 'CREATE DATABASE tlsdb'], { bare: true });
      expect(ca.stderr).toBe('');
      expect(ca.code).toBe(0);
      const write = await run(['--url', `https://localhost:${port}`, '--ca-cert', fileURLToPath(new URL('cert.pem', fixtures)), '-database', 'tlsdb'], {
        bare: true,
        input: 'INSERT m v=1 1000000000\nSELECT v FROM m\n',
      });
      expect(write.stderr).toBe('');
      expect(write.code).toBe(0);
      expect(write.stdout).toBe('name: m\ntime       v\n----       -\n1000000000 1\n');
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('hints that the server does not speak TLS when -ssl meets plain HTTP', async () => {
    const r = await run(['-ssl', '-execute', 'SHOW DATABASES']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/TLS handshake failed .*Drop -ssl or use http:\/\//);
  });

  it('fails clearly when asked to prompt for a password without a TTY', async () => {
    const r = await run(['-username', 'u', '-password', '', '-execute', 'SHOW DATABASES']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unable to prompt for a password with no TTY');
  });

  it('never echoes the password in errors', async () => {
    const srv = await listen((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end('{"error":"authorization failed"}');
    });
    const r = await run(['--url', srv.url, '-username', 'admin', '-password', 's3cr3t-pw', '-execute', 'SHOW DATABASES'], { bare: true });
    srv.close();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('authentication failed');
    expect(r.stderr + r.stdout).not.toContain('s3cr3t-pw');
  });

  it('survives garbage and a 1 MB line with one error each', async () => {
    const garbage = '\u0000\u0001\u00ff binary ��� garbage\n' + 'x'.repeat(1 << 20) + '\nSHOW DATABASES';
    const r = await run(['--continue-on-error', '-database', db], { input: garbage });
    expect(r.code).toBe(1);
    const errs = r.stderr.split('\n').filter((l) => l.startsWith('ERR: '));
    expect(errs).toHaveLength(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toContain('name: databases');
  });

  it('reads a script from --file and reports a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-file-'));
    const f = join(dir, 'q.influxql');
    writeFileSync(f, 'SHOW DATABASES;\n');
    const ok = await run(['--file', f]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('name: databases');
    const missing = await run(['--file', join(dir, 'nope.influxql')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`cannot read ${join(dir, 'nope.influxql')}: no such file`);
  });
});

describe('connection settings', () => {
  it('reads INFLUX_HOST, and a named profile from the XDG config file', async () => {
    const viaEnv = await run(['-execute', 'SHOW DATABASES'], { bare: true, env: { INFLUX_HOST: influxUrl() } });
    expect(viaEnv.code).toBe(0);
    const cfg = mkdtempSync(join(tmpdir(), 'influxsh-cfg-'));
    mkdirSync(join(cfg, 'influxsh'));
    const path = join(cfg, 'influxsh', 'config.json');
    writeFileSync(path, JSON.stringify({ profiles: { test: { url: influxUrl(), database: db, format: 'csv' } } }), { mode: 0o644 });
    const viaProfile = await run(['--profile', 'test', '-execute', 'SHOW MEASUREMENTS'], { bare: true, env: { XDG_CONFIG_HOME: cfg } });
    expect(viaProfile.code).toBe(0);
    expect(viaProfile.stdout.startsWith('name,name\n')).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const missing = await run(['--profile', 'nope', '-execute', 'SHOW DATABASES'], { bare: true, env: { XDG_CONFIG_HOME: cfg } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('profile "nope" not found');
  });

  it('prints the version without contacting a server', async () => {
    for (const flag of ['-version', '--version']) {
      const r = await run([flag], { bare: true });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^influxsh version \d+\.\d+\.\d+\n$/);
    }
  });
});

describe('shell commands in scripts', () => {
  it('settings reflects format, precision, chunking, consistency and the database', async () => {
    const script = ['format csv', 'precision rfc3339', 'chunk size 500', 'consistency one', `use ${db}`, 'pretty', 'settings'].join('\n');
    const r = await run([], { input: script });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const row = (k: string) =>
      lines
        .find((l) => l.startsWith(k + ' '))
        ?.slice(18)
        .trim();
    expect(row('Format')).toBe('csv');
    expect(row('Precision')).toBe('rfc3339');
    expect(row('Chunk Size')).toBe('500');
    expect(row('Write Consistency')).toBe('one');
    expect(row('Database')).toBe(db);
    expect(row('Pretty')).toBe('true');
    expect(r.stderr).toContain('chunk size set to 500');
    expect(r.stderr).toContain('Pretty print enabled');
  });

  it('rejects unknown values with the 1.x messages and exit 1', async () => {
    const r = await run(['--continue-on-error'], { input: 'format xml\nprecision weeks\nconsistency most\nclear nothing\nchunk size lots' });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'ERR: Unknown format "xml". Please use column, csv, json, jsonl, table, vertical or chart.',
      'ERR: Unknown precision "weeks". Please use rfc3339, h, m, s, ms, u or ns.',
      'ERR: Unknown consistency level "most". Please use any, one, quorum, or all.',
      'ERR: invalid command "nothing". usage: clear db|database|rp|retention policy',
      'ERR: unable to parse chunk size from "lots"',
    ]);
  });

  it('writes inserts with the session precision into db.rp', async () => {
    const r = await run([], { input: `precision s\ninsert into ${db}.autogen prec,host=x v=1 1700000000\nprecision ns\nformat csv\nSELECT v FROM ${db}..prec` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('name,time,v\nprec,1700000000000000000,1\n');
  });
});

describe('pipes', () => {
  it('ends quietly when the reader goes away (| head)', async () => {
    const { runCommand, BIN, influxPort } = await import('../helpers/influx.js');
    const script = Array.from({ length: 2000 }, () => 'SHOW DATABASES').join('\n');
    const r = await runCommand('bash', ['-c', `${process.execPath} ${BIN} -host 127.0.0.1 -port ${influxPort()} -execute "$S" | head -1; echo "status=\${PIPESTATUS[0]}"`], { env: { S: script } });
    expect(r.stdout).toBe('name: databases\nstatus=0\n');
    expect(r.stderr).toBe('');
  });

  it('says so and exits 1 when the output cannot be written (a full disk)', async () => {
    const { influxPort } = await import('../helpers/influx.js');
    const r = await runCommand('sh', ['-c', 'exec "$@" > /dev/full', 'sh', process.execPath, BIN, '-host', '127.0.0.1', '-port', influxPort(), '-execute', 'SHOW DATABASES']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^influxsh: cannot write the output: ENOSPC/);
  });

  it('writes every byte to a pipe that was left non-blocking and fills up while nobody reads', async () => {
    const { influxPort } = await import('../helpers/influx.js');
    const { spawn } = await import('node:child_process');
    // A preload that builds process.stdout leaves fd 1 non-blocking (libuv's pipe), so influxsh's
    // direct writes meet EAGAIN once the pipe is full and must hand the rest over to the stream.
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-nonblock-'));
    writeFileSync(join(dir, 'touch.cjs'), 'process.stdout;');
    const db = uniqueDb('nonblock');
    await q(`CREATE DATABASE ${db}`);
    const n = 30000;
    const points = Array.from({ length: n }, (_, i) => `m v=${i} ${i}`).join('\n');
    const w = await fetch(`${influxUrl()}/write?db=${db}`, { method: 'POST', body: points });
    expect(w.status).toBe(204);
    const child = spawn(process.execPath, ['-r', join(dir, 'touch.cjs'), BIN, '-host', '127.0.0.1', '-port', influxPort(), '-database', db, '-format', 'csv', '-execute', 'SELECT v FROM m']);
    child.stdout.pause();
    const chunks: Buffer[] = [];
    // About 600 KB of answer against 64 KB of pipe: the writer fills it long before this.
    await new Promise((r) => setTimeout(r, 1000));
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stdout.resume();
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    const expected = ['name,time,v', ...Array.from({ length: n }, (_, i) => `m,${i},${i}`), ''].join('\n');
    expect(Buffer.concat(chunks).toString('utf8') === expected).toBe(true);
  });
});
