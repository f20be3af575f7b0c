// Every file influxsh writes goes through here, so none is written through a symlink someone
// planted, none is half-written in place, and an existing output is replaced only when asked.
import { closeSync, constants, linkSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const { O_WRONLY, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW } = constants;

/** A file that could not be written; the message is one line naming the path. */
export class FileWriteError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`cannot write ${path}: ${detail}`);
  }
}

export function describeWriteError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'no such directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'is a symbolic link (refusing to write through it)';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return e.message;
  }
}

function fail(path: string, e: unknown): FileWriteError {
  if (e instanceof FileWriteError) return e;
  const err = e as NodeJS.ErrnoException;
  return new FileWriteError(path, err.code, describeWriteError(err));
}

/** A fresh file next to `path` with an unguessable name, created exclusively (never an existing file or link). */
function openTemp(path: string, mode: number): { fd: number; tmp: string } {
  for (;;) {
    const tmp = join(dirname(path), `.${basename(path)}.${tmpSuffix()}.tmp`);
    try {
      return { fd: openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode), tmp };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function writeAll(fd: number, data: string | Buffer): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off);
}

/**
 * Replaces `path` with `data` in one step (temp file + rename): a crash leaves the old content,
 * and a symlink at `path` is replaced, not written through. For state files (history, server.json).
 */
export function replaceFile(path: string, data: string | Buffer, mode = 0o600): void {
  let tmp: string | undefined;
  try {
    const t = openTemp(path, mode);
    tmp = t.tmp;
    try {
      writeAll(t.fd, data);
    } finally {
      closeSync(t.fd);
    }
    renameSync(tmp, path);
    tmp = undefined;
  } catch (e) {
    throw fail(path, e);
  } finally {
    if (tmp)
      try {
        unlinkSync(tmp);
      } catch {
        /* already gone */
      }
  }
}

/** Opens `path` for appending (created with `mode` if missing); a symlink at `path` is refused. */
export function openAppend(path: string, mode = 0o600): number {
  try {
    return openSync(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, mode);
  } catch (e) {
    throw fail(path, e);
  }
}

/** Appends `data` to `path` (see openAppend). */
export function appendToFile(path: string, data: string | Buffer, mode = 0o600): void {
  const fd = openAppend(path, mode);
  try {
    writeAll(fd, data);
  } catch (e) {
    throw fail(path, e);
  } finally {
    closeSync(fd);
  }
}

export interface OutputFile {
  readonly fd: number;
  /** Puts the finished file at its path (after the fd is closed). */
  commit(): void;
  /** Removes what was written (a failed run leaves no partial output). */
  discard(): void;
}

/**
 * A new output file (export --out). An existing file or link at `path` is an error unless `force`;
 * with `force` it is replaced (a link itself, never its target). Data goes to a temp file in the
 * same directory that becomes `path` at commit(), so a failed run leaves any old file untouched.
 * A FIFO or a device (/dev/null) is written directly: there is nothing to replace.
 */
export function createOutputFile(path: string, opts: { force?: boolean; mode?: number } = {}): OutputFile {
  const mode = opts.mode ?? 0o666;
  let existing;
  try {
    existing = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(path, e);
  }
  if (existing?.isDirectory()) throw new FileWriteError(path, 'EISDIR', 'is a directory');
  if (existing && (existing.isFIFO() || existing.isCharacterDevice())) {
    let fd: number;
    try {
      fd = openSync(path, O_WRONLY | O_NOFOLLOW);
    } catch (e) {
      throw fail(path, e);
    }
    return { fd, commit() {}, discard() {} };
  }
  if (existing && !opts.force) {
    throw new FileWriteError(path, 'EEXIST', `it already exists${existing.isSymbolicLink() ? ' (a symbolic link)' : ''}: pass --force to replace it`);
  }
  let t: { fd: number; tmp: string };
  try {
    t = openTemp(path, mode);
  } catch (e) {
    throw fail(path, e);
  }
  let done = false;
  const remove = () => {
    try {
      unlinkSync(t.tmp);
    } catch {
      /* already gone */
    }
  };
  return {
    fd: t.fd,
    commit() {
      if (done) return;
      done = true;
      try {
        if (opts.force) renameSync(t.tmp, path);
        else {
          // link() fails if something appeared at `path` meanwhile, where rename would clobber it.
          try {
            linkSync(t.tmp, path);
          } catch (e) {
            // File systems without hard links: check, then rename (a narrow race, but no clobber we could see).
            const code = (e as NodeJS.ErrnoException).code;
            if ((code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') || lexists(path)) throw e;
            renameSync(t.tmp, path);
          }
          remove();
        }
      } catch (e) {
        remove();
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new FileWriteError(path, 'EEXIST', 'it was created by someone else during the run: pass --force to replace it');
        throw fail(path, e);
      }
    },
    discard() {
      if (done) return;
      done = true;
      remove();
    },
  };
}

/** An unguessable suffix. node:crypto loads a dozen modules, so it is fetched only when a file is written. */
function tmpSuffix(): string {
  return process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');
}
