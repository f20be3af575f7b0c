import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, endpointFor } from '../../src/connection/client.js';
import { rawTcpAvailable } from '../../src/connection/raw-tcp.js';

// The transport's client undoes HTTP framing itself, so it is tested against framing a real HTTP
// server (and a raw socket server) produce: pieces split anywhere, lengths, no body, close-delimited.
const MANY = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(4000 + (i % 37))}`).join('\n');
let server: Server;
let port = 0;
let rawServer: net.Server;
let rawPort = 0;

const request = (port: number, path: string, timeoutMs = 0) =>
  new HttpClient(endpointFor(new URL(`http://127.0.0.1:${port}`), { env: {} })).request({ method: 'GET', path, timeoutMs, keepAlive: false });

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a test server: a rejected handler fails the test anyway
  server = createServer(async (req, res) => {
    if (req.url === '/chunked') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Influxdb-Version': '1.6.7' });
      // One byte per write, with a pause now and then, so chunk sizes and lines split everywhere.
      const body = '{"a":1}\n{"b":"東京"}\n\n{"c":[1,2]}\n{"tail":true}';
      for (let i = 0; i < body.length; i++) {
        res.write(body[i]);
        if (i % 7 === 0) await new Promise((r) => setTimeout(r, 1));
      }
      res.end();
    } else if (req.url === '/length') {
      res.writeHead(400, { 'Content-Type': 'application/json', 'Content-Length': '20' });
      res.end('{"error":"bad"}\nxxxx');
    } else if (req.url === '/many') {
      // In separate reads, so lines arrive after earlier ones were consumed (and their buffers reused).
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const lines = MANY.split('\n');
      for (let i = 0; i < lines.length; i++) {
        res.write(lines[i] + (i + 1 < lines.length ? '\n' : ''));
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 2));
      }
      res.end();
    } else if (req.url === '/empty') {
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
  rawServer = net.createServer((s) => {
    s.once('data', () => s.end('HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>\nhi</html>'));
  });
  await new Promise<void>((r) => rawServer.listen(0, '127.0.0.1', r));
  rawPort = (rawServer.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await new Promise((r) => rawServer.close(r));
});

async function collect(target: { host: string; port: number }, path: string) {
  const s = await request(target.port, path);
  const lines: string[] = [];
  for await (const l of s.lines()) lines.push(l.toString('utf8'));
  return { status: s.status, headers: s.headers, lines };
}

// Plain connections to an IP address ride a raw libuv handle (RawSocket) where Node has one, else
// net.Socket (INFLUXSH_NET_SOCKETS forces that): every behaviour holds on both.
describe.each([
  ['a raw handle', undefined],
  ['net.Socket', '1'],
])('transport client on %s', (_kind, netSockets) => {
  beforeAll(() => {
    if (netSockets) process.env.INFLUXSH_NET_SOCKETS = netSockets;
    else delete process.env.INFLUXSH_NET_SOCKETS;
  });
  afterAll(() => {
    delete process.env.INFLUXSH_NET_SOCKETS;
  });

  it('takes the socket kind named', () => {
    expect(rawTcpAvailable()).toBe(!netSockets);
  });

  it('undoes chunked framing split at every byte and yields each line once, in order', async () => {
    const r = await collect({ host: '127.0.0.1', port }, '/chunked');
    expect(r.status).toBe(200);
    expect(r.headers['x-influxdb-version']).toBe('1.6.7');
    expect(r.lines).toEqual(['{"a":1}', '{"b":"東京"}', '', '{"c":[1,2]}', '{"tail":true}']);
  });

  it('reads exactly Content-Length bytes, and no body for 204', async () => {
    const r = await collect({ host: '127.0.0.1', port }, '/length');
    expect(r.status).toBe(400);
    expect(r.lines).toEqual(['{"error":"bad"}', 'xxxx']);
    const e = await collect({ host: '127.0.0.1', port }, '/empty');
    expect(e).toMatchObject({ status: 204, lines: [] });
  });

  it('gives the whole body as text, every line intact', async () => {
    const s = await request(port, '/many');
    expect(await s.text()).toBe(MANY);
  });

  it('reads a body that ends when the server closes', async () => {
    const r = await collect({ host: '127.0.0.1', port: rawPort }, '/');
    expect(r.headers['content-type']).toBe('text/html');
    expect(r.lines).toEqual(['<html>', 'hi</html>']);
  });

  it('rejects with the socket error when nothing listens, and with a timeout when no head comes', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(request(deadPort, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as net.AddressInfo).port;
    await expect(request(silentPort, '/', 100)).rejects.toMatchObject({ code: 'INFLUXSH_TIMEOUT' });
    silent.close();
  });

  it('keeps a connection for the next request, and drops it when the server closes it while idle', async () => {
    let connections = 0;
    const keeper = createServer((_req, res) => res.end('ok')).on('connection', () => connections++);
    await new Promise<void>((r) => keeper.listen(0, '127.0.0.1', r));
    const client = new HttpClient(endpointFor(new URL(`http://127.0.0.1:${(keeper.address() as net.AddressInfo).port}`), { env: {} }));
    for (let i = 0; i < 3; i++) expect(await (await client.request({ method: 'GET', path: '/', timeoutMs: 1000, keepAlive: true })).text()).toBe('ok');
    expect(connections).toBe(1);
    keeper.closeAllConnections();
    await new Promise((r) => setTimeout(r, 50));
    expect(await (await client.request({ method: 'GET', path: '/', timeoutMs: 1000, keepAlive: true })).text()).toBe('ok');
    expect(connections).toBe(2);
    client.close();
    await new Promise((r) => keeper.close(r));
  });

  it('sends a request body whole, head and body in one request', async () => {
    let got = '';
    const echo = createServer((req, res) => {
      req.setEncoding('latin1');
      req.on('data', (d: string) => (got += d));
      req.on('end', () => res.end(String(got.length)));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const body = [Buffer.from('a'.repeat(300_000)), Buffer.from('b'.repeat(5))];
    const client = new HttpClient(endpointFor(new URL(`http://127.0.0.1:${(echo.address() as net.AddressInfo).port}`), { env: {} }));
    const s = await client.request({ method: 'POST', path: '/write', body, timeoutMs: 2000, keepAlive: false });
    expect(await s.text()).toBe('300005');
    expect(got).toBe('a'.repeat(300_000) + 'bbbbb');
    await new Promise((r) => echo.close(r));
  });
});
