// HTTP_PROXY, HTTPS_PROXY and NO_PROXY against the real influxd, through a small forwarding
// proxy (test/helpers/forward-proxy.ts). The server is reached under a name only the proxy
// resolves (influx.proxied.invalid), so a request that succeeds there went through the proxy;
// loopback addresses are never proxied (the rule itself is unit-tested in proxy-rules.test.ts).
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';
import { startForwardProxy, type ForwardProxy } from '../helpers/forward-proxy.js';
import { influxPort, q, run, uniqueDb, write } from '../helpers/influx.js';

const NAME = 'influx.proxied.invalid';
let proxy: ForwardProxy;
let dir: string;
let tlsServer: LocalServer | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'influxsh-proxy-'));
  // A certificate for the proxied name, so TLS through CONNECT is verified end to end.
  const gen = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', `/CN=${NAME}`, '-addext', `subjectAltName=DNS:${NAME}`],
    { stdio: 'ignore' },
  );
  if (gen.status !== 0) throw new Error('openssl could not make a test certificate');
  tlsServer = await startLocalServer({ dataDir: join(dir, 'tls'), httpExtra: { 'https-enabled': true, 'https-certificate': join(dir, 'cert.pem'), 'https-private-key': join(dir, 'key.pem') } });
  proxy = await startForwardProxy({ names: { [NAME]: '127.0.0.1', 'hooks.proxied.invalid': '127.0.0.1' } });
});

afterAll(async () => {
  await proxy?.close();
  await tlsServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const proxiedUrl = () => `http://${NAME}:${influxPort()}`;
const env = (extra: Record<string, string> = {}) => ({ HTTP_PROXY: '', http_proxy: '', HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '', no_proxy: '', ...extra });

describe('proxies from the environment', () => {
  it('sends queries and writes to an http:// server through HTTP_PROXY', async () => {
    const db = uniqueDb('proxy_qw');
    const before = proxy.seen.length;
    const r = await run(['--url', proxiedUrl(), '-execute', `CREATE DATABASE ${db}\nINSERT INTO ${db}.autogen m v=7\nSELECT v FROM ${db}..m`], { bare: true, env: env({ HTTP_PROXY: proxy.url }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\b7\b/);
    const seen = proxy.seen.slice(before);
    expect(seen).toContain(`POST http://${NAME}:${influxPort()}/query`);
    expect(seen).toContain(`POST http://${NAME}:${influxPort()}/write`);
  });

  it('takes the lower-case http_proxy and sends credentials in the proxy URL as Proxy-Authorization', async () => {
    const before = proxy.auth.length;
    const withAuth = proxy.url.replace('http://', 'http://puser:p%40ss@');
    const r = await run(['--url', proxiedUrl(), '-execute', 'SHOW DATABASES'], { bare: true, env: env({ http_proxy: withAuth }) });
    expect(r.code).toBe(0);
    expect(proxy.auth.slice(before)).toEqual([`Basic ${Buffer.from('puser:p@ss').toString('base64')}`]);
  });

  it('imports and exports through the proxy', async () => {
    const db = uniqueDb('proxy_tr');
    await q(`CREATE DATABASE ${db}`);
    const file = join(dir, 'in.lp');
    writeFileSync(file, Array.from({ length: 300 }, (_, i) => `m,h=a v=${i} ${1_600_000_000_000_000_000n + BigInt(i)}`).join('\n') + '\n');
    const before = proxy.seen.length;
    const imp = await run(['--url', proxiedUrl(), '-import', '-path', file, '-database', db, '-precision', 'ns'], { bare: true, env: env({ HTTP_PROXY: proxy.url }) });
    expect(imp.stderr).toMatch(/300 points read, 300 written/);
    expect(imp.code).toBe(0);
    expect((await q('SELECT count(v) FROM m', db)).results[0].series[0].values[0][1]).toBe(300);
    const out = join(dir, 'out.lp');
    const exp = await run(['--url', proxiedUrl(), 'export', '--database', db, '--out', out], { bare: true, env: env({ HTTP_PROXY: proxy.url }) });
    expect(exp.code).toBe(0);
    expect(
      readFileSync(out, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('m,h=a v=')),
    ).toHaveLength(300);
    const seen = proxy.seen.slice(before);
    expect(seen).toContain(`GET http://${NAME}:${influxPort()}/ping`);
    expect(seen.filter((s) => s.endsWith('/write')).length).toBeGreaterThanOrEqual(1);
    expect(seen.filter((s) => s.endsWith('/query')).length).toBeGreaterThanOrEqual(2);
  });

  it('never proxies loopback: 127.0.0.1 and localhost go direct while HTTP_PROXY is set', async () => {
    const before = proxy.seen.length;
    const direct = await run(['-host', '127.0.0.1', '-port', influxPort(), '-execute', 'SHOW DATABASES'], { bare: true, env: env({ HTTP_PROXY: proxy.url }) });
    expect(direct.code).toBe(0);
    const local = await run(['-host', 'localhost', '-port', influxPort(), '-execute', 'SHOW DATABASES'], { bare: true, env: env({ HTTP_PROXY: proxy.url }) });
    expect(local.code).toBe(0);
    expect(proxy.seen.slice(before)).toEqual([]);
  });

  it('goes direct to a host NO_PROXY lists (here it cannot resolve the name, so it fails)', async () => {
    const before = proxy.seen.length;
    for (const noProxy of [NAME, '.proxied.invalid', `${NAME}:${influxPort()}`, '*']) {
      const r = await run(['--url', proxiedUrl(), '-execute', 'SHOW DATABASES'], { bare: true, env: env({ HTTP_PROXY: proxy.url, NO_PROXY: noProxy }) });
      expect(r.code, noProxy).toBe(1);
      expect(r.stderr, noProxy).toContain('host not found');
    }
    // A NO_PROXY entry for another port does not apply.
    const other = await run(['--url', proxiedUrl(), '-execute', 'SHOW DATABASES'], { bare: true, env: env({ HTTP_PROXY: proxy.url, no_proxy: `${NAME}:1` }) });
    expect(other.code).toBe(0);
    expect(proxy.seen.slice(before)).toEqual([`POST http://${NAME}:${influxPort()}/query`]);
  });

  it('reaches an https:// server through HTTPS_PROXY with CONNECT, the certificate verified end to end', async () => {
    const url = `https://${NAME}:${tlsServer!.port}`;
    const before = proxy.seen.length;
    const r = await run(['--url', url, '--ca-cert', join(dir, 'cert.pem'), '-execute', 'SHOW DATABASES'], { bare: true, env: env({ HTTPS_PROXY: proxy.url, HTTP_PROXY: 'http://127.0.0.1:1' }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('name: databases');
    // The proxy saw only the tunnel, never the query.
    expect(proxy.seen.slice(before)).toEqual([`CONNECT ${NAME}:${tlsServer!.port}`]);
    // Without the CA the certificate is still checked through the tunnel.
    const untrusted = await run(['--url', url, '-execute', 'SHOW DATABASES'], { bare: true, env: env({ HTTPS_PROXY: proxy.url }) });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/^ERR: Failed to connect to https:\/\/influx\.proxied\.invalid:\d+: TLS certificate not trusted/);
  });

  it('says in one line when the proxy refuses the tunnel or cannot be reached', async () => {
    const deny = await startForwardProxy({ denyConnect: 403 });
    try {
      const r = await run(['--url', `https://${NAME}:${tlsServer!.port}`, '-execute', 'SHOW DATABASES'], { bare: true, env: env({ HTTPS_PROXY: deny.url }) });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `ERR: Failed to connect to https://${NAME}:${tlsServer!.port} through proxy ${deny.url}: the proxy answered 403 to CONNECT ${NAME}:${tlsServer!.port}. Check HTTPS_PROXY/HTTP_PROXY, or list the host in NO_PROXY.\n`,
      );
    } finally {
      await deny.close();
    }
    const down = await run(['--url', proxiedUrl(), '-execute', 'SHOW DATABASES'], { bare: true, env: env({ HTTP_PROXY: 'http://127.0.0.1:1' }) });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^ERR: Failed to connect to proxy http:\/\/127\.0\.0\.1:1 \(from HTTP_PROXY\/HTTPS_PROXY\) for http:\/\/influx\.proxied\.invalid:\d+: connection refused\./);
  });

  it('delivers watch webhooks through the proxy', async () => {
    const db = uniqueDb('proxy_hook');
    await q(`CREATE DATABASE ${db}`);
    await write(db, 'hot value=10');
    const received: string[] = [];
    const hook: Server = createServer((req, res) => {
      received.push(req.url ?? '');
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as AddressInfo).port;
    const before = proxy.seen.length;
    try {
      const r = await run(
        [
          '-host',
          '127.0.0.1',
          '-port',
          influxPort(),
          '-database',
          db,
          '-format',
          'csv',
          '--watch',
          '100ms',
          '--watch-count',
          '2',
          '--alert',
          'value >= 9',
          '--webhook',
          `http://hooks.proxied.invalid:${port}/hook`,
          '-execute',
          'SELECT value FROM hot',
        ],
        { bare: true, env: env({ HTTP_PROXY: proxy.url }) },
      );
      expect(r.code).toBe(0);
      expect(received).toEqual(['/hook']);
      // The queries went direct (loopback); only the webhook went through the proxy.
      expect(proxy.seen.slice(before)).toEqual([`POST http://hooks.proxied.invalid:${port}/hook`]);
    } finally {
      hook.close();
    }
  });

  it('load --record writes its results through the proxy (the load target itself is loopback, so direct)', async () => {
    const target: Server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const db = uniqueDb('proxy_rec');
    const before = proxy.seen.length;
    try {
      const r = await run(['--url', proxiedUrl(), 'load', '-d', '1200ms', '-c', '1', '--record', '--database', db, '--json', `http://127.0.0.1:${(target.address() as AddressInfo).port}/`], {
        bare: true,
        env: env({ HTTP_PROXY: proxy.url }),
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/--record: \d+ per-second results written/);
      expect((await q('SELECT count(rps) FROM loadtest', db)).results[0].series[0].values[0][1]).toBeGreaterThanOrEqual(1);
      expect(proxy.seen.slice(before).filter((s) => s === `POST http://${NAME}:${influxPort()}/write`).length).toBeGreaterThanOrEqual(1);
    } finally {
      target.close();
    }
  });

  it('sends load traffic to its target directly, never through HTTP_PROXY (it measures the target, not the proxy)', async () => {
    const before = proxy.seen.length;
    const r = await run(['load', '-d', '600ms', '-c', '1', '--json', `http://${NAME}:${influxPort()}/ping`], { bare: true, env: env({ HTTP_PROXY: proxy.url }) });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.requests.ok).toBe(0);
    expect(report.requests.errors).toBeGreaterThan(0);
    expect(proxy.seen.slice(before)).toEqual([]);
  });
});
