// Commands change the session only by asking the store; the runner reacts to the change.
import { describe, expect, it } from 'vitest';
import { InfluxHttp } from '../../src/connection/http.js';
import { SessionStore, type Session, type SessionChange } from '../../src/core/session.js';
import { Runner } from '../../src/core/runner.js';
import { commands } from '../../src/cli/registry.js';
import type { Sink } from '../../src/format/types.js';

function session(): Session {
  return {
    conn: new InfluxHttp({ url: 'http://127.0.0.1:9', username: 'old', password: 'old-secret' } as ConstructorParameters<typeof InfluxHttp>[0]),
    serverVersion: '1.6.7',
    database: 'db0',
    retentionPolicy: 'rp0',
    format: 'column',
    pretty: false,
    precision: 'ns',
    chunked: true,
    chunkSize: 0,
    consistency: 'all',
    nodeId: 0,
    interactive: false,
  };
}

const quiet: Sink = { write: () => {}, pending: 0, flush: async () => {} };

/** A runner over a session that only the store may change (a direct edit throws). */
function frozenRunner() {
  const s = session();
  const store = new SessionStore(s);
  const changes: SessionChange['changed'][] = [];
  store.subscribe((c) => changes.push(c.changed));
  const errors: string[] = [];
  const runner = new Runner(store, { sink: quiet, error: (t) => errors.push(t), info: () => {}, shell: { history: () => [], promptAuth: async () => null, connect: async () => false } }, commands);
  return { s, store, runner, changes, errors };
}

describe('session updates', () => {
  it.each([
    ['format csv', { format: 'csv' }],
    ['precision rfc3339', { precision: 'rfc3339' }],
    ['consistency one', { consistency: 'one' }],
    ['pretty', { pretty: true }],
    ['chunked', { chunked: false }],
    ['chunk size 500', { chunkSize: 500 }],
    ['sparklines on', { sparklines: true }],
    ['node 3', { nodeId: 3 }],
    ['clear rp', { retentionPolicy: undefined }],
    ['clear db', { database: undefined, retentionPolicy: undefined }],
    ['timezone UTC', { timeZone: 'UTC' }],
  ] as const)('%s asks the store for the change and edits nothing itself', async (line, expected) => {
    const { s, store, changes } = frozenRunner();
    // The command sees the session frozen: a direct edit would throw.
    const errors: string[] = [];
    const found = commands.find(line)!;
    const ok = await found.command.run(
      { session: Object.freeze({ ...s }), update: (u) => store.apply(u), info: () => {}, out: () => {}, error: (t) => errors.push(t), commands: commands.all },
      found.args,
      line,
    );
    expect(errors).toEqual([]);
    expect(ok).toBe(true);
    expect(s).toMatchObject(expected);
    expect(changes.flatMap((c) => [...c]).sort()).toEqual(Object.keys(expected).sort());
  });

  it('auth replaces the connection with one signed in as the new user, and closes the old one', async () => {
    const { s, runner } = frozenRunner();
    const old = s.conn;
    let closed = 0;
    old.close = () => void closed++;
    const r = await runner.runUnit('auth alice s3cret');
    expect(r.ok).toBe(true);
    expect(s.conn).not.toBe(old);
    expect(s.conn.settings).toMatchObject({ url: 'http://127.0.0.1:9', username: 'alice', password: 's3cret' });
    expect(old.settings).toMatchObject({ username: 'old', password: 'old-secret' });
    expect(closed).toBe(1);
  });

  it('the runner builds a new formatter only after a change to what formatters are made from', async () => {
    const { store, runner } = frozenRunner();
    const made: string[] = [];
    const r = runner as unknown as { currentFormatter(): Promise<unknown> };
    // Count formatter builds through the runner's own path.
    (runner as unknown as { io: { createFormatter: (n: string) => Promise<unknown> } }).io.createFormatter = async (name: string) => {
      made.push(name);
      return { event: () => {}, close: () => {} };
    };
    await r.currentFormatter();
    await r.currentFormatter();
    store.apply({ database: 'other' });
    await r.currentFormatter();
    expect(made).toEqual(['column']);
    store.apply({ format: 'csv' });
    await r.currentFormatter();
    await r.currentFormatter();
    expect(made).toEqual(['column', 'csv']);
  });
});

describe('switch arguments', () => {
  it('reads on/off in any case, the command’s synonyms, nothing, and anything else', async () => {
    const { parseOnOff } = await import('../../src/core/commands.js');
    expect(['on', ' ON ', 'off', 'Off', '', '  ', 'yes', 'pause', 'resume'].map((a) => parseOnOff(a))).toEqual([true, true, false, false, undefined, undefined, null, null, null]);
    expect(['pause', 'RESUME', 'on'].map((a) => parseOnOff(a, { on: ['resume'], off: ['pause'] }))).toEqual([false, true, true]);
  });
});
