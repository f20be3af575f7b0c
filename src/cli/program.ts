// The command line: parse arguments, pick the mode (script, shell, import, subcommands), map
// failures to exit codes. Heavy modules are imported only by the mode that needs them.
import { Command, CommanderError, Option } from 'commander';
import { OPTIONS, normalizeArgv, onlyRootOptions, type OptionSpec } from './options.js';
import { UserError, userExitCode, EXIT_USAGE } from './errors.js';
import { registerSubcommands } from './subcommands.js';
import type { RootOptions } from './root.js';

function addOption(cmd: Command, o: OptionSpec): void {
  const flags = `--${o.name}${o.value ? ' ' + o.value : ''}`;
  const opt = new Option(flags, o.description + (o.env ? ` [env ${o.env}]` : ''));
  cmd.addOption(opt);
}

/** `args` (normalized) lets the program leave out the subcommands when they cannot matter. */
export function buildProgram(args?: string[]): Command {
  const program = new Command('influxsh')
    .description('An InfluxQL shell and scripting client for InfluxDB (a drop-in for the 1.x influx CLI)')
    .usage('[options]  |  influxsh <command> [options]')
    .helpOption('-h, --help', 'show help')
    // A stray word is an unknown command, said by the action below (commander would say "too many arguments").
    .allowExcessArguments(true)
    // Options after a subcommand's name belong to the subcommand (both know --local-data, --host…).
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const o of OPTIONS) addOption(program, o);
  program.action(async (opts: RootOptions, cmd: Command) => {
    if (cmd.args.length) {
      const names = program.commands.map((c) => c.name());
      throw new UserError(`unknown command '${cmd.args[0]}': the commands are ${names.join(', ')} (statements run with -execute, or in the shell). Run 'influxsh --help' for usage.`, 2);
    }
    const { runRoot } = await import('./root.js');
    process.exitCode = await runRoot(opts);
  });
  if (args === undefined || !onlyRootOptions(args)) registerSubcommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const args = normalizeArgv(argv);
  const program = buildProgram(args);
  const debug = argv.includes('--debug') || argv.includes('-debug');
  try {
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      process.stderr.write(`Run 'influxsh --help' for usage.\n`);
      return EXIT_USAGE;
    }
    const code = userExitCode(e);
    if (code !== undefined) {
      process.stderr.write(`${(e as Error).message}\n`);
      return code;
    }
    if ((e as Error).name === 'AbortError') return 130;
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    process.stderr.write(`influxsh: ${(e as Error).message ?? String(e)}${debug ? '\n' + (e as Error).stack : ' (run with --debug for details)'}\n`);
    return 1;
  }
}
