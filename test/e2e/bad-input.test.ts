// Bad flags and values: one clear line naming the flag, the right exit code, no secrets echoed.
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Socket } from 'node:net';
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

describe('messages that say what went wrong', () => {
  it('calls a stray word an unknown command and lists the commands', async () => {
    const r = await run(['frobnicate'], { bare: true });
    expect(r.stderr).toBe(
      "unknown command 'frobnicate': the commands are demo, export, local, service, load, simulate, collect (statements run with -execute, or in the shell). Run 'influxsh --help' for usage.\n",
    );
    expect(r.code).toBe(2);
  });

  it('says an optional value that starts with a dash is invalid, not an unknown option', async () => {
    const r = await run(['--watch', '-1s', '-execute', 'SHOW DATABASES']);
    expect(r.stderr).toBe('invalid --watch interval "-1s": use a duration such as 2s, 500ms or 1m\n');
    expect(r.code).toBe(2);
  });

  // A server that accepts and never answers: what a late response looks like.
  const sockets: Socket[] = [];
  const stall = createServer((s) => sockets.push(s));
  afterAll(() => {
    for (const s of sockets) s.destroy();
    stall.close();
  });

  it('says a late answer timed out after --timeout, not that influxd may be down', async () => {
    await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
    const port = (stall.address() as AddressInfo).port;
    const r = await run(['-host', '127.0.0.1', '-port', String(port), '--timeout', '1s', '-execute', 'SHOW DATABASES'], { bare: true });
    expect(r.stderr).toBe(`ERR: http://127.0.0.1:${port} timed out: no answer within 1s (--timeout)\n`);
    expect(r.code).toBe(1);
  });
});
