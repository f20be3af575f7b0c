import type { Formatter, FormatOptions, Sink } from './types.js';
import { ColumnFormatter } from './column.js';
import { CsvFormatter } from './csv.js';
import { JsonFormatter } from './json.js';
import { JsonlFormatter } from './jsonl.js';
import { VerticalFormatter } from './vertical.js';

/** Formats by name; `table` and `chart` load their libraries only when chosen. */
export const FORMATS = ['column', 'csv', 'json', 'jsonl', 'table', 'vertical', 'chart'] as const;
export type FormatName = (typeof FORMATS)[number];

export function isFormat(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

export async function createFormatter(name: FormatName, sink: Sink, opts: FormatOptions = {}): Promise<Formatter> {
  switch (name) {
    case 'column':
      return new ColumnFormatter(sink, opts);
    case 'csv':
      return new CsvFormatter(sink);
    case 'json':
      return new JsonFormatter(sink, opts);
    case 'jsonl':
      return new JsonlFormatter(sink);
    case 'vertical':
      return new VerticalFormatter(sink);
    case 'table': {
      const { TableFormatter } = await import('./table.js');
      return new TableFormatter(sink, opts);
    }
    case 'chart': {
      const { ChartFormatter } = await import('./chart.js');
      return new ChartFormatter(sink, opts);
    }
  }
}
