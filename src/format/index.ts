import type { Formatter, FormatOptions, Sink } from './types.js';
import { ColumnFormatter } from './column.js';
import { CsvFormatter } from './csv.js';
import { JsonFormatter } from './json.js';
import { JsonlFormatter } from './jsonl.js';
import type { FormatName } from './names.js';

export { FORMATS, isFormat, type FormatName } from './names.js';

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
