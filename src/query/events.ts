// The result stream every formatter consumes: statements in order, series stitched across
// chunks, messages and errors where they occurred.
import type { CellScan } from './raw-values.js';

export type Tags = Record<string, string>;
/** A cell as received: null, boolean, number, string, or an ExactNumber (see lossless.ts). */
export type Cell = unknown;

/** One decoded line of a /query response (one chunk); typed here, at the JSON boundary. */
export interface ResponseDoc {
  results?: RawResult[];
  error?: string;
}

export type QueryEvent =
  /** A result object exactly as decoded from one chunk (only the json format looks at these). */
  | { type: 'raw'; result: RawResult }
  | { type: 'statement'; id: number }
  | { type: 'series'; id: number; name?: string; tags?: Tags; columns: string[] }
  /**
   * `scan`, when set, holds the rows as bytes instead of `rows` (see raw-values.ts); its bytes
   * are valid only while the event is handled: a consumer that keeps them must copy (copyScan).
   */
  | { type: 'rows'; id: number; rows: Cell[][]; scan?: CellScan }
  | { type: 'message'; id: number; level: string; text: string }
  /** A statement's error (id set) or the whole request's (id null). */
  | { type: 'error'; id: number | null; message: string }
  | { type: 'end'; id: number };

export interface RawSeries {
  name?: string;
  tags?: Tags;
  columns?: string[];
  values?: Cell[][];
  /** The values array as scanned bytes, when the query asked for raw rows. */
  rawValues?: CellScan;
  partial?: boolean;
}

export interface RawResult {
  statement_id?: number;
  series?: RawSeries[];
  messages?: { level: string; text: string }[];
  error?: string;
  partial?: boolean;
}

/**
 * Turns decoded response objects ({"results":[…]} per chunk) into events. Feed it every object
 * in order, then call finish().
 */
export class ResultStitcher {
  private current: number | null = null;
  private open: { name?: string; tags?: Tags; columns: string[] } | null = null;
  private openPartial = false;
  private nextImplicitId = 0;

  push(doc: ResponseDoc, out: QueryEvent[]): void {
    for (const r of doc.results ?? []) {
      out.push({ type: 'raw', result: r });
      const id = r.statement_id ?? this.nextImplicitId;
      if (id !== this.current) {
        if (this.current !== null) out.push({ type: 'end', id: this.current });
        this.current = id;
        this.nextImplicitId = id + 1;
        this.open = null;
        this.openPartial = false;
        out.push({ type: 'statement', id });
      }
      for (const m of r.messages ?? []) out.push({ type: 'message', id, level: m.level, text: m.text });
      for (const s of r.series ?? []) {
        const columns = s.columns ?? [];
        if (!(this.openPartial && this.open && sameSeries(this.open, s, columns))) {
          this.open = { name: s.name, tags: s.tags, columns };
          out.push({ type: 'series', id, name: s.name || undefined, tags: s.tags && Object.keys(s.tags).length ? s.tags : undefined, columns });
        }
        this.openPartial = !!s.partial;
        if (s.values?.length) out.push({ type: 'rows', id, rows: s.values });
        else if (s.rawValues?.rows) out.push({ type: 'rows', id, rows: [], scan: s.rawValues });
      }
      if (r.error !== undefined) out.push({ type: 'error', id, message: r.error });
    }
    if (doc.error !== undefined) out.push({ type: 'error', id: null, message: doc.error });
  }

  finish(out: QueryEvent[]): void {
    if (this.current !== null) out.push({ type: 'end', id: this.current });
    this.current = null;
  }
}

function sameSeries(a: { name?: string; tags?: Tags; columns: string[] }, s: RawSeries, columns: string[]): boolean {
  if ((a.name ?? '') !== (s.name ?? '')) return false;
  if (a.columns.length !== columns.length || a.columns.some((c, i) => c !== columns[i])) return false;
  const at = a.tags ?? {};
  const bt = s.tags ?? {};
  const ak = Object.keys(at);
  if (ak.length !== Object.keys(bt).length) return false;
  return ak.every((k) => at[k] === bt[k]);
}
