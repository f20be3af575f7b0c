// Every subcommand's --help: its own options first, the connection options under their own heading.
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { OPTIONS } from '../../src/cli/options.js';

const connectionFlags = new Set(OPTIONS.filter((o) => o.group === 'connection' || o.group === 'local').map((o) => `--${o.name}`));

function subcommands(): Command[] {
  return buildProgram().commands.filter((c) => c.options.some((o) => o.long && connectionFlags.has(o.long)));
}

describe('subcommand --help', () => {
  it('covers the subcommands that take connection options', () => {
    expect(subcommands().map((c) => c.name())).toEqual(expect.arrayContaining(['demo', 'export', 'service', 'load', 'simulate', 'collect']));
  });

  it.each(subcommands().map((c) => [c.name(), c] as const))('%s lists its own options first, then the connection options under their heading', (_name, cmd) => {
    const help = cmd.helpInformation();
    const lines = help.split('\n');
    const own = lines.indexOf('Options:');
    const conn = lines.indexOf('Connection options:');
    expect(own).toBeGreaterThan(0);
    expect(conn).toBeGreaterThan(own);
    const flagOf = (l: string) => /^ {2}(?:-\w, )?(--[\w-]+)/.exec(l)?.[1];
    const ownFlags = lines.slice(own + 1, conn).map(flagOf).filter(Boolean) as string[];
    const connFlags = lines.slice(conn + 1).map(flagOf).filter(Boolean) as string[];
    // The first option shown is the command's own, and no connection flag is mixed in with them.
    expect(ownFlags[0]).not.toBe('--host');
    for (const f of ownFlags) expect(connectionFlags.has(f) && f !== '--help', f).toBe(false);
    expect(new Set(connFlags)).toEqual(connectionFlags);
  });
});
