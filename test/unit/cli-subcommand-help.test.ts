// Every subcommand's --help: its own options first, the connection options under their own heading.
import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { OPTIONS } from '../../src/cli/options.js';

const connectionFlags = new Set(OPTIONS.filter((o) => o.group === 'connection' || o.group === 'local').map((o) => `--${o.name}`));

/** `influxsh NAME --help` as commander prints it (connection options are added on dispatch). */
function helpOf(name: string): string {
  const program = buildProgram();
  let out = '';
  for (const c of program.commands) c.configureOutput({ writeOut: (s) => (out += s) });
  try {
    program.parse([name, '--help'], { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError && e.code === 'commander.helpDisplayed')) throw e;
  }
  return out;
}

const names = buildProgram().commands.map((c) => c.name());
const withConnection = names.filter((n) => helpOf(n).includes('\nConnection options:\n'));

describe('subcommand --help', () => {
  it('covers the subcommands that take connection options', () => {
    expect(withConnection).toEqual(expect.arrayContaining(['demo', 'export', 'service', 'load', 'simulate', 'collect']));
    expect(withConnection).not.toContain('local');
  });

  it.each(withConnection)('%s lists its own options first, then the connection options under their heading', (name) => {
    const help = helpOf(name);
    const lines = help.split('\n');
    const own = lines.indexOf('Options:');
    const conn = lines.indexOf('Connection options:');
    expect(own).toBeGreaterThan(0);
    expect(conn).toBeGreaterThan(own);
    const flagOf = (l: string) => /^ {2}(?:-\w, )?(--[\w-]+)/.exec(l)?.[1];
    const ownFlags = lines
      .slice(own + 1, conn)
      .map(flagOf)
      .filter(Boolean) as string[];
    const connFlags = lines
      .slice(conn + 1)
      .map(flagOf)
      .filter(Boolean) as string[];
    // The first option shown is the command's own, and no connection flag is mixed in with them.
    expect(ownFlags[0]).not.toBe('--host');
    for (const f of ownFlags) expect(connectionFlags.has(f) && f !== '--help', f).toBe(false);
    expect(new Set(connFlags)).toEqual(connectionFlags);
  });
});
