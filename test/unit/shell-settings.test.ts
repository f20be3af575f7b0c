// Setting commands with no argument say the current value; help and behaviour agree on `timing`.
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/registry.js';
import type { CommandContext } from '../../src/core/commands.js';
import { SessionStore, type Session } from '../../src/core/session.js';
import type { ShellControl } from '../../src/shell/shell-commands.js';

function run(line: string, session: Partial<Session>, control?: Partial<ShellControl>) {
  const info: string[] = [];
  const errors: string[] = [];
  const ctx: CommandContext = {
    session: session as Session,
    update: (u) => new SessionStore(session as Session).apply(u),
    info: (t) => info.push(t),
    out: (t) => info.push(t),
    error: (t) => errors.push(t),
    shell: { history: () => [], promptAuth: async () => null, connect: async () => false, control: control as ShellControl },
    commands: commands.all,
  };
  const found = commands.find(line)!;
  const ok = found.command.run(ctx, found.args, line);
  return { ok, info, errors, session };
}

describe('setting commands with no argument', () => {
  it.each([
    ['format', { format: 'csv' }, 'format csv'],
    ['precision', { precision: 'rfc3339' }, 'precision rfc3339'],
    ['precision', { precision: '' }, 'precision ns'],
    ['consistency', { consistency: 'one' }, 'consistency one'],
  ] as const)('%s shows the current value and changes nothing', (cmd, session, shown) => {
    const r = run(cmd, { ...session });
    expect(r.ok).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.info).toEqual([shown]);
    expect(r.session).toEqual(session);
  });

  it('an unknown value is still an error', () => {
    const r = run('format xml', { format: 'csv' });
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatch(/Unknown format "xml"/);
  });

  it('timing alone toggles, as its help says', () => {
    let timing = false;
    const control = {
      get timing() {
        return timing;
      },
      setTiming: (on: boolean) => void (timing = on),
    };
    expect(commands.find('timing')!.command.usage).toBe('timing [on|off]');
    expect(commands.find('timing')!.command.summary).toMatch(/alone it toggles/);
    expect(run('timing', {}, control).info).toEqual(['Timing is on']);
    expect(run('timing', {}, control).info).toEqual(['Timing is off']);
    expect(run('timing off', {}, control).info).toEqual(['Timing is off']);
  });
});

describe('leaving a shell on the private influxd', () => {
  it('names the data directory in both commands when it is not the default', async () => {
    const { leavingLocalNote } = await import('../../src/cli/local-command.js');
    const { defaultDataDir } = await import('../../src/connection/local.js');
    expect(leavingLocalNote('http://127.0.0.1:1234', defaultDataDir())).toBe(
      `The private influxd keeps running at http://127.0.0.1:1234 (data: ${defaultDataDir()}).\nCome back with: influxsh --local   Stop it with: influxsh local stop\n`,
    );
    const note = leavingLocalNote('http://127.0.0.1:1234', "/tmp/my data's");
    expect(note.split('\n')[1]).toBe(`Come back with: influxsh --local --local-data '/tmp/my data'\\''s'   Stop it with: influxsh local stop --local-data '/tmp/my data'\\''s'`);
  });
});

describe('traffic', () => {
  it('pauses and resumes the demo traffic, says its state alone, and explains itself outside the demo', async () => {
    const calls: string[] = [];
    let paused = false;
    const traffic = {
      get paused() {
        return paused;
      },
      pause: async () => void (calls.push('pause'), (paused = true)),
      resume: async () => void (calls.push('resume'), (paused = false)),
    };
    const info: string[] = [];
    const errors: string[] = [];
    const ctx = (withTraffic: boolean): CommandContext => ({
      session: {} as Session,
      update: () => {},
      info: (t) => info.push(t),
      out: (t) => info.push(t),
      error: (t) => errors.push(t),
      shell: { history: () => [], promptAuth: async () => null, connect: async () => false, traffic: withTraffic ? traffic : undefined },
      commands: commands.all,
    });
    const cmd = commands.find('traffic')!.command;
    expect(await cmd.run(ctx(true), 'off', 'traffic off')).toBe(true);
    expect(await cmd.run(ctx(true), '', 'traffic')).toBe(true);
    expect(await cmd.run(ctx(true), 'on', 'traffic on')).toBe(true);
    expect(calls).toEqual(['pause', 'resume']);
    expect(info).toEqual(['Sample traffic paused (traffic on resumes it)', 'Sample traffic paused (traffic on resumes it)', 'Sample traffic flowing (traffic off pauses it)']);
    expect(await cmd.run(ctx(false), 'off', 'traffic off')).toBe(false);
    expect(errors).toEqual(['no sample traffic in this session: it comes with influxsh demo']);
  });
});

describe('settings', () => {
  it('prints two columns one space apart under a dashed header, as 1.x does', async () => {
    const { InfluxHttp } = await import('../../src/connection/http.js');
    const out: string[] = [];
    const session = {
      conn: new InfluxHttp({ url: 'http://127.0.0.1:8086' } as ConstructorParameters<typeof InfluxHttp>[0]),
      serverVersion: '1.6.7',
      database: 'db0',
      format: 'csv',
      pretty: false,
      precision: 'ns',
      chunked: true,
      chunkSize: 0,
      consistency: 'all',
      nodeId: 0,
      interactive: false,
    } as Session;
    const ctx: CommandContext = { session, update: () => {}, info: () => {}, out: (t) => out.push(t), error: (t) => out.push(t), commands: commands.all };
    expect(await commands.find('settings')!.command.run(ctx, '', 'settings')).toBe(true);
    expect(out.join('')).toBe(
      [
        'Setting           Value',
        '--------          --------',
        'URL               http://127.0.0.1:8086',
        'Username',
        'Database          db0',
        'RetentionPolicy',
        'Pretty            false',
        'Format            csv',
        'Precision         ns',
        'Time Zone         UTC',
        'Write Consistency all',
        'Chunked           true',
        'Chunk Size        0',
        'Server Version    1.6.7',
        '',
      ].join('\n'),
    );
  });
});
