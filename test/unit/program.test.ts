// The program leaves the subcommands out when the arguments cannot reach them; commander must
// then parse (or reject) every command line exactly as the full program does.
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { normalizeArgv, onlyRootOptions } from '../../src/cli/options.js';

function parse(args: string[], lean: boolean) {
  let out = '';
  const program = buildProgram(lean ? args : undefined)
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s), getOutHelpWidth: () => 80, getErrHelpWidth: () => 80 })
    .action(() => {});
  try {
    program.parse(args, { from: 'user' });
    return { ok: true, opts: program.opts(), out, subcommands: program.commands.length };
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    return { ok: false, code: e.code, out, subcommands: program.commands.length };
  }
}

const CASES = [
  [],
  ['-host', '127.0.0.1', '-port', '8086', '-execute', 'SHOW DATABASES'],
  ['-format', 'csv', '-database', 'db', '--file', '-'],
  ['-execute', '-database'],
  ['-password', '-execute', 'x'],
  ['-password', 'pw', '-execute', 'x'],
  ['-password='],
  ['-ssl=false', '-unsafeSsl=true', '--no-chunked'],
  ['-ssl=maybe'],
  ['--format'],
  ['-nosuchflag'],
  ['--hots', 'x'],
  ['stray', 'words'],
  ['-execute', 'x', 'stray'],
  ['loadd'],
  ['-h'],
  ['--help'],
  ['help'],
  ['--', '-execute'],
  ['-version'],
];

describe('program without subcommands', () => {
  it('parses and rejects every command line as the full program does', () => {
    for (const argv of CASES) {
      const args = normalizeArgv(argv);
      const lean = parse(args, true);
      const full = parse(args, false);
      expect(full.subcommands, argv.join(' ')).toBeGreaterThan(3);
      expect({ ...lean, subcommands: 0 }, argv.join(' ')).toEqual({ ...full, subcommands: 0 });
    }
  });

  it('leaves them out only for root options and their values', () => {
    const lean = (argv: string[]) => onlyRootOptions(normalizeArgv(argv));
    expect(lean(['-host', 'h', '-port', '1', '-execute', 'SHOW DATABASES', '-format', 'csv'])).toBe(true);
    expect(lean(['-password', '-execute', 'x'])).toBe(true);
    expect(lean(['-execute', 'demo'])).toBe(true);
    expect(lean(['demo'])).toBe(false);
    expect(lean(['-password', 'pw', 'demo'])).toBe(false);
    expect(lean(['--help'])).toBe(false);
    expect(lean(['-nosuchflag'])).toBe(false);
    expect(lean(['-ssl=maybe'])).toBe(false);
  });
});
