// The rejects file: every record that did not land, in the import format, so it can be fixed
// and imported again. Each record is preceded by a comment with its input line and the reason;
// CONTEXT lines are written whenever the target changes. Records are written as the bytes read.
//
// The path is checked before the import reads anything (checkRejectsPath) and the file is
// created at the first rejected record, never through a symbolic link: a rejected line that
// cannot be saved fails the run instead of vanishing.
import { constants, lstatSync, statSync, accessSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TransferError } from './errors.js';
import type { WriteTarget } from '../write/write.js';
import type { Rejection } from './send.js';
import { describeFsError } from './input.js';
import { counted } from '../format/words.js';

/**
 * Refuses, before anything is read, a rejects path that cannot be written or must not be:
 * a directory, a symbolic link, something other than a regular file, the input itself (same
 * device and inode, so links and `./` spellings are caught), or a missing or unwritable directory.
 * An existing regular file (the previous run's rejects) is replaced.
 */
export function checkRejectsPath(path: string, inputPath: string | undefined): void {
  const refuse = (why: string) => new TransferError(`cannot use --rejects ${path}: ${why}`);
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse(describeFsError(e as NodeJS.ErrnoException));
  }
  if (st) {
    if (st.isDirectory()) throw refuse('it is a directory; name a file, e.g. --rejects ' + `${path.replace(/\/+$/, '')}/import.rejects`);
    if (st.isSymbolicLink()) throw refuse('it is a symbolic link, which influxsh does not write through; remove it or name another file');
    if (!st.isFile()) throw refuse('it is not a regular file');
    if (inputPath && inputPath !== '-') {
      const input = statSync(inputPath, { throwIfNoEntry: false });
      if (input && input.dev === st.dev && input.ino === st.ino) throw refuse('it is the input file, which would be overwritten while it is read');
    }
  }
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) throw refuse(`${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof TransferError) throw e;
    throw refuse(`directory ${dir}: ${describeFsError(e as NodeJS.ErrnoException)}`);
  }
}

/** Opening flags: create or replace a regular file, never following a symbolic link. */
const OPEN_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

export class RejectsFile {
  private out: FileHandle | undefined;
  private db: string | undefined;
  private rp: string | undefined;
  /** Writes are chained so records land in order even when batches finish together. */
  private tail: Promise<void> = Promise.resolve();
  count = 0;

  constructor(readonly path: string) {}

  /** Appends the records; rejects (with a one-line TransferError) when they cannot be saved. */
  add(target: WriteTarget, rejected: Rejection[]): Promise<void> {
    if (!rejected.length) return this.tail;
    const next = this.tail.then(() => this.write(target, rejected));
    // A failure is reported to this caller; later callers fail on their own write.
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async write(target: WriteTarget, rejected: Rejection[]): Promise<void> {
    const parts: Buffer[] = [];
    try {
      if (!this.out) {
        this.out = await open(this.path, OPEN_FLAGS, 0o644);
        parts.push(Buffer.from('# Rejected by influxsh -import: fix the lines and import this file again.\n# DML\n'));
      }
      let head = '';
      if (target.database !== this.db) {
        this.db = target.database;
        head += `# CONTEXT-DATABASE: ${this.db ?? ''}\n`;
        this.rp = undefined;
      }
      if ((target.retentionPolicy ?? '') !== (this.rp ?? '')) {
        this.rp = target.retentionPolicy;
        head += `# CONTEXT-RETENTION-POLICY: ${this.rp ?? ''}\n`;
      }
      if (head) parts.push(Buffer.from(head));
      for (const r of rejected) parts.push(Buffer.from(`# line ${r.line}: ${oneLine(r.error)}\n`), r.text, NEWLINE);
      await writeAll(this.out, Buffer.concat(parts));
      this.count += rejected.length;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ELOOP' ? 'it is a symbolic link, which influxsh does not write through' : describeFsError(e as NodeJS.ErrnoException);
      throw new TransferError(`cannot save ${counted(rejected.length, 'rejected line')} to ${this.path}: ${why}`);
    }
  }

  async close(): Promise<Error | undefined> {
    await this.tail;
    try {
      await this.out?.close();
    } catch (e) {
      return e as Error;
    }
    return undefined;
  }
}

const NEWLINE = Buffer.from('\n');

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' | ');
}

/** Writes every byte: a write to a nearly full disk can take only part, and the next one fails. */
export async function writeAll(out: FileHandle, data: Buffer): Promise<void> {
  for (let at = 0; at < data.length;) {
    const { bytesWritten } = await out.write(data, at);
    if (bytesWritten <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    at += bytesWritten;
  }
}
