// Interactive session entry (stdin is a terminal). The prompt is drawn at once, before React
// and Ink are loaded; keys typed meanwhile are kept and handed to the editor when it starts.
import { loadProfile } from '../connection/profiles.js';
import { unsafeSslWarning, type ConnectionSettings } from '../connection/settings.js';
import { VERSION } from '../core/version.js';
import type { Session } from '../core/session.js';
import type { CommandRegistry, TrafficSwitch } from '../core/commands.js';
import { fitPrompt, promptText } from './prompt.js';

/**
 * What the editor gets from the prompt drawn before it: data and functions, no instances of
 * influxsh's classes, because the editor may be another build's copy of the modules.
 */
export interface EditorHandOver {
  session: Omit<Session, 'conn'>;
  settings: ConnectionSettings;
  confirm: boolean;
  /** The bytes typed since the prompt was drawn; keeping them stops. */
  takeTyped: () => Buffer;
  traffic?: TrafficSwitch;
  /** INFLUXSH_EXIT_AFTER_PROMPT=ink (bench/shell.mjs): exit once the editor takes keys. */
  exitWhenReady: boolean;
}

export interface ShellStartOptions {
  /** The commands for a terminal whose output is not one (no editor: lines run as typed). */
  loadCommands: () => Promise<CommandRegistry>;
  /** Loads the editor (src/cli/shell-editor.ts), once the prompt is on the screen. */
  loadEditor: () => Promise<{ runEditor: (h: EditorHandOver) => Promise<void> }>;
  format?: string;
  chunkSize?: string;
  profile?: string;
  /** --no-confirm: run destructive statements without asking. */
  confirm?: boolean;
  /** The demo's sample traffic, switched with `traffic on|off`. */
  traffic?: TrafficSwitch;
}

export const SHELL_CHUNK_SIZE = 1000;

export async function runShell(session: Session, o: ShellStartOptions): Promise<number> {
  if (!process.stdout.isTTY) return runLines(session, await o.loadCommands());
  // The shell's default format is the boxed table; -format or a profile's format still wins.
  if (!o.format && !(o.profile && loadProfile(o.profile).format)) session.format = 'table';
  // Smaller chunks keep keys and repaints flowing while a big result streams (the event loop
  // gets a turn per chunk); measured in bench/shell.mjs. `chunk size N` or --chunk-size wins.
  if (o.chunkSize === undefined && session.chunkSize === 0) session.chunkSize = SHELL_CHUNK_SIZE;
  // The terminal went away (window closed, ssh dropped). A normal exit would try to restore the
  // tty modes of a terminal that no longer exists, which Node answers with an assertion failure
  // and a core dump; there is nothing left to restore or show, so stop at once.
  const gone = () => process.kill(process.pid, 'SIGKILL');
  process.on('SIGHUP', gone);
  process.stdout.on('error', gone);
  const probe = process.env.INFLUXSH_EXIT_AFTER_PROMPT;
  const warning = unsafeSslWarning(session.conn.settings);
  process.stdout.write(`Connected to ${session.conn.displayUrl} version ${session.serverVersion || 'unknown'}\ninfluxsh version ${VERSION}\n${warning ? warning + '\n' : ''}`);
  // The prompt before the editor mounts; the controller draws the same one afterwards.
  process.stdout.write(fitPrompt(promptText(session), process.stdout.columns || 80));
  if (probe === 'first') {
    process.stdout.write('\n');
    return 0;
  }
  // Keep what is typed while the editor loads, as bytes (the editor keeps those that are not UTF-8).
  const typed: Buffer[] = [];
  const stdin = process.stdin;
  const keep = (d: Buffer | string) => void typed.push(Buffer.from(d));
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', keep);
  const takeTyped = () => {
    // No pause() here: a paused stream would never wake Ink's 'readable' listener.
    stdin.off('data', keep);
    return Buffer.concat(typed);
  };
  const { conn, ...data } = session;
  const { runEditor } = await o.loadEditor();
  await runEditor({ session: data, settings: conn.settings, confirm: o.confirm !== false, takeTyped, traffic: o.traffic, exitWhenReady: probe === 'ink' });
  stdin.pause();
  stdin.unref?.();
  return 0;
}

/**
 * Keys from a terminal but output to a file or pipe (`influxsh > out.txt`): no Ink, no prompt;
 * each line the user enters runs as in a script, results go to stdout.
 */
async function runLines(session: Session, commands: CommandRegistry): Promise<number> {
  const warning = unsafeSslWarning(session.conn.settings);
  if (warning) process.stderr.write(warning + '\n');
  const { createInterface } = await import('node:readline');
  const { Runner, stdioIO } = await import('../core/runner.js');
  const { needsMore } = await import('./continuation.js');
  const runner = new Runner(session, stdioIO(), commands);
  const rl = createInterface({ input: process.stdin, terminal: false });
  let buf = '';
  let ok = true;
  for await (const line of rl) {
    buf = buf ? `${buf}\n${line}` : line;
    if (!buf.trim()) {
      buf = '';
      continue;
    }
    if (!commands.isCommandLine(buf) && needsMore(buf)) continue;
    const r = await runner.runUnit(buf.trim());
    buf = '';
    ok &&= r.ok;
    if (r.exit) break;
  }
  rl.close();
  await runner.finish();
  return ok ? 0 : 1;
}
