// Writers against what no real InfluxDB does: a proxy's page with 200, a server that accepts
// connections and never answers, an answer that stalls after its headers. Small stub servers,
// since influxd cannot be made to do these; everything else in these tests is the built binary.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { BIN, runCommand } from '../helpers/influx.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

async function listen<T extends Server | TcpServer>(server: T): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => {
    (server as Server).closeAllConnections?.();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

/** An InfluxDB look-alike for /ping whose /write is answered by `onWrite`. */
async function stub(onWrite: (res: import('node:http').ServerResponse) => void): Promise<{ url: string; writes: () => number }> {
  let writes = 0;
  const server = createHttpServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/ping')) {
      res.writeHead(204, { 'X-Influxdb-Version': '1.8.10' });
      res.end();
    } else if (req.url?.startsWith('/write')) {
      writes++;
      onWrite(res);
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Influxdb-Version': '1.8.10' });
      res.end('{"results":[{"statement_id":0}]}\n');
    }
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, writes: () => writes };
}

/** Accepts TCP connections and never says a word. */
async function silentServer(): Promise<string> {
  const held: Socket[] = [];
  const server = createTcpServer((s) => held.push(s));
  const port = await listen(server);
  closers.push(() => held.forEach((s) => s.destroy()));
  return `http://127.0.0.1:${port}`;
}

function start(args: string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null>; waitFor: (re: RegExp, ms?: number) => Promise<void> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d) => (err += d));
  child.stdout!.resume();
  closers.push(() => child.kill('SIGKILL'));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return {
    child,
    stderr: () => err,
    exited,
    async waitFor(re, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (!re.test(err)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`timed out waiting for ${re}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

/** Resolves with the exit code, or 'hung' when the process is still running after `ms`. */
async function exitWithin(p: ReturnType<typeof start>, ms: number): Promise<number | null | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([p.exited, new Promise<'hung'>((res) => (timer = setTimeout(() => res('hung'), ms)))]);
  clearTimeout(timer);
  return r;
}

describe("a 200 to /write that is not InfluxDB's", () => {
  const page = (res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html><body>Welcome to the proxy</body></html>');
  };

  it('INSERT fails with a clear error instead of counting the point as written', async () => {
    const s = await stub(page);
    const r = await runCommand(process.execPath, [BIN, '--url', s.url, '-database', 'd', '-execute', 'INSERT m v=1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/write answered 200 with an HTML page, not InfluxDB's 204: nothing was written/);
    expect(s.writes()).toBe(1);
  });

  it('-import puts the lines in the rejects file and exits 1', async () => {
    const s = await stub(page);
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-proxy-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const input = join(dir, 'in.lp');
    writeFileSync(input, 'm v=1i 1\nm v=2i 2\n');
    const r = await runCommand(process.execPath, [BIN, '--url', s.url, '-database', 'd', '-import', '-path', input]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('2 points read, 0 written, 2 rejected');
    expect(readFileSync(`${input}.rejects`, 'utf8')).toMatch(/# line 1: .*HTML page.*\nm v=1i 1\n# line 2: .*\nm v=2i 2\n/);
  });

  it("a JSON 200 with InfluxDB's version header still counts as written", async () => {
    const s = await stub((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Influxdb-Version': '1.8.10' });
      res.end('{}');
    });
    const r = await runCommand(process.execPath, [BIN, '--url', s.url, '-database', 'd', '-execute', 'INSERT m v=1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('a server that stalls', () => {
  it('--timeout bounds the wait for the rest of an answer, not only its headers', async () => {
    const s = await stub((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100', 'X-Influxdb-Version': '1.8.10' });
      res.write('{"res'); // and nothing more
    });
    const p = start(['--url', s.url, '--timeout', '1s', '-database', 'd', '-execute', 'INSERT m v=1']);
    expect(await exitWithin(p, 15_000)).toBe(1);
    expect(p.stderr()).toMatch(/timed out: no answer within 1s/);
  });

  it('a query answer that stalls after its headers fails after --timeout', async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'X-Influxdb-Version': '1.8.10' });
      res.write('{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,1]]}],"partial":true}]}\n');
    });
    const port = await listen(server);
    const p = start(['--url', `http://127.0.0.1:${port}`, '--timeout', '1s', '-database', 'd', '-execute', 'SELECT * FROM m']);
    expect(await exitWithin(p, 15_000)).toBe(1);
    expect(p.stderr()).toMatch(/sent nothing for 1000 ms/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'service against a server that never answers: prints its banner, and its summary on %s',
    async (sig) => {
      const url = await silentServer();
      const listenPort = await listen(createTcpServer());
      closers.splice(-1)[0]!(); // only wanted a free port
      const p = start(['service', '--url', url, '--listen', `127.0.0.1:${listenPort}`, '--shutdown-timeout', '300ms']);
      await p.waitFor(/Service A listening on .*timed out: no answer within \d+s.*serving anyway/);
      p.child.kill(sig);
      expect(await exitWithin(p, 15_000)).toBe(0);
      expect(p.stderr()).toMatch(/served 0 requests; points: 0 written, 0 dropped, 0 rejected/);
    },
    40_000,
  );
});

describe('the --retry-for budget', () => {
  it('is spent once for an outage, not once per batch, and the progress says what it waits for', async () => {
    const attempts = new Map<string, number>();
    const server = createHttpServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.url?.startsWith('/ping')) {
          res.writeHead(204, { 'X-Influxdb-Version': '1.8.10' });
          return res.end();
        }
        attempts.set(body.trim(), (attempts.get(body.trim()) ?? 0) + 1);
        res.writeHead(503, { 'Content-Type': 'application/json', 'X-Influxdb-Version': '1.8.10' });
        res.end('{"error":"restarting"}');
      });
    });
    const port = await listen(server);
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-budget-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const input = join(dir, 'in.lp');
    const lines = Array.from({ length: 8 }, (_, i) => `m v=${i}i ${i}`);
    writeFileSync(input, lines.join('\n') + '\n');
    const r = await runCommand(process.execPath, [
      BIN,
      '--url',
      `http://127.0.0.1:${port}`,
      '-database',
      'd',
      '-import',
      '-path',
      input,
      '--batch-size',
      '1',
      '--concurrency',
      '1',
      '--retry-for',
      '2s',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('8 points read, 0 written, 8 rejected');
    // The first batch spends the budget; every later one is tried once (twice at most), not for 2s more each.
    expect(attempts.get(lines[0]!)).toBeGreaterThanOrEqual(3);
    for (const l of lines.slice(1)) expect(attempts.get(l), l).toBeLessThanOrEqual(2);
    expect(r.stderr).toMatch(new RegExp(`waiting for InfluxDB at http://127\\.0\\.0\\.1:${port} \\(status 503: restarting\\), retrying for [12]s more`));
  }, 60_000);
});
