// One JSON object per row: {"name", "tags", then the columns}; for jq and log pipelines.
import type { Formatter, FormatEvent, Sink } from './types.js';
import { goEscapes } from './json.js';
import { stringifyLossless } from '../query/lossless.js';

export class JsonlFormatter implements Formatter {
  private head: { name?: string; tags?: Record<string, string>; columns: string[] } | null = null;

  constructor(private readonly sink: Sink) {}

  event(e: FormatEvent): void {
    if (e.type === 'series') this.head = { name: e.name, tags: e.tags, columns: e.columns };
    else if (e.type === 'rows' && this.head) {
      const { name, tags, columns } = this.head;
      let out = '';
      for (const r of e.rows) {
        const o: Record<string, unknown> = {};
        if (name) o.name = name;
        if (tags) o.tags = tags;
        for (let i = 0; i < columns.length; i++) o[columns[i]!] = r[i] ?? null;
        out += stringifyLossless(o) + '\n';
      }
      this.sink.write(goEscapes(out));
    }
  }

  close(): void {}
}
