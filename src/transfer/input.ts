// Opens the import source (a file or stdin), detecting gzip by flag or by its magic bytes, and
// counts the raw bytes read so progress can be shown against the file size. A plain file is read
// into recycled buffers: fresh ones would cost a page fault per 4 KB and keep RSS high until GC.
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { TransferError } from './errors.js';

export interface ImportInput {
  /** Decompressed bytes. */
  stream: AsyncIterable<Buffer>;
  /** Raw file size, when known (not for stdin). */
  totalBytes?: number;
  /** Raw bytes consumed so far. */
  bytesRead(): number;
  gzip: boolean;
  name: string;
  /** Hands a chunk of `stream` back for reuse once nothing refers to its bytes any more. */
  release?(chunk: Buffer): void;
}

const CHUNK_BYTES = 1 << 20;
/** Free buffers kept for reuse; more are allocated when the importer holds on to more. */
const POOL_MAX = 32;

const GZIP_MAGIC = [0x1f, 0x8b];

export async function openInput(path: string | undefined, compressed: boolean): Promise<ImportInput> {
  if (!path) throw new TransferError('-import needs -path FILE (or -path - for stdin)', true);
  if (path === '-') return openStdin(compressed);
  let size: number;
  let head = Buffer.alloc(2);
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new TransferError(`cannot read ${path}: is a directory`);
    size = st.size;
    const fd = openSync(path, 'r');
    try {
      head = head.subarray(0, readSync(fd, head, 0, 2, 0));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (e instanceof TransferError) throw e;
    throw new TransferError(`cannot read ${path}: ${describeFsError(e as NodeJS.ErrnoException)}`);
  }
  const gzip = compressed || isGzip(head);
  if (!gzip) return readPlain(path, size);
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  return { stream: decode(raw, gzip, path), totalBytes: size, bytesRead: () => raw.bytesRead, gzip, name: path };
}

function readPlain(path: string, size: number): ImportInput {
  const free: Buffer[] = [];
  let count = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    let fh: FileHandle | undefined;
    let next: Promise<Buffer | undefined> | undefined;
    try {
      const file = (fh = await open(path, 'r'));
      const read = async (): Promise<Buffer | undefined> => {
        const buf = free.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
        const { bytesRead } = await file.read(buf, 0, CHUNK_BYTES, null);
        return bytesRead ? buf.subarray(0, bytesRead) : undefined;
      };
      // One read ahead, so the next chunk is on its way while this one is cut into batches.
      next = read();
      for (;;) {
        const chunk = await next;
        next = undefined;
        if (!chunk) return;
        count += chunk.length;
        next = read();
        yield chunk;
      }
    } catch (e) {
      throw new TransferError(`cannot read ${path}: ${describeFsError(e as NodeJS.ErrnoException)}`);
    } finally {
      await next?.catch(() => undefined);
      await fh?.close();
    }
  }
  return {
    stream: chunks(),
    totalBytes: size,
    bytesRead: () => count,
    gzip: false,
    name: path,
    release(chunk) {
      if (free.length < POOL_MAX) free.push(Buffer.from(chunk.buffer, chunk.byteOffset, CHUNK_BYTES));
    },
  };
}

async function openStdin(compressed: boolean): Promise<ImportInput> {
  const raw = process.stdin;
  let count = 0;
  const counted = (async function* () {
    for await (const c of raw) {
      count += (c as Buffer).length;
      yield c as Buffer;
    }
  })();
  // Peek at the first chunk to sniff gzip, then put it back in front.
  const first = await counted.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  const gzip = compressed || isGzip(head);
  const replay = (async function* () {
    if (!first.done) yield first.value;
    yield* counted;
  })();
  const { Readable } = await import('node:stream');
  const source = Readable.from(replay, { objectMode: false });
  return { stream: decode(source, gzip, 'stdin'), bytesRead: () => count, gzip, name: 'stdin' };
}

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

async function* decode(raw: Readable, gzip: boolean, name: string): AsyncGenerator<Buffer> {
  const src: Readable = gzip ? raw.pipe(createGunzip({ chunkSize: 1 << 18 })) : raw;
  if (gzip) raw.on('error', (e) => src.destroy(e));
  try {
    for await (const c of src) yield c as Buffer;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (gzip && (err.code === 'Z_BUF_ERROR' || err.code?.startsWith('Z_') || /unexpected end|incorrect header/i.test(err.message))) {
      throw new TransferError(`cannot read ${name}: the gzip data is truncated or corrupt (${err.message})`);
    }
    throw new TransferError(`cannot read ${name}: ${describeFsError(err)}`);
  } finally {
    raw.destroy();
  }
}

export function describeFsError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e.message;
  }
}
