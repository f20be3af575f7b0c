// The rejects file: a rejected record that cannot be saved is an error the import sees, and the
// bytes saved are the bytes read.
import { afterAll, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RejectsFile, writeAll } from '../../src/transfer/rejects.js';
import type { FileHandle } from 'node:fs/promises';

const dir = mkdtempSync(join(tmpdir(), 'influxsh-rejects-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rejection = (text: Buffer) => [{ line: 7, text, error: 'unable to parse: bad' }];

it('fails the add when the file cannot be created, and every later add too', async () => {
  const f = new RejectsFile(join(dir, 'gone', 'x.rejects'));
  await expect(f.add({ database: 'd' }, rejection(Buffer.from('m v=')))).rejects.toThrow(/cannot save 1 rejected line to .*x\.rejects: no such file/);
  await expect(f.add({ database: 'd' }, rejection(Buffer.from('m v=')))).rejects.toThrow(/cannot save/);
  expect(f.count).toBe(0);
});

it('does not write through a symbolic link created after the check', async () => {
  const target = join(dir, 'target.txt');
  writeFileSync(target, 'keep');
  symlinkSync(target, join(dir, 'late.rejects'));
  const f = new RejectsFile(join(dir, 'late.rejects'));
  await expect(f.add({ database: 'd' }, rejection(Buffer.from('m v=')))).rejects.toThrow(/symbolic link/);
  expect(readFileSync(target, 'utf8')).toBe('keep');
});

it('saves the record bytes unchanged, invalid UTF-8 included', async () => {
  const path = join(dir, 'bytes.rejects');
  const f = new RejectsFile(path);
  const text = Buffer.from([0x6d, 0x2c, 0x74, 0x3d, 0xff, 0xfe, 0x20, 0x76, 0x3d]);
  await f.add({ database: 'd' }, rejection(text));
  expect(await f.close()).toBeUndefined();
  const saved = readFileSync(path);
  expect(saved.includes(Buffer.concat([Buffer.from('# line 7: unable to parse: bad\n'), text, Buffer.from('\n')]))).toBe(true);
});

// A nearly full disk takes part of a write and refuses the next (seen: 1,500 rejected lines
// reported saved in an 8 KB tmpfs before this; a short write is not an error in Node).
it('writes every byte through short writes, and fails when the disk refuses the rest', async () => {
  const got: Buffer[] = [];
  const short = (room: number) =>
    ({
      async write(data: Buffer, at: number) {
        const n = Math.min(3, data.length - at, room);
        if (n <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        room -= n;
        got.push(data.subarray(at, at + n));
        return { bytesWritten: n, buffer: data };
      },
    }) as unknown as FileHandle;
  await writeAll(short(Infinity), Buffer.from('m v=1\nm v=2\n'));
  expect(Buffer.concat(got).toString()).toBe('m v=1\nm v=2\n');
  await expect(writeAll(short(5), Buffer.from('m v=1\nm v=2\n'))).rejects.toThrow(/ENOSPC/);
});
