// Which proxy a request goes through, by the rules of Go's http.ProxyFromEnvironment
// (golang.org/x/net/http/httpproxy), which the 1.x `influx` CLI uses: HTTPS_PROXY for https://,
// HTTP_PROXY for http:// (upper case first, then lower case), and never for localhost, a
// loopback address, or a host NO_PROXY lists (by name, domain suffix, IP, CIDR, port, or `*`).
import { ipVersion } from './ip.js';

export interface ProxyRules {
  httpProxy?: URL;
  httpsProxy?: URL;
  /** REQUEST_METHOD is set (a CGI program): Go ignores HTTP_PROXY there, as a client could set it. */
  cgi: boolean;
  /** NO_PROXY was `*`: nothing is proxied. */
  all: boolean;
  ips: { ip: string; port: string }[];
  cidrs: { base: bigint; bits: number; v6: boolean }[];
  domains: { suffix: string; port: string; matchHost: boolean }[];
}

function envAny(env: NodeJS.ProcessEnv, upper: string): string {
  return env[upper] || env[upper.toLowerCase()] || '';
}

/** A proxy setting as Go reads it: a bare `host:port` means http://host:port. */
export function parseProxyUrl(raw: string): URL | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    if (u.host) return u;
  } catch {
    /* tried again with a scheme below */
  }
  try {
    return new URL('http://' + raw);
  } catch {
    return undefined;
  }
}

export function proxyRules(env: NodeJS.ProcessEnv = process.env): ProxyRules {
  const rules: ProxyRules = {
    httpProxy: parseProxyUrl(envAny(env, 'HTTP_PROXY')),
    httpsProxy: parseProxyUrl(envAny(env, 'HTTPS_PROXY')),
    cgi: !!env.REQUEST_METHOD,
    all: false,
    ips: [],
    cidrs: [],
    domains: [],
  };
  for (const entry of envAny(env, 'NO_PROXY').split(',')) {
    const p = entry.trim().toLowerCase();
    if (!p) continue;
    if (p === '*') {
      rules.all = true;
      break;
    }
    const cidr = parseCidr(p);
    if (cidr) {
      rules.cidrs.push(cidr);
      continue;
    }
    const [rawHost, port] = splitHostPort(p) ?? [p, ''];
    let host = rawHost;
    if (host === '') continue; // ":80": no host part, ignored as Go does
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    if (ipVersion(host)) {
      rules.ips.push({ ip: canonicalIp(host), port });
      continue;
    }
    // "*.example.com" and ".example.com" match subdomains only; "example.com" matches itself too.
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    rules.domains.push({ suffix: matchHost ? '.' + host : host, port, matchHost });
  }
  return rules;
}

/** The proxy for a request to `target`, or undefined to connect directly. */
export function proxyFor(target: URL, rules: ProxyRules): URL | undefined {
  let proxy: URL | undefined;
  if (target.protocol === 'https:') proxy = rules.httpsProxy;
  else if (target.protocol === 'http:') proxy = rules.cgi ? undefined : rules.httpProxy;
  if (!proxy) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return useProxy(host, port, rules) ? proxy : undefined;
}

function useProxy(host: string, port: string, rules: ProxyRules): boolean {
  if (host === 'localhost') return false;
  const ipKind = ipVersion(host);
  if (ipKind && isLoopback(host)) return false;
  if (rules.all) return false;
  if (ipKind) {
    const ip = canonicalIp(host);
    for (const m of rules.ips) if (m.ip === ip && (!m.port || m.port === port)) return false;
    const a = addr(host);
    for (const c of rules.cidrs) if (inCidr(a, c)) return false;
  }
  for (const d of rules.domains) {
    if (host.endsWith(d.suffix) || (d.matchHost && host === d.suffix.slice(1))) {
      if (!d.port || d.port === port) return false;
    }
  }
  return true;
}

function splitHostPort(s: string): [string, string] | undefined {
  if (s.startsWith('[')) {
    const m = /^\[([^\]]*)\]:(\d*)$/.exec(s);
    return m ? [m[1]!, m[2]!] : undefined;
  }
  const i = s.lastIndexOf(':');
  if (i < 0 || s.indexOf(':') !== i) return undefined; // no port, or a bare IPv6 address
  return [s.slice(0, i), s.slice(i + 1)];
}

/** An address as a number, with IPv4-mapped IPv6 addresses read as IPv4 (Go compares them so). */
function addr(ip: string): { v: bigint; v6: boolean } {
  if (ipVersion(ip) === 4) return { v: v4Value(ip), v6: false };
  const v = v6Value(ip);
  return v >> 32n === 0xffffn ? { v: v & 0xffffffffn, v6: false } : { v, v6: true };
}

function isLoopback(ip: string): boolean {
  const a = addr(ip);
  return a.v6 ? a.v === 1n : a.v >> 24n === 127n;
}

/** One spelling per address, so `::1` and `0:0::1` (or `::ffff:1.2.3.4` and `1.2.3.4`) compare equal. */
function canonicalIp(ip: string): string {
  const a = addr(ip);
  return `${a.v6 ? 6 : 4}:${a.v.toString(16)}`;
}

function v4Value(ip: string): bigint {
  return ip.split('.').reduce((v, part) => (v << 8n) | BigInt(Number(part)), 0n);
}

function v6Value(ip: string): bigint {
  // Expand "::" and any dotted tail into eight 16-bit groups.
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = Number(v4Value(v4[1]!));
    text = text.slice(0, -v4[1]!.length) + ((n >>> 16) & 0xffff).toString(16) + ':' + (n & 0xffff).toString(16);
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((v, g) => (v << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

function parseCidr(p: string): ProxyRules['cidrs'][number] | undefined {
  const m = /^(.+)\/(\d{1,3})$/.exec(p);
  if (!m) return undefined;
  const kind = ipVersion(m[1]!);
  let bits = Number(m[2]);
  if (!kind || bits > (kind === 4 ? 32 : 128)) return undefined;
  const a = addr(m[1]!);
  if (kind === 6 && !a.v6) bits = Math.max(0, bits - 96); // ::ffff:a.b.c.d/n covers IPv4 addresses
  return { base: a.v & mask(a.v6, bits), bits, v6: a.v6 };
}

function mask(v6: boolean, bits: number): bigint {
  const width = v6 ? 128n : 32n;
  return ((1n << width) - 1n) ^ ((1n << (width - BigInt(bits))) - 1n);
}

function inCidr(a: { v: bigint; v6: boolean }, c: ProxyRules['cidrs'][number]): boolean {
  return a.v6 === c.v6 && (a.v & mask(c.v6, c.bits)) === c.base;
}
