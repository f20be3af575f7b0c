// The shell's prompt: where it is connected and the current db.rp. Drawn once before the editor
// mounts (start.ts) and by the editor afterwards (the controller), from this one function.
import { displayWidth } from '../format/width.js';
import type { Session } from '../core/session.js';

export function promptText(s: Pick<Readonly<Session>, 'conn' | 'database' | 'retentionPolicy'>): string {
  const host = s.conn.displayUrl.replace(/^https?:\/\//, '');
  const where = s.database ? `${s.database}${s.retentionPolicy ? '.' + s.retentionPolicy : ''}` : '';
  return `${host}${where ? ' ' + where : ''}> `;
}

/** The prompt, or a bare `> ` when it would leave the line too little room to type in. */
export function fitPrompt(prompt: string, columns: number): string {
  return displayWidth(prompt) <= Math.max(4, columns - 12) ? prompt : '> ';
}
