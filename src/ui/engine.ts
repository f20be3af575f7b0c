// The seam between the Ink shell and the pure engine parts built on the `complete` branch
// (src/shell/completion.ts, metadata.ts, highlight.ts, guard.ts, history-redact.ts).
//
// MERGE: once those files are on main, replace each fallback below with a re-export, e.g.
//   export { complete } from '../shell/completion.js';
//   export { highlight } from '../shell/highlight.js';
//   export { destructiveReason } from '../shell/guard.js';
//   export { redactForHistory } from '../shell/history-redact.js';
// and make createMetadata return `new MetadataCache(...)`. The UI only uses the names here.
import type { Session } from '../shell/session.js';

export interface CompletionCandidate {
  value: string;
  kind: string;
  detail?: string;
}

export interface CompletionResult {
  start: number;
  end: number;
  candidates: CompletionCandidate[];
}

/** Whatever the metadata cache hands the completer; the UI never looks inside. */
export type MetadataSnapshot = unknown;

export interface MetadataSource {
  snapshot(): MetadataSnapshot;
  refresh(reason: string): void;
  ensureTagValues(db: string, rp: string | undefined, measurement: string, key: string): unknown;
  onChange?: (() => void) | null;
}

/** Fallback: no completion until the engine lands. */
export function complete(_text: string, cursor: number, _meta: MetadataSnapshot): CompletionResult {
  return { start: cursor, end: cursor, candidates: [] };
}

/** Fallback: no colour. */
export function highlight(text: string, _opts: { color: boolean }): string {
  return text;
}

const DESTRUCTIVE = /^\s*(DROP\s+(DATABASE|MEASUREMENT|SERIES|RETENTION\s+POLICY|SHARD)\b|DELETE\b(?![\s\S]*\bWHERE\b))/i;

/** Fallback guard: the statement kinds the issue names, by their first words. */
export function destructiveReason(unitText: string): string | null {
  for (const stmt of unitText.split(';')) {
    const m = DESTRUCTIVE.exec(stmt);
    if (m) return /^\s*DELETE/i.test(stmt) ? 'DELETE without WHERE removes every point of the measurement' : `${m[1]!.replace(/\s+/g, ' ').toUpperCase()} cannot be undone`;
  }
  return null;
}

/** Fallback redaction: 1.x's Sanitize (WITH PASSWORD / SET PASSWORD) and no `auth` lines. */
export function redactForHistory(line: string): string | null {
  if (/^\s*auth\b/i.test(line)) return null;
  return line
    .replace(/(\bWITH\s+PASSWORD\s+)('(?:[^'\\]|\\.)*'?|\S+)/gi, '$1[REDACTED]')
    .replace(/(\bSET\s+PASSWORD\s+FOR\s+(?:"(?:[^"\\]|\\.)*"|\S+)\s*=\s*)('(?:[^'\\]|\\.)*'?|\S+)/gi, '$1[REDACTED]');
}

/** Fallback: no background metadata. */
export function createMetadata(_session: Session): MetadataSource | null {
  return null;
}
