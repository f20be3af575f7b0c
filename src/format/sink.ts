import type { Writable } from 'node:stream';
import type { Sink } from './types.js';

/** Collects text and writes it in one piece per flush, waiting for 'drain' so memory stays flat. */
export class StreamSink implements Sink {
  private parts: (string | Uint8Array)[] = [];
  private size = 0;
  private bytes = false;

  constructor(private readonly stream: Writable) {}

  write(text: string): void {
    if (!text) return;
    this.parts.push(text);
    this.size += text.length;
  }

  writeBytes(bytes: Uint8Array): void {
    if (!bytes.length) return;
    this.parts.push(bytes);
    this.size += bytes.length;
    this.bytes = true;
  }

  get pending(): number {
    return this.size;
  }

  async flush(): Promise<void> {
    if (!this.parts.length) return;
    const parts = this.parts;
    const text = parts.length === 1 ? parts[0]! : this.bytes ? Buffer.concat(parts.map(asBytes)) : parts.join('');
    this.parts = [];
    this.size = 0;
    this.bytes = false;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
        this.stream.on('close', done);
      });
    }
  }
}

function asBytes(p: string | Uint8Array): Uint8Array {
  return typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
}
