// The seam between the Ink shell and the pure engine parts (src/shell/completion.ts,
// metadata.ts, highlight.ts, guard.ts, history-redact.ts). The UI only uses the names here.
import { MetadataCache, schemaChangeReason, type MetadataRequest, type MetadataSnapshot } from '../shell/metadata.js';
import type { Session } from '../core/session.js';

export { complete } from '../shell/completion.js';
export type { Candidate as CompletionCandidate, Completion as CompletionResult } from '../shell/completion.js';
export { highlight } from '../shell/highlight.js';
export { destructiveReason } from '../shell/guard.js';
export { redactForHistory } from '../shell/history-redact.js';
export { schemaChangeReason };
export type { MetadataSnapshot, MetadataRequest };

export interface MetadataSourceHandle {
  snapshot(): MetadataSnapshot;
  refresh(reason: string): unknown;
  ensure(request: MetadataRequest): Promise<void>;
  reset(): void;
  onChange?: () => void;
}

/** The background schema loader for this session (it reads session.conn and db.rp live). */
export function createMetadata(session: Session): MetadataSourceHandle {
  return new MetadataCache(session);
}
