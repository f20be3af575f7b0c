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

/** The formats whose code is always loaded, built at once; undefined for `table` and `chart`. */
export function eagerFormatter(name: FormatName, sink: Sink, opts: FormatOptions = {}): Formatter | undefined {
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
    default:
      return undefined;
  }
}

export async function createFormatter(name: FormatName, sink: Sink, opts: FormatOptions = {}): Promise<Formatter> {
  const eager = eagerFormatter(name, sink, opts);
  if (eager) return eager;
  if (name === 'table') {
    const { TableFormatter } = await import('./table.js');
    return new TableFormatter(sink, opts);
  }
  const { ChartFormatter } = await import('./chart.js');
  return new ChartFormatter(sink, opts);
}
