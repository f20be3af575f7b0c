// Transport variants against a real influxd: unix socket, a path prefix behind a proxy, and
// error bodies in the 2.x shape.
import { createServer, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';
import { errorFromBody } from '../../src/connection/http.js';
import { influxUrl, run } from '../helpers/influx.js';

let server: LocalServer;
let dir: string;
let socket: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'influxsh-sock-'));
  socket = join(dir, 'influxdb.sock');
  server = await startLocalServer({ dataDir: dir, httpExtra: { 'unix-socket-enabled': true, 'bind-socket': socket } });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('transport', () => {
  it('queries over a unix socket with -socket', async () => {
    const r = await run(['-socket', socket, '-execute', 'CREATE DATABASE over_socket; SHOW DATABASES'], { bare: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('over_socket');
  });

  it('honours -path-prefix behind a reverse proxy', async () => {
    const target = new URL(influxUrl());
    const proxy = createServer((req, res) => {
      if (!req.url?.startsWith('/influx/')) {
        res.writeHead(404);
        res.end('not under the prefix');
        return;
      }
      const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url.slice('/influx'.length), headers: req.headers }, (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as { port: number }).port;
    try {
      const r = await run(['-host', '127.0.0.1', '-port', String(port), '-path-prefix', '/influx/', '-execute', 'SHOW DATABASES'], { bare: true });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('name: databases');
      const viaUrl = await run(['--url', `http://127.0.0.1:${port}/influx`, '-execute', 'SHOW DATABASES'], { bare: true });
      expect(viaUrl.stdout).toContain('name: databases');
    } finally {
      proxy.close();
    }
  });

  it('reads error bodies of 1.x/3.x and of 2.x', () => {
    expect(errorFromBody('{"error":"database not found: x"}')).toBe('database not found: x');
    expect(errorFromBody('{"code":"unauthorized","message":"unauthorized access"}')).toBe('unauthorized access (unauthorized)');
    expect(errorFromBody('<html>502 Bad Gateway</html>')).toBe('<html>502 Bad Gateway</html>');
  });
});
