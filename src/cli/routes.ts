// What bin/influxsh needs to pick a build before loading one (scripts/build.mjs writes it to
// dist/routes.json): taken from the program commander parses, so the launcher has no grammar of its own.
import type { Command } from 'commander';

export interface LauncherRoutes {
  /** Names (and aliases) of the subcommands: an argument equal to one may run it. */
  subcommands: string[];
}

export function launcherRoutes(program: Command): LauncherRoutes {
  return { subcommands: program.commands.flatMap((c) => [c.name(), ...c.aliases()]) };
}
