// Import progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise.
import { grouped } from '../format/numbers.js';

export interface ProgressSource {
  bytesRead(): number;
  totalBytes?: number;
  /** Points read so far (read ahead of written). */
  read(): number;
  written(): number;
  rejected(): number;
  /** A short note such as "server unavailable, retrying". */
  note(): string | undefined;
}

export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  private drawn = false;

  constructor(
    private readonly src: ProgressSource,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = stream.isTTY ? 200 : 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.drawn && this.stream.isTTY) this.stream.write('\r\x1b[K');
  }

  private tick(): void {
    const s = this.src;
    const secs = (Date.now() - this.started) / 1000;
    const written = s.written();
    const rate = secs > 0 ? written / secs : 0;
    const read = s.bytesRead();
    const total = s.totalBytes;
    // Bytes read run ahead of what has landed; scale them by the share of read points written.
    const points = s.read();
    const landed = points > 0 ? read * Math.min(1, (written + s.rejected()) / points) : 0;
    const frac = total ? Math.min(1, landed / total) : undefined;
    const eta = frac && frac > 0 && frac < 1 ? (secs / frac) * (1 - frac) : undefined;
    const rej = s.rejected();
    const note = s.note();
    const parts = [
      total ? `${mb(landed)} of ${mb(total)}` : `${mb(read)} read`,
      `${count(written)} points written`,
      `${count(rate)} points/s`,
      ...(rej ? [`${count(rej)} rejected`] : []),
      ...(eta !== undefined ? [`ETA ${Math.ceil(eta)}s`] : []),
      ...(note ? [note] : []),
    ];
    if (this.stream.isTTY) {
      const width = 24;
      const bar = frac === undefined ? '' : `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '-')}] ${Math.floor(frac * 100)}% `;
      const line = `${bar}${parts.join('  ')}`;
      this.stream.write(`\r\x1b[K${line.slice(0, (this.stream.columns || 120) - 1)}`);
    } else {
      this.stream.write(`import: ${parts.join(', ')}\n`);
    }
    this.drawn = true;
  }
}

function mb(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

function count(n: number): string {
  return grouped(Math.round(n));
}
