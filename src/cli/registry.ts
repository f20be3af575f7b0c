// The shell's commands, assembled once, here at the entry point, and handed down: the runner
// dispatches through this registry (scripts, the shell, watch), and the shell's completion, Enter
// and `help` read the one they were given. A command is written beside its kin (src/shell/) and
// listed here; nothing else imports this list.
import { CommandRegistry } from '../core/commands.js';
import {
  authCmd,
  chunkSizeCmd,
  chunkedCmd,
  clearCmd,
  connectCmd,
  consistencyCmd,
  exitCmd,
  formatCmd,
  helpCmd,
  historyCmd,
  insertCmd,
  nodeCmd,
  precisionCmd,
  prettyCmd,
  settingsCmd,
  sparklinesCmd,
  useCmd,
} from '../shell/commands.js';
import { lastCmd, limitCmd, outputCmd, timingCmd, trafficCmd, watchCmd } from '../shell/shell-commands.js';
import { timezoneCmd } from '../shell/timezone-command.js';

/** Every command, in the order `help` lists them. */
export const commands = new CommandRegistry([
  useCmd,
  insertCmd,
  formatCmd,
  precisionCmd,
  timezoneCmd,
  prettyCmd,
  sparklinesCmd,
  chunkedCmd,
  chunkSizeCmd,
  consistencyCmd,
  settingsCmd,
  clearCmd,
  nodeCmd,
  connectCmd,
  authCmd,
  historyCmd,
  // Only in the interactive shell (the runner refuses them in scripts).
  limitCmd,
  lastCmd,
  timingCmd,
  outputCmd,
  watchCmd,
  trafficCmd,
  helpCmd,
  exitCmd,
]);
