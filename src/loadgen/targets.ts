// Load targets: URLs checked once and turned into pre-built request bytes, so sending a request
// is one socket write.
import { readFileSync } from 'node:fs';
import { basicAuthFromUrl, urlForMessage, withoutCredentials } from '../connection/safe-url.js';
import { TrafficError } from './errors.js';

export interface LoadTarget {
  url: string;
  /** host:port, the key connections are grouped by. */
  origin: string;
  host: string;
  port: number;
  tls: boolean;
  request: Buffer;
  method: string;
}

export const DEFAULT_TARGETS = ['http://127.0.0.1:8080/api/hello', 'http://127.0.0.1:8080/api/world'];

export interface RequestShape {
  method?: string;
  headers?: string[];
  /** Request body, or @file to read it from a file. */
  body?: string;
}

export function buildTargets(urls: string[], shape: RequestShape = {}): LoadTarget[] {
  const list = urls.length ? urls : DEFAULT_TARGETS;
  const method = (shape.method ?? 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new TrafficError(`invalid --method "${shape.method}"`, true);
  const extra: [string, string][] = [];
  for (const h of shape.headers ?? []) {
    const i = h.indexOf(':');
    const name = i > 0 ? h.slice(0, i).trim() : '';
    if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n]/.test(h)) throw new TrafficError(`invalid --header "${h}": use "Name: value"`, true);
    extra.push([name, h.slice(i + 1).trim()]);
  }
  let body: Buffer | undefined;
  if (shape.body !== undefined) {
    if (shape.body.startsWith('@')) {
      try {
        body = readFileSync(shape.body.slice(1));
      } catch (e) {
        throw new TrafficError(`cannot read --body file ${shape.body.slice(1)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, true);
      }
    } else body = Buffer.from(shape.body);
  }
  return list.map((raw) => {
    let u: URL;
    try {
      u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    } catch {
      throw new TrafficError(`invalid URL "${urlForMessage(raw)}": use http://host:port/path`, true);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TrafficError(`invalid URL "${urlForMessage(raw)}": only http and https are supported`, true);
    if (!u.hostname) throw new TrafficError(`invalid URL "${urlForMessage(raw)}": no host`, true);
    // user:password@ in a target is sent as Basic auth (unless --header sets Authorization).
    const auth = basicAuthFromUrl(u);
    u = withoutCredentials(u);
    const tls = u.protocol === 'https:';
    const port = Number(u.port || (tls ? 443 : 80));
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const names = new Set(extra.map(([n]) => n.toLowerCase()));
    const lines = [`${method} ${u.pathname}${u.search} HTTP/1.1`];
    if (!names.has('host')) lines.push(`Host: ${u.host}`);
    if (auth && !names.has('authorization')) lines.push(`Authorization: ${auth}`);
    for (const [n, v] of extra) lines.push(`${n}: ${v}`);
    if (body && !names.has('content-length')) lines.push(`Content-Length: ${body.length}`);
    const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
    return { url: u.href, origin: `${u.protocol}//${u.host}`, host, port, tls, method, request: body ? Buffer.concat([head, body]) : head };
  });
}
