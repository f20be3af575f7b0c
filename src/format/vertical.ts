// One `column: value` per line, a numbered rule between rows: for rows wider than the screen.
import type { Formatter, FormatEvent, Sink } from './types.js';
import { cellText, displayWidth, tagText } from './cells.js';

export class VerticalFormatter implements Formatter {
  private labels: string[] = [];
  private row = 0;
  private prefix: string[] = [];

  constructor(private readonly sink: Sink) {}

  event(e: FormatEvent): void {
    if (e.type === 'series') {
      const labels: string[] = [];
      this.prefix = [];
      if (e.name) labels.push('name'), this.prefix.push(e.name);
      if (e.tags) labels.push('tags'), this.prefix.push(tagText(e.tags, ', '));
      labels.push(...e.columns);
      const w = Math.max(...labels.map(displayWidth));
      this.labels = labels.map((c) => ' '.repeat(w - displayWidth(c)) + c);
      this.row = 0;
    } else if (e.type === 'rows') {
      let out = '';
      for (const r of e.rows) {
        out += `*************************** ${++this.row}. row ***************************\n`;
        const values = [...this.prefix, ...r.map(cellText)];
        for (let i = 0; i < values.length; i++) out += `${this.labels[i]}: ${values[i]}\n`;
      }
      this.sink.write(out);
    } else if (e.type === 'message') {
      this.sink.write(`${e.level}: ${e.text}.\n`);
    }
  }

  close(): void {}
}
