// Subcommands, each loaded only when used.
import type { Command } from 'commander';
import { OPTIONS } from './options.js';
import { Help, Option } from 'commander';
import { registerTrafficCommands } from './traffic-subcommands.js';
import type { CliOptions } from './connect.js';

export const CONNECTION_HEADING = 'Connection options:';

const needsConnection = new WeakSet<Command>();

/**
 * Gives a subcommand the connection options (same names as the root). They are added when commander
 * dispatches to it (registerSubcommands' hook): defining ~16 options for each of the subcommands
 * on every start was most of commander's start-up work, although a run uses one subcommand at most.
 */
export function withConnectionOptions(cmd: Command): Command {
  needsConnection.add(cmd);
  return cmd;
}

/** The connection options under their own heading in --help, after the command's own options. */
function addConnectionOptions(cmd: Command): void {
  for (const o of OPTIONS.filter((x) => x.group === 'connection' || x.group === 'local')) {
    cmd.addOption(new Option(`--${o.name}${o.value ? ' ' + o.value : ''}`, o.description).helpGroup(CONNECTION_HEADING));
  }
  cmd.configureHelp({
    groupItems<T extends Command | Option>(this: Help, unsorted: T[], visible: T[], getGroup: (item: T) => string): Map<string, T[]> {
      const groups = Help.prototype.groupItems.call(this, unsorted, visible, getGroup as (item: Command | Option) => string) as Map<string, T[]>;
      const connection = groups.get(CONNECTION_HEADING);
      if (!connection) return groups;
      groups.delete(CONNECTION_HEADING);
      return groups.set(CONNECTION_HEADING, connection);
    },
  });
}

export function registerSubcommands(program: Command): void {
  // Each command passes the hook on to its own subcommands (load report), which it dispatches itself.
  const beforeDispatch = (_parent: Command, sub: Command): void => {
    if (needsConnection.delete(sub)) addConnectionOptions(sub);
    if (sub.commands.length) sub.hook('preSubcommand', beforeDispatch);
  };
  program.hook('preSubcommand', beforeDispatch);
  withConnectionOptions(
    program
      .command('demo')
      .description('start a private InfluxDB with sample data, run sample queries, then open the shell')
      .option('--format <format>', 'output format for the sample queries')
      .option('--precision <precision>', 'timestamp format (default rfc3339)'),
  ).action(async (o: CliOptions) => {
    const { runDemo } = await import('./demo.js');
    process.exitCode = await runDemo(o);
  });

  withConnectionOptions(
    program
      .command('export')
      .description('write a database as an import file: DDL, then line protocol with CONTEXT lines')
      .option('--database <db>', 'database to export (required)')
      .option('--retention-policy <rp>', 'export only this retention policy')
      .option('--measurement <name>', 'export only this measurement, or /regex/ (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
      .option('--start <time>', 'only points at or after this time (RFC3339, ns since the epoch, or now() - 1h)')
      .option('--end <time>', 'only points at or before this time')
      .option('--chunk-size <n>', 'rows per chunk of the streamed queries (default 10000)')
      .option('--compressed', 'gzip the output')
      .option('--out <file>', 'write to this file instead of stdout (an existing file is refused)')
      .option('--force', 'with --out: replace an existing file')
      .option('--target-database <db>', 'name this database in the DDL and CONTEXT lines instead (import elsewhere)'),
  ).action(async (_o, cmd: Command) => {
    // Flags the root also knows (--database, --compressed, …) are parsed by the root.
    const { runExportCommand } = await import('./export-command.js');
    process.exitCode = await runExportCommand(cmd.optsWithGlobals());
  });
  const local = program.command('local').description('manage the private influxd that --local uses');
  const says = { start: 'start the local server', stop: 'stop the local server', status: 'say whether the local server runs, and where' } as const;
  for (const action of ['start', 'stop', 'status'] as const) {
    local
      .command(action)
      .description(says[action])
      .option('--local-data <dir>', 'data directory')
      .action(async (o: { localData?: string }) => {
        const { runLocal } = await import('./local-command.js');
        process.exitCode = await runLocal(action, o.localData);
      });
  }
  registerTrafficCommands(program, withConnectionOptions);
}
