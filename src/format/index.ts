import type { Formatter, FormatOptions, Sink } from './types.js';
import { ColumnFormatter } from './column.js';
import { CsvFormatter } from './csv.js';
import { JsonFormatter } from './json.js';
import { JsonlFormatter } from './jsonl.js';

/** Formats by name; `table`, `vertical` and `chart` load their code only when chosen. */
export const FORMATS = ['column', 'csv', 'json', 'jsonl', 'table', 'vertical', 'chart'] as const;
export type FormatName = (typeof FORMATS)[number];

export function isFormat(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

/** The formats whose code is always loaded, built at once; undefined for `table`, `vertical` and `chart`. */
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
    default:
      return undefined;
  }
}

export async function createFormatter(name: FormatName, sink: Sink, opts: FormatOptions = {}): Promise<Formatter> {
  const eager = eagerFormatter(name, sink, opts);
  if (eager) return eager;
  if (name === 'table' || name === 'vertical') {
    // One renderer for both: `vertical` is the table's one-line-per-column layout for every row.
    const { TableFormatter } = await import('./table.js');
    return new TableFormatter(sink, { ...opts, vertical: name === 'vertical' });
  }
  const { ChartFormatter } = await import('./chart.js');
  return new ChartFormatter(sink, opts);
}
