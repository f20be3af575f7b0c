// The `export` subcommand: checks its flags, connects, and hands over to the exporter.
import { closeSync } from 'node:fs';
import { UserError } from './errors.js';
import { connectionFromOptions, type CliOptions } from './connect.js';
import { createOutputFile, type OutputFile } from '../files/safe-write.js';
import { runExport, type ExportOptions } from '../transfer/export.js';

/** --start/--end: nanoseconds since the epoch, an RFC3339 time, or now() arithmetic. */
export function timeBound(flag: string, v: string): string {
  const t = v.trim();
  if (/^-?\d+$/.test(t)) return t;
  if (/^now\(\)(\s*[-+]\s*\d+(ns|u|\u00b5|ms|s|m|h|d|w))?$/.test(t)) return t;
  if (/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?$/.test(t)) return `'${t}'`;
  throw new UserError(`invalid ${flag} "${v}": use an RFC3339 time (2024-01-02T15:04:05Z), nanoseconds since the epoch, or now() - 1h`, 2);
}

/** --chunk-size: rows per chunk of the streamed SELECTs (default 10000, the server's own default). */
export function exportChunkSize(v: string | undefined): number {
  if (v === undefined) return 10000;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UserError(`invalid --chunk-size "${v}": use a whole number of rows, at least 1`, 2);
  return n;
}

export async function runExportCommand(o: ExportOptions & CliOptions): Promise<number> {
  if (!o.database) throw new UserError('export needs --database <name>', 2);
  const start = o.start !== undefined ? timeBound('--start', o.start) : undefined;
  const end = o.end !== undefined ? timeBound('--end', o.end) : undefined;
  const chunkSize = exportChunkSize(o.chunkSize);
  // Refused before connecting: an existing output is replaced only with --force.
  let output: OutputFile | undefined;
  try {
    output = o.out ? createOutputFile(o.out, { force: o.force }) : undefined;
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  let conn;
  try {
    conn = await connectionFromOptions(o);
  } catch (e) {
    if (output) {
      closeSync(output.fd);
      output.discard();
    }
    throw e;
  }
  try {
    return await runExport(conn, o, { start, end, chunkSize }, output);
  } finally {
    conn.close();
  }
}
