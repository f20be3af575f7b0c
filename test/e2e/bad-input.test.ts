// Bad flags and values: one clear line naming the flag, the right exit code, no secrets echoed.
import { describe, expect, it } from 'vitest';
import { influxPort, run, uniqueDb } from '../helpers/influx.js';

describe('connection flags', () => {
  it("takes -host '' as the default host, as 1.x does", async () => {
    const db = uniqueDb('emptyhost');
    const r = await run(['-host', '', '-port', influxPort(), '-execute', `CREATE DATABASE ${db}; SHOW DATABASES`], { bare: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(db);
  });

  it.each([
    [['-host', 'bad host'], 'invalid -host "bad host": use a host name or an IP address (for a full URL, use --url)'],
    [['-host', 'http://x'], 'invalid -host "http://x": use a host name or an IP address (for a full URL, use --url)'],
    [['-port', 'abc'], 'invalid -port "abc": use a number from 1 to 65535'],
    [['-port', '70000'], 'invalid -port "70000": use a number from 1 to 65535'],
    [['--url', 'http://bad host:8086'], 'invalid --url "http://bad": use http(s)://host:port[/prefix]'],
  ])('%j is a usage error naming the flag, even under --debug', async (flags, message) => {
    const r = await run([...flags, '--debug', '-execute', 'SHOW DATABASES'], { bare: true });
    expect(r.stderr).toBe(message + '\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('never prints the credentials of a --url, even one that does not parse', async () => {
    const r = await run(['--url', 'http://admin:UrlPwLEAK@127.0.0.1:abc', '-execute', 'SHOW DATABASES'], { bare: true });
    expect(r.stderr).toBe('invalid --url "http://127.0.0.1:abc": use http(s)://host:port[/prefix]\n');
    expect(r.code).toBe(2);
    const bad = await run(['--url', `http://admin:UrlPwLEAK@127.0.0.1:${influxPort()}/nope/`, '-execute', 'SHOW DATABASES'], { bare: true });
    expect(bad.code).toBe(1);
    for (const text of [r.stdout, bad.stdout, bad.stderr]) expect(text).not.toContain('UrlPwLEAK');
  });
});
