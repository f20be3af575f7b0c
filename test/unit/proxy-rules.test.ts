// Which requests go through HTTP_PROXY/HTTPS_PROXY: Go's ProxyFromEnvironment rules, as the 1.x
// influx CLI applies them (golang.org/x/net/http/httpproxy), one rule per case.
import { describe, expect, it } from 'vitest';
import { parseProxyUrl, proxyFor, proxyRules } from '../../src/connection/proxy.js';

const PROXY = 'http://proxy.example:3128';
const via = (url: string, env: NodeJS.ProcessEnv) => proxyFor(new URL(url), proxyRules(env))?.href;

describe('proxy rules', () => {
  it('takes HTTP_PROXY for http:// and HTTPS_PROXY for https://, never one for the other', () => {
    expect(via('http://db.example:8086', { HTTP_PROXY: PROXY })).toBe('http://proxy.example:3128/');
    expect(via('https://db.example:8086', { HTTP_PROXY: PROXY })).toBeUndefined();
    expect(via('https://db.example:8086', { HTTPS_PROXY: 'http://tls-proxy.example:8080' })).toBe('http://tls-proxy.example:8080/');
    expect(via('http://db.example:8086', { HTTPS_PROXY: 'http://tls-proxy.example:8080' })).toBeUndefined();
    expect(via('http://db.example:8086', {})).toBeUndefined();
  });

  it('reads the upper-case variable first, the lower-case one when the upper is unset or empty', () => {
    expect(via('http://db.example', { HTTP_PROXY: 'http://upper:1', http_proxy: 'http://lower:2' })).toBe('http://upper:1/');
    expect(via('http://db.example', { http_proxy: 'http://lower:2' })).toBe('http://lower:2/');
    expect(via('http://db.example', { HTTP_PROXY: '', http_proxy: 'http://lower:2' })).toBe('http://lower:2/');
    expect(via('http://db.example', { HTTP_PROXY: PROXY, no_proxy: 'db.example' })).toBeUndefined();
    expect(via('https://db.example', { https_proxy: PROXY })).toBe('http://proxy.example:3128/');
  });

  it('reads a proxy without a scheme as http://', () => {
    expect(parseProxyUrl('proxy.example:3128')?.href).toBe('http://proxy.example:3128/');
    expect(parseProxyUrl('http://user:pw@proxy.example:3128')?.username).toBe('user');
    expect(parseProxyUrl('')).toBeUndefined();
  });

  it('never proxies localhost or a loopback address, whatever NO_PROXY says', () => {
    const env = { HTTP_PROXY: PROXY, HTTPS_PROXY: PROXY };
    for (const url of ['http://localhost:8086', 'https://localhost', 'http://127.0.0.1:8086', 'http://127.9.8.7', 'http://[::1]:8086', 'http://[::ffff:127.0.0.1]:8086']) {
      expect(via(url, env), url).toBeUndefined();
    }
    // Only the exact name and loopback addresses: not names that merely contain "localhost".
    expect(via('http://localhost.example', env)).toBe('http://proxy.example:3128/');
    expect(via('http://local.localhost', env)).toBe('http://proxy.example:3128/');
    expect(via('http://[::2]', env)).toBe('http://proxy.example:3128/');
  });

  it('skips the proxy for every host when NO_PROXY is *', () => {
    expect(via('http://db.example', { HTTP_PROXY: PROXY, NO_PROXY: '*' })).toBeUndefined();
    expect(via('https://10.1.2.3', { HTTPS_PROXY: PROXY, NO_PROXY: ' * ' })).toBeUndefined();
  });

  // Hosts against one NO_PROXY list, on port 80 (http://); true = through the proxy.
  const NO_PROXY =
    'foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, 2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, 2002:db8:a::45/64, Upper.Example';
  const cases: [string, boolean, string][] = [
    ['foobar.com', false, 'a name matches itself'],
    ['www.foobar.com', false, 'a name matches its subdomains'],
    ['foofoobar.com', true, 'but not a longer name ending in the same letters'],
    ['barbaz.net', true, 'a leading dot matches subdomains only'],
    ['www.barbaz.net', false, 'a leading dot matches subdomains'],
    ['barbarbaz.net', true, 'a leading dot does not match a longer name'],
    ['wildcard.io', true, '*. matches subdomains only'],
    ['nested.wildcard.io', false, '*. matches subdomains'],
    ['awildcard.io', true, '*. does not match a longer name'],
    ['upper.example', false, 'entries are compared in lower case'],
    ['192.168.1.1', false, 'an IP matches itself'],
    ['192.168.1.4', true, 'and no other IP'],
    ['192.168.1.2', true, 'an IP:port entry needs the port too (81 ≠ 80)'],
    ['192.168.1.3', false, 'an IP:port entry with the request port matches'],
    ['10.0.0.2', false, 'a CIDR matches the addresses in it'],
    ['10.0.0.4', true, 'and not the ones outside'],
    ['[2001:db8::52:0:1]', false, 'an IPv6 address matches itself'],
    ['[2001:db8::52:0:2]', true, '[IPv6]:port needs the port (443 ≠ 80)'],
    ['[2001:db8::52:0:3]', false, '[IPv6]:port with the request port matches'],
    ['[2002:db8:a::123]', false, 'an IPv6 CIDR matches the addresses in it'],
    ['[fe80::424b:c8be:1643:a1b6]', true, 'an IPv6 address outside every entry'],
  ];
  for (const [host, proxied, why] of cases) {
    it(`${host}: ${proxied ? 'proxied' : 'direct'} (${why})`, () => {
      expect(via(`http://${host}/`, { HTTP_PROXY: PROXY, NO_PROXY })).toBe(proxied ? 'http://proxy.example:3128/' : undefined);
    });
  }

  it('compares a name:port entry with the default port of the scheme when the URL has none', () => {
    const env = { HTTP_PROXY: PROXY, HTTPS_PROXY: PROXY, NO_PROXY: 'db.example:443, metrics.example:8086' };
    expect(via('https://db.example/', env)).toBeUndefined();
    expect(via('http://db.example/', env)).toBe('http://proxy.example:3128/');
    expect(via('http://metrics.example:8086/', env)).toBeUndefined();
    expect(via('http://metrics.example:8087/', env)).toBe('http://proxy.example:3128/');
  });

  it('ignores HTTP_PROXY in a CGI program (REQUEST_METHOD set), as Go does, but not HTTPS_PROXY', () => {
    expect(via('http://db.example', { HTTP_PROXY: PROXY, REQUEST_METHOD: 'GET' })).toBeUndefined();
    expect(via('https://db.example', { HTTPS_PROXY: PROXY, REQUEST_METHOD: 'GET' })).toBe('http://proxy.example:3128/');
  });

  it('skips empty and host-less NO_PROXY entries', () => {
    expect(via('http://db.example', { HTTP_PROXY: PROXY, NO_PROXY: ' , :80,,' })).toBe('http://proxy.example:3128/');
  });
});
