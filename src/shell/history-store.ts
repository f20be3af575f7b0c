// ~/.influx_history, shared with the 1.x shell: one entry a line, at most 1000, consecutive
// duplicates skipped, passwords redacted and `auth` lines never written, file mode 0600.
// Bytes that are not UTF-8 (typed, or in 1.x's entries) are kept as they are, never U+FFFD.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { replaceFile } from '../files/safe-write.js';
import { decodeKeepingBytes, encodeKeepingBytes } from '../write/raw-text.js';

export const HISTORY_LIMIT = 1000;
const MAX_ENTRY = 65536;

export function defaultHistoryPath(): string {
  return join(process.env.HOME || process.env.USERPROFILE || homedir(), '.influx_history');
}

export class HistoryStore {
  entries: string[] = [];
  /** The last write error, reported once by the shell. */
  error: string | null = null;

  constructor(
    readonly path: string | null,
    /** Returns the text to keep, or null to keep nothing (auth lines, for instance). */
    private readonly redact: (line: string) => string | null,
  ) {}

  load(): void {
    if (!this.path) return;
    try {
      const text = decodeKeepingBytes(readFileSync(this.path));
      this.entries = text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-HISTORY_LIMIT);
    } catch {
      this.entries = [];
    }
  }

  /** Records a submitted unit; multi-line statements become one line, as 1.x reads them. */
  add(text: string): void {
    const line = text.replace(/\s*\r?\n\s*/g, ' ').trim();
    // A pasted megabyte does not belong in a history file that is read at every start.
    if (!line || line.length > MAX_ENTRY) return;
    const kept = this.redact(line);
    if (kept === null) return;
    if (this.entries[this.entries.length - 1] === kept) return;
    this.entries.push(kept);
    if (this.entries.length > HISTORY_LIMIT) this.entries.splice(0, this.entries.length - HISTORY_LIMIT);
    this.save();
  }

  /** Rewrites the whole file (as 1.x does) through a fresh temp file, so a crash never truncates it. */
  save(): void {
    if (!this.path) return;
    try {
      replaceFile(this.path, encodeKeepingBytes(this.entries.map((e) => e + '\n').join('')), 0o600);
      this.error = null;
    } catch (e) {
      this.error = `There was an error writing history file: ${(e as Error).message}`;
    }
  }
}
