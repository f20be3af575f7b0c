import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawLineStream } from '../../src/connection/line-stream.js';

// The raw reader undoes HTTP framing itself, so it is tested against framing a real HTTP server
// (and a raw socket server) produce: pieces split anywhere, lengths, no body, close-delimited.
let server: Server;
let port = 0;
let rawServer: net.Server;
let rawPort = 0;

const request = (path: string) => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);

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
  const s = await rawLineStream(target, request(path));
  const lines: string[] = [];
  for await (const l of s.lines()) lines.push(l.toString('utf8'));
  return { status: s.status, headers: s.headers, lines };
}

describe('raw line stream', () => {
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
    await expect(rawLineStream({ host: '127.0.0.1', port: deadPort }, request('/'))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as net.AddressInfo).port;
    await expect(rawLineStream({ host: '127.0.0.1', port: silentPort }, request('/'), { timeoutMs: 100 })).rejects.toMatchObject({ code: 'INFLUXSH_TIMEOUT' });
    silent.close();
  });
});
