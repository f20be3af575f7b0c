// The terminal's input for Ink, with bytes that are not UTF-8 kept. Ink decodes stdin as UTF-8
// (it calls setEncoding('utf8')), which turns such bytes into U+FFFD, so `INSERT m,t=\xff…`
// typed or pasted (a Latin-1 terminal sends them; tmux's send-keys -H and paste-buffer do)
// would not send what the terminal sent. Ink gets this stand-in through its public `stdin`
// option: it reads the terminal as bytes and hands Ink text in which each such byte is carried
// as U+DC80+b (write/raw-text.ts), which `insert` turns back into the byte.
import { EventEmitter } from 'node:events';
import { decodeKeepingBytes, unfinishedTail } from '../write/raw-text.js';

export class ByteKeepingStdin extends EventEmitter {
  readonly isTTY: boolean;
  private text: string[] = [];
  /** The start of a character cut at the end of the last read. */
  private carry: Buffer = Buffer.alloc(0);
  private flushCarry: NodeJS.Immediate | undefined;

  constructor(private readonly tty: NodeJS.ReadStream) {
    super();
    this.isTTY = !!tty.isTTY;
  }

  private readonly onData = (chunk: Buffer | string) => {
    if (this.flushCarry) clearImmediate(this.flushCarry);
    const bytes = Buffer.concat([this.carry, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
    const keep = unfinishedTail(bytes);
    this.carry = bytes.subarray(bytes.length - keep);
    this.deliver(decodeKeepingBytes(bytes.subarray(0, bytes.length - keep)));
    // Nothing more came at once: the cut character was only its first bytes.
    if (keep) this.flushCarry = setImmediate(() => this.deliver(decodeKeepingBytes(this.takeCarry())));
  };

  private takeCarry(): Buffer {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    return rest;
  }

  private deliver(text: string): void {
    if (!text) return;
    this.text.push(text);
    this.emit('readable');
  }

  /** As a stream's read(): what arrived since the last call, also emitted as 'data'. */
  read(): string | null {
    if (!this.text.length) return null;
    const text = this.text.join('');
    this.text = [];
    this.emit('data', text);
    return text;
  }

  setRawMode(on: boolean): this {
    this.tty.setRawMode(on);
    // Paused while Ink does not read, so a program given the terminal (the pager) gets the keys.
    if (on) this.tty.on('data', this.onData).resume();
    else this.tty.off('data', this.onData).pause();
    return this;
  }

  /** The text is decoded here already. */
  setEncoding(): this {
    return this;
  }

  ref(): this {
    this.tty.ref();
    return this;
  }

  unref(): this {
    this.tty.unref();
    return this;
  }

  pause(): this {
    this.tty.pause();
    return this;
  }

  resume(): this {
    this.tty.resume();
    return this;
  }
}
