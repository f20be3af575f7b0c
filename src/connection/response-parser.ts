// Just enough of an HTTP/1.1 response parser for influxsh's own sockets: where each response
// ends, its status code, whether the server will close the connection, and, for those who ask,
// the headers and the body bytes with the framing taken off. Content-Length, chunked encoding and
// read-until-close are understood. The load generator uses it on keep-alive connections (bodies
// skipped); line-stream.ts for query answers (headers and body wanted).

const CRLFCRLF = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

const enum State {
  Head,
  Fixed,
  ChunkSize,
  ChunkData,
  Trailer,
  UntilClose,
}

export interface ParsedResponse {
  status: number;
  /** The server said Connection: close (or spoke HTTP/1.0 without keep-alive). */
  close: boolean;
}

export interface ParserHooks {
  /** Every final (non-1xx) response head, with header names in lower case. */
  head?(status: number, headers: Record<string, string>): void;
  /** Body bytes without framing; valid only during the call. */
  body?(bytes: Buffer): void;
}

export class ResponseParser {
  private state = State.Head;
  private rest: Buffer | undefined;
  private remaining = 0;
  private status = 0;
  private close = false;
  /** Set by the owner for HEAD requests and similar, where no body follows. */
  expectNoBody = false;
  bytes = 0;
  private lastHead = '';
  private lastInfo: HeadInfo | undefined;
  /** The last head's bytes, blank line included: a head equal to them byte for byte is not parsed again. */
  private lastHeadBytes: HeadBytes | undefined;
  /** The memory of `wordsOf`, the last buffer fed, as 32-bit words (a load connection feeds one buffer throughout). */
  private words: Int32Array | undefined;
  private wordsOf: Buffer | undefined;
  /** What onResponse gets: one object, refilled for each response. */
  private readonly result: ParsedResponse = { status: 0, close: false };

  constructor(
    /** Each complete response; `r` is valid during the call only. */
    private readonly onResponse: (r: ParsedResponse) => void,
    private readonly hooks: ParserHooks = {},
  ) {}

  /** True while a response has started but not finished (for read-until-close bodies). */
  get midResponse(): boolean {
    return this.state !== State.Head || (this.rest !== undefined && this.rest.length > 0);
  }

  reset(): void {
    this.state = State.Head;
    this.rest = undefined;
  }

  /** The connection ended: completes a read-until-close body. */
  end(): boolean {
    if (this.state === State.UntilClose) {
      this.state = State.Head;
      this.close = true;
      this.finish();
      return true;
    }
    return false;
  }

  /** Feeds the first `n` bytes of `chunk` (which may be reused by the caller afterwards); throws on a malformed response. */
  feed(chunk: Buffer, n = chunk.length): void {
    this.bytes += n;
    const buf = this.rest ? Buffer.concat([this.rest, chunk.subarray(0, n)]) : chunk;
    const len = this.rest ? buf.length : n;
    this.rest = undefined;
    let pos = 0;
    while (pos < len) {
      switch (this.state) {
        case State.Head: {
          // A load run's responses mostly repeat the last head exactly (a server's Date changes once a second).
          const same = this.lastHeadBytes;
          if (same !== undefined && len - pos >= same.bytes.length && !this.hooks.head && this.repeats(same, buf, pos)) {
            this.applyHead(this.lastInfo!);
            pos += same.bytes.length;
            break;
          }
          const end = buf.indexOf(CRLFCRLF, pos);
          if (end < 0 || end + 4 > len) {
            if (len - pos > MAX_HEAD) throw new Error('response header too large');
            this.rest = Buffer.from(buf.subarray(pos, len));
            return;
          }
          this.parseHead(buf, pos, end + 4);
          pos = end + 4;
          break;
        }
        case State.Fixed: {
          const take = Math.min(this.remaining, len - pos);
          if (this.hooks.body && take) this.hooks.body(buf.subarray(pos, pos + take));
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.finish();
          break;
        }
        case State.ChunkSize: {
          const eol = buf.indexOf(13, pos);
          if (eol < 0 || eol + 1 >= len) {
            this.rest = Buffer.from(buf.subarray(pos, len));
            return;
          }
          const size = chunkSize(buf, pos, eol);
          if (size < 0) throw new Error('bad chunk size');
          pos = eol + 2;
          if (size === 0) this.state = State.Trailer;
          else {
            this.remaining = size + 2;
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, len - pos);
          // `remaining` counts the CRLF after the data too.
          const data = Math.min(take, this.remaining - 2);
          if (this.hooks.body && data > 0) this.hooks.body(buf.subarray(pos, pos + data));
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.ChunkSize;
          break;
        }
        case State.Trailer: {
          // Trailer lines end at an empty line; usually there are none and "\r\n" follows at once.
          const eol = buf.indexOf(13, pos);
          if (eol < 0 || eol + 1 >= len) {
            this.rest = Buffer.from(buf.subarray(pos, len));
            return;
          }
          const empty = eol === pos;
          pos = eol + 2;
          if (empty) this.finish();
          break;
        }
        case State.UntilClose:
          this.hooks.body?.(buf.subarray(pos, len));
          pos = len;
          break;
      }
    }
  }

  /** The head in buf[start, end) (its blank line included). */
  private parseHead(buf: Buffer, start: number, end: number): void {
    const head = buf.toString('latin1', start, end - 2);
    // Successive responses usually carry identical headers: reuse the last analysis.
    if (head !== this.lastHead) {
      this.lastInfo = analyzeHead(head);
      this.lastHead = head;
      this.lastHeadBytes = new HeadBytes(Buffer.from(buf.subarray(start, end)));
    }
    if (this.lastInfo!.status >= 200) this.hooks.head?.(this.lastInfo!.status, headerRecord(head));
    this.applyHead(this.lastInfo!);
  }

  /** Whether buf holds `h` at `pos` (the caller checked there is room). */
  private repeats(h: HeadBytes, buf: Buffer, pos: number): boolean {
    const at = buf.byteOffset + pos;
    if ((at & 3) !== 0) return h.at(buf, pos);
    if (this.wordsOf !== buf) {
      this.words = new Int32Array(buf.buffer, 0, buf.buffer.byteLength >> 2);
      this.wordsOf = buf;
    }
    return h.at(buf, pos, this.words!, at >> 2);
  }

  private applyHead(h: HeadInfo): void {
    if (h.status < 200) return; // 1xx: an interim response, the real one follows
    this.status = h.status;
    this.close = h.close;
    if (this.expectNoBody || h.body === Body.None) return this.finish();
    if (h.body === Body.Chunked) {
      this.state = State.ChunkSize;
      return;
    }
    if (h.body === Body.Fixed) {
      this.remaining = h.length;
      this.state = State.Fixed;
      return;
    }
    this.state = State.UntilClose;
    this.close = true;
  }

  private finish(): void {
    this.state = State.Head;
    const r = this.result;
    r.status = this.status;
    r.close = this.close;
    this.onResponse(r);
  }
}

/**
 * The hex size at the start of a chunk-size line buf[pos, eol) (an extension after ';' or blanks
 * is ignored), or -1. Read from the bytes: no string per chunk.
 */
export function chunkSize(buf: Buffer, pos: number, eol: number): number {
  let size = 0;
  let digits = 0;
  for (let i = pos; i < eol; i++) {
    const c = buf[i]!;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) {
      if (c === 59 || c === 32 || c === 9) break;
      return -1;
    }
    // 13 hex digits already pass 2^52: a larger size cannot be a real one.
    if (++digits > 13) return -1;
    size = size * 16 + d;
  }
  return digits ? size : -1;
}

/**
 * A response head's bytes and their first whole 32-bit words: a repeated head is recognized four
 * bytes at a time (a byte at a time costs about 1 ns a byte, more than the rest of a response).
 * The value of its Date header may differ: servers restamp it every second, and it says nothing
 * about the response's status or framing. Recognizing those heads too means a load run parses a
 * head once per connection, not once a second, and its optimized code never meets the parsing
 * path, which V8 would otherwise throw away and compile again.
 */
class HeadBytes {
  readonly words: Int32Array;
  /** Where the Date header's value starts and ends in `bytes`; both -1 when there is none. */
  private readonly dateFrom: number;
  private readonly dateTo: number;

  constructor(readonly bytes: Buffer) {
    this.words = new Int32Array(bytes.length >> 2);
    new Uint8Array(this.words.buffer).set(bytes.subarray(0, this.words.length * 4));
    const lower = bytes.toString('latin1').toLowerCase();
    const name = lower.indexOf('\r\ndate:');
    let from = name + 7;
    while (name >= 0 && (lower[from] === ' ' || lower[from] === '\t')) from++;
    const to = name >= 0 ? lower.indexOf('\r\n', from) : -1;
    this.dateFrom = to > from ? from : -1;
    this.dateTo = to > from ? to : -1;
  }

  /**
   * Whether the head is at byte `pos` of `buf` (the caller checked there is room); `words` views
   * the memory of `buf` from word `w0` on, when `pos` falls on a 4-byte boundary.
   */
  at(buf: Buffer, pos: number, words?: Int32Array, w0 = 0): boolean {
    const b = this.bytes;
    if (this.dateFrom < 0) return this.same(buf, pos, words, w0, 0, b.length);
    // Apart from the date, byte for byte; in the date, no line break (a header cannot hide there).
    if (!this.same(buf, pos, words, w0, 0, this.dateFrom) || !this.same(buf, pos, words, w0, this.dateTo, b.length)) return false;
    for (let i = pos + this.dateFrom; i < pos + this.dateTo; i++) if (buf[i] === 13 || buf[i] === 10) return false;
    return true;
  }

  /** Whether buf from `pos` holds this head's bytes [from, to): whole words where it can, single bytes at the edges. */
  private same(buf: Buffer, pos: number, words: Int32Array | undefined, w0: number, from: number, to: number): boolean {
    const b = this.bytes;
    let i = from;
    if (words) {
      const own = this.words;
      for (; i < to && (i & 3) !== 0; i++) if (buf[pos + i] !== b[i]) return false;
      for (; i + 4 <= to; i += 4) if (words[w0 + (i >> 2)] !== own[i >> 2]) return false;
    }
    for (; i < to; i++) if (buf[pos + i] !== b[i]) return false;
    return true;
  }
}

const enum Body {
  None,
  Fixed,
  Chunked,
  UntilClose,
}

interface HeadInfo {
  status: number;
  close: boolean;
  body: Body;
  length: number;
}

function analyzeHead(head: string): HeadInfo {
  // "HTTP/1.1 200 OK\r\n..."
  if (!head.startsWith('HTTP/1.')) throw new Error('not an HTTP/1.x response');
  const status = (head.charCodeAt(9) - 48) * 100 + (head.charCodeAt(10) - 48) * 10 + (head.charCodeAt(11) - 48);
  if (!(status >= 100 && status < 1000)) throw new Error('bad status line');
  const lower = head.toLowerCase();
  const http10 = head.charCodeAt(7) === 48;
  const conn = /\r\nconnection:[ \t]*([^\r]*)/.exec(lower)?.[1];
  const close = conn ? conn.includes('close') : http10;
  if (status === 204 || status === 304 || status < 200) return { status, close, body: Body.None, length: 0 };
  if (/\r\ntransfer-encoding:[^\r]*chunked/.test(lower)) return { status, close, body: Body.Chunked, length: 0 };
  const cl = /\r\ncontent-length:[ \t]*(\d+)/.exec(lower);
  if (cl) {
    const length = Number(cl[1]);
    return { status, close, body: length === 0 ? Body.None : Body.Fixed, length };
  }
  // No framing: the body runs until the server closes (parseHead marks the connection closing).
  return { status, close, body: Body.UntilClose, length: 0 };
}

/** The header lines of a head as a record (names in lower case; a repeated name keeps the last). */
function headerRecord(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) out[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return out;
}
