// Interactive session entry (stdin is a terminal). The prompt is drawn at once, before React
// and Ink are loaded; keys typed meanwhile are kept and handed to the editor when it mounts.
import { loadProfile } from '../connection/profiles.js';
import { VERSION } from '../cli/version.js';
import type { Session } from './session.js';

export interface ShellStartOptions {
  format?: string;
  profile?: string;
  /** --no-confirm: run destructive statements without asking. */
  confirm?: boolean;
}

/** The prompt before the editor mounts; the controller draws the same one afterwards. */
function placeholderPrompt(s: Session): string {
  const host = s.conn.displayUrl.replace(/^https?:\/\//, '');
  const where = s.database ? `${s.database}${s.retentionPolicy ? '.' + s.retentionPolicy : ''}` : '';
  const p = `${host}${where ? ' ' + where : ''}> `;
  return p.length <= Math.max(4, (process.stdout.columns || 80) - 12) ? p : '> ';
}

export function useColor(): boolean {
  return !process.env.NO_COLOR && !!process.stdout.isTTY && process.env.TERM !== 'dumb';
}

export async function runShell(session: Session, o: ShellStartOptions = {}): Promise<number> {
  // The shell's default format is the boxed table; -format or a profile's format still wins.
  if (!o.format && !(o.profile && loadProfile(o.profile).format)) session.format = 'table';
  const probe = process.env.INFLUXSH_EXIT_AFTER_PROMPT;
  process.stdout.write(`Connected to ${session.conn.displayUrl} version ${session.serverVersion || 'unknown'}\ninfluxsh version ${VERSION}\n`);
  process.stdout.write(placeholderPrompt(session));
  if (probe === 'first') {
    process.stdout.write('\n');
    return 0;
  }
  // Keep what is typed while the UI loads.
  let pending = '';
  const stdin = process.stdin;
  const keep = (d: Buffer | string) => (pending += d.toString());
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', keep);
  const { runInkShell } = await import('../ui/mount.js');
  // No pause() here: a paused stream would never wake Ink's 'readable' listener.
  stdin.off('data', keep);
  await runInkShell({
    session,
    color: useColor(),
    confirm: o.confirm !== false,
    pending,
    beforeFirstFrame: () => process.stdout.write('\r\x1b[2K'),
    onReady: probe === 'ink' ? () => setImmediate(() => process.exit(0)) : undefined,
  });
  stdin.pause();
  stdin.unref?.();
  return 0;
}
