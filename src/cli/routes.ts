// What bin/influxsh needs to pick a build before loading one (scripts/build.mjs writes it to
// dist/routes.json): taken from the program commander parses, so the launcher has no grammar of its own.
import type { Command } from 'commander';
import { OPTIONS } from './options.js';

export interface LauncherRoutes {
  /** Names (and aliases) of the subcommands: an argument equal to one may run it. */
  subcommands: string[];
  /** Root option names (without dashes) that end the run without the shell. */
  oneShotOptions: string[];
}

export function launcherRoutes(program: Command): LauncherRoutes {
  // The help option is commander's own, not in program.options.
  const help = program
    .createHelp()
    .visibleOptions(program)
    .filter((o) => !program.options.includes(o));
  return {
    subcommands: program.commands.flatMap((c) => [c.name(), ...c.aliases()]),
    oneShotOptions: [...OPTIONS.filter((o) => o.oneShot).map((o) => o.name), ...help.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f).map((f) => f.replace(/^--?/, '')))],
  };
}
