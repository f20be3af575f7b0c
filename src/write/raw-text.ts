// Text that keeps bytes which are not UTF-8. InfluxDB stores tag and field bytes as they are
// (1.x sends them unchanged), so a statement read from stdin, a file or argv must not turn them
// into U+FFFD on the way. Each invalid byte b is carried as the lone surrogate U+DC00+b (the
// "surrogateescape" idea): no valid UTF-8 decodes to a lone surrogate, so the mapping is exact,
// and encoding turns them back into the original bytes.
import { isUtf8 } from 'node:buffer';

const ESCAPE = 0xdc00;
/** An escaped byte: U+DC80..U+DCFF not preceded by a high surrogate. */
const LONE_ESCAPE = /(?<![\ud800-\udbff])[\udc80-\udcff]/;

/** Decodes UTF-8, carrying every byte that is not part of a valid sequence as U+DC80..U+DCFF. */
export function decodeKeepingBytes(buf: Buffer): string {
  if (isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  let from = 0; // start of the valid run not yet decoded
  for (let i = 0; i < buf.length;) {
    const n = validSequence(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += buf.toString('utf8', from, i) + String.fromCharCode(ESCAPE + buf[i]!);
    from = ++i;
  }
  return out + buf.toString('utf8', from);
}

/** Encodes text as UTF-8, turning the escaped bytes of decodeKeepingBytes back into themselves. */
export function encodeKeepingBytes(s: string): Buffer {
  if (!LONE_ESCAPE.test(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++; // a valid pair
        continue;
      }
    }
    if (c >= ESCAPE + 0x80 && c <= ESCAPE + 0xff) {
      parts.push(Buffer.from(s.slice(from, i), 'utf8'), Buffer.of(c - ESCAPE));
      from = i + 1;
    }
  }
  parts.push(Buffer.from(s.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** Length of the valid UTF-8 sequence at i (RFC 3629: no overlongs, surrogates or > U+10FFFF), else 0. */
function validSequence(b: Buffer, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + n > b.length) return 0;
  const second = b[i + 1]!;
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

/**
 * How many bytes at the end of `b` start a UTF-8 sequence that the next read may finish (0 when
 * none): a reader of a stream keeps them back rather than escape half a character.
 */
export function unfinishedTail(b: Buffer): number {
  for (let k = 1; k <= 3 && k <= b.length; k++) {
    const c = b[b.length - k]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    return n > k ? k : 0;
  }
  return 0;
}
