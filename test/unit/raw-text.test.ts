// Text that keeps bytes which are not UTF-8: decode then encode gives back the very bytes.
import { expect, it } from 'vitest';
import { decodeKeepingBytes, encodeKeepingBytes } from '../../src/write/raw-text.js';

const cases: [string, number[]][] = [
  ['invalid lead bytes', [0x6d, 0x2c, 0x74, 0x3d, 0xff, 0xfe, 0x20, 0x76, 0x3d, 0x31]],
  ['a cut sequence at the end', [0x61, 0xe2, 0x82]],
  ['an overlong slash', [0xc0, 0xaf]],
  ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ['valid text around bad bytes', [...Buffer.from('é😀'), 0x80, ...Buffer.from('ü')]],
];

it.each(cases)('%s: bytes survive decode and encode', (_name, bytes) => {
  const buf = Buffer.from(bytes);
  const text = decodeKeepingBytes(buf);
  expect(encodeKeepingBytes(text).equals(buf)).toBe(true);
  expect(text).not.toContain('\ufffd');
});

it('leaves valid UTF-8 (astral characters included) as it is', () => {
  const s = 'cpu,host=é😀 v=1';
  expect(decodeKeepingBytes(Buffer.from(s))).toBe(s);
  expect(encodeKeepingBytes(s).equals(Buffer.from(s))).toBe(true);
});
