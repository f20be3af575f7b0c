// The names of the output formats, apart from their code: checking a -format value (cli/connect.ts)
// loads no formatter.

/** Formats by name; `table`, `vertical` and `chart` load their code only when chosen. */
export const FORMATS = ['column', 'csv', 'json', 'jsonl', 'table', 'vertical', 'chart'] as const;
export type FormatName = (typeof FORMATS)[number];

export function isFormat(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}
