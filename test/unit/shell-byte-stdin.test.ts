import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ByteKeepingStdin } from '../../src/ui/byte-stdin.js';
import { encodeKeepingBytes, unfinishedTail } from '../../src/write/raw-text.js';

/** A terminal stand-in: what Ink's reader calls on it, and a way to send bytes. */
class FakeTty extends EventEmitter {
  isTTY = true;
  raw = false;
  setRawMode(on: boolean) {
    this.raw = on;
    return this;
  }
  pause() {
    return this;
  }
  resume() {
    return this;
  }
  ref() {}
  unref() {}
}

function reader() {
  const tty = new FakeTty();
  const input = new ByteKeepingStdin(tty as unknown as NodeJS.ReadStream);
  const got: string[] = [];
  input.on('readable', () => {
    for (let s = input.read(); s !== null; s = input.read()) got.push(s);
  });
  input.setRawMode(true);
  return { tty, got };
}

describe('terminal input with bytes that are not UTF-8', () => {
  it('carries each such byte as U+DC80+b, which the writer turns back into the byte', () => {
    const { tty, got } = reader();
    tty.emit('data', Buffer.from([0x49, 0x4e, 0x20, 0x74, 0x3d, 0xff, 0xfe, 0x20]));
    expect(got).toEqual(['IN t=\udcff\udcfe ']);
    expect(encodeKeepingBytes(got[0]!)).toEqual(Buffer.from([0x49, 0x4e, 0x20, 0x74, 0x3d, 0xff, 0xfe, 0x20]));
  });

  it('keeps a character cut between two reads whole', () => {
    const { tty, got } = reader();
    const euro = Buffer.from('€'); // three bytes
    tty.emit('data', Buffer.concat([Buffer.from('a'), euro.subarray(0, 2)]));
    tty.emit('data', Buffer.concat([euro.subarray(2), Buffer.from('b')]));
    expect(got.join('')).toBe('a€b');
  });

  it('escapes the first bytes of a character when nothing follows them', async () => {
    const { tty, got } = reader();
    tty.emit('data', Buffer.from([0x61, 0xc3]));
    expect(got).toEqual(['a']);
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['a', '\udcc3']);
  });

  it('says how many bytes at the end start an unfinished character', () => {
    expect(unfinishedTail(Buffer.from('abc'))).toBe(0);
    expect(unfinishedTail(Buffer.from('€').subarray(0, 1))).toBe(1);
    expect(unfinishedTail(Buffer.from('€').subarray(0, 2))).toBe(2);
    expect(unfinishedTail(Buffer.from('€'))).toBe(0);
    expect(unfinishedTail(Buffer.from('😀').subarray(0, 3))).toBe(3);
    expect(unfinishedTail(Buffer.from([0xff]))).toBe(0);
  });
});
