import type { Writable } from 'node:stream';
import type { Sink } from './types.js';

/** Collects text and writes it in one piece per flush, waiting for 'drain' so memory stays flat. */
export class StreamSink implements Sink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: Writable) {}

  write(text: string): void {
    if (!text) return;
    this.parts.push(text);
    this.size += text.length;
  }

  get pending(): number {
    return this.size;
  }

  async flush(): Promise<void> {
    if (!this.parts.length) return;
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.size = 0;
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
