// URLs in messages: scheme, host and port only, whatever the URL carries and whether it parses.
import { describe, expect, it } from 'vitest';
import { basicAuthFromUrl, urlForMessage } from '../../src/connection/safe-url.js';
import { displayUrl, resolveSettings } from '../../src/connection/settings.js';

describe('urlForMessage', () => {
  it.each([
    ['https://user:secret@hooks.slack.com/services/T0/B0/XYZ', 'https://hooks.slack.com'],
    ['http://admin:UrlPwLEAK@127.0.0.1:abc', 'http://127.0.0.1:abc'],
    ['http://admin:p/w#x@UrlPw@10.0.0.1:8086/prefix?u=a&p=b', 'http://10.0.0.1:8086'],
    ['http://[::1]:8086/x', 'http://[::1]:8086'],
    ['influx.example.com:8086/pre', 'influx.example.com:8086'],
    ['http://bad host:8086/path', 'http://bad'],
  ])('%s → %s', (raw, shown) => {
    expect(urlForMessage(raw)).toBe(shown);
  });
});

describe('credentials in --url', () => {
  const env = {};
  it('become the username and password and never show in the URL', () => {
    const s = resolveSettings({ url: 'http://admin:pa%40ss@127.0.0.1:8086/prefix' }, env);
    expect(s.url).toBe('http://127.0.0.1:8086/prefix');
    expect(s.username).toBe('admin');
    expect(s.password).toBe('pa@ss');
    expect(displayUrl(s)).toBe('http://127.0.0.1:8086');
  });

  it('give way to -username and -password flags', () => {
    const s = resolveSettings({ url: 'http://admin:UrlPw@127.0.0.1:8086', username: 'bob', password: 'flagpw' }, env);
    expect([s.username, s.password]).toEqual(['bob', 'flagpw']);
  });

  it('are left out of the message for a URL that does not parse', () => {
    expect(() => resolveSettings({ url: 'http://admin:UrlPwLEAK@127.0.0.1:abc' }, env)).toThrow('invalid --url "http://127.0.0.1:abc": use http(s)://host:port[/prefix]');
  });

  it('become a Basic header for webhooks', () => {
    expect(basicAuthFromUrl(new URL('http://hook:s%3Acret@example.com/x'))).toBe('Basic ' + Buffer.from('hook:s:cret').toString('base64'));
    expect(basicAuthFromUrl(new URL('http://example.com/x'))).toBeUndefined();
  });
});
