// The subcommands get the connection options (~16 each) only when commander dispatches to one, so
// a start does not define them all; a subcommand must still parse and document them.
import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';

function subcommand(program: Command, name: string): Command {
  const sub = program.commands.find((c) => c.name() === name);
  if (!sub) throw new Error(`no subcommand ${name}`);
  return sub;
}

describe('subcommands', () => {
  it('start without the connection options and parse them once dispatched to', () => {
    const program = buildProgram();
    const sub = subcommand(program, 'export');
    expect(sub.options.find((o) => o.long === '--host')).toBeUndefined();
    let seen: Record<string, unknown> = {};
    sub.action((o: Record<string, unknown>) => void (seen = o));
    program.parse(['export', '--host', 'db.example', '--ca-cert', 'ca.pem', '--out', 'x.lp'], { from: 'user' });
    expect(seen).toEqual({ host: 'db.example', caCert: 'ca.pem', out: 'x.lp' });
  });

  it('list the connection options in their help', () => {
    for (const args of [
      ['load', '--help'],
      ['export', '-h'],
    ]) {
      const program = buildProgram();
      let out = '';
      for (const c of [program, ...program.commands]) c.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
      expect(() => program.parse(args, { from: 'user' })).toThrow(CommanderError);
      expect(out, args.join(' ')).toMatch(/--host <host>[\s\S]*--ca-cert <file>[\s\S]*--local-data <dir>/);
    }
  });

  it('reject an unknown connection option with a suggestion', () => {
    const program = buildProgram();
    let err = '';
    for (const c of [program, ...program.commands]) c.configureOutput({ writeErr: (s) => (err += s) });
    expect(() => program.parse(['export', '--hots', 'x'], { from: 'user' })).toThrow(CommanderError);
    expect(err).toMatch(/unknown option '--hots'[\s\S]*Did you mean --host\?/);
  });
});
