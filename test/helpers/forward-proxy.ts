// A small forwarding proxy, as a corporate one behaves: plain HTTP requests in absolute form are
// forwarded, CONNECT opens a tunnel. `names` maps host names only this proxy can resolve to real
// addresses, so a request that reaches the server at such a name must have gone through it.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ForwardProxy {
  url: string;
  /** What reached the proxy: "GET http://host:port/path" (query string cut) or "CONNECT host:port". */
  seen: string[];
  /** Proxy-Authorization headers received. */
  auth: string[];
  close(): Promise<void>;
}

export interface ForwardProxyOptions {
  names?: Record<string, string>;
  /** Answer every CONNECT with this status instead of a tunnel. */
  denyConnect?: number;
}

export async function startForwardProxy(o: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const seen: string[] = [];
  const auth: string[] = [];
  const resolve = (host: string) => o.names?.[host] ?? host;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '');
    seen.push(`${req.method} ${target.origin}${target.pathname}`);
    if (req.headers['proxy-authorization']) auth.push(req.headers['proxy-authorization']);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = http.request({ host: resolve(target.hostname), port: target.port || 80, method: req.method, path: target.pathname + target.search, headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end('bad gateway'));
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    if (req.headers['proxy-authorization']) auth.push(req.headers['proxy-authorization']);
    if (o.denyConnect) {
      client.end(`HTTP/1.1 ${o.denyConnect} Denied\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = [req.url!.slice(0, req.url!.lastIndexOf(':')), Number(req.url!.slice(req.url!.lastIndexOf(':') + 1))];
    const up = net.connect(port, resolve(host.replace(/^\[|\]$/g, '')), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up).add(client);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  server.on('connection', (s: net.Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    auth,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
