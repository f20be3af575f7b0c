// Subcommands, each loaded only when used.
import type { Command } from 'commander';
import { OPTIONS } from './options.js';
import { Option } from 'commander';
import { registerTrafficCommands } from '../loadgen/cli.js';

/** Adds the connection options (same names as the root) to a subcommand. */
export function withConnectionOptions(cmd: Command): Command {
  for (const o of OPTIONS.filter((x) => x.group === 'connection' || x.group === 'local')) {
    cmd.addOption(new Option(`--${o.name}${o.value ? ' ' + o.value : ''}`, o.description));
  }
  return cmd;
}

export function registerSubcommands(program: Command): void {
  const local = program.command('local').description('manage the private influxd that --local uses');
  for (const action of ['start', 'stop', 'status'] as const) {
    local
      .command(action)
      .description(`${action} the local server`)
      .option('--local-data <dir>', 'data directory')
      .action(async (o: { localData?: string }) => {
        const { runLocal } = await import('./local-command.js');
        process.exitCode = await runLocal(action, o.localData);
      });
  }
  registerTrafficCommands(program, withConnectionOptions);
}
