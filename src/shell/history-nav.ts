// History recall as pure functions: Up/Down walk the entries that start with what was typed
// (as 1.x's liner does), the draft comes back after the newest entry, and Ctrl-R searches
// backwards incrementally.

export interface HistoryNav {
  /** Index of the entry shown; entries.length means the draft. */
  index: number;
  /** What was in the editor when navigation started. */
  draft: string;
  /** Only entries starting with this are visited. */
  prefix: string;
}

export function startNav(entries: readonly string[]): HistoryNav {
  return { index: entries.length, draft: '', prefix: '' };
}

/**
 * One step back (older). `current` is the editor text; when navigation starts it becomes the
 * draft and the prefix. Returns null when there is nothing older that matches.
 */
export function historyUp(entries: readonly string[], nav: HistoryNav, current: string): { nav: HistoryNav; text: string } | null {
  const fresh = nav.index >= entries.length;
  const draft = fresh ? current : nav.draft;
  const prefix = fresh ? current : nav.prefix;
  for (let i = Math.min(nav.index, entries.length) - 1; i >= 0; i--) {
    const e = entries[i]!;
    // Skip entries equal to what is already shown, so repeated commands cost one press.
    if (e.startsWith(prefix) && e !== current) return { nav: { index: i, draft, prefix }, text: e };
  }
  return null;
}

/** One step forward (newer); past the newest entry the draft comes back. */
export function historyDown(entries: readonly string[], nav: HistoryNav, current: string): { nav: HistoryNav; text: string } | null {
  if (nav.index >= entries.length) return null;
  for (let i = nav.index + 1; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.startsWith(nav.prefix) && e !== current) return { nav: { ...nav, index: i }, text: e };
  }
  return { nav: { ...nav, index: entries.length }, text: nav.draft };
}

export interface ReverseSearch {
  query: string;
  /** Index of the match shown, or -1 when nothing matches. */
  match: number;
  /** Where the next Ctrl-R continues from (exclusive upper bound). */
  from: number;
  /** The editor text before the search, restored on cancel. */
  original: string;
}

export function startSearch(entries: readonly string[], original: string): ReverseSearch {
  return { query: '', match: -1, from: entries.length, original };
}

function findBack(entries: readonly string[], query: string, below: number): number {
  const q = query.toLowerCase();
  for (let i = Math.min(below, entries.length) - 1; i >= 0; i--) if (entries[i]!.toLowerCase().includes(q)) return i;
  return -1;
}

/** The query changed (typing or backspace): search again from where the search started. */
export function searchType(entries: readonly string[], s: ReverseSearch, query: string): ReverseSearch {
  // Extending the query keeps the current match if it still fits; otherwise look further back.
  const below = s.match >= 0 && query.startsWith(s.query) ? s.match + 1 : s.from;
  const match = query ? findBack(entries, query, below) : -1;
  return { ...s, query, match };
}

/** Ctrl-R again: the next older match. Stays on the current one when there is none. */
export function searchNext(entries: readonly string[], s: ReverseSearch): ReverseSearch {
  if (!s.query) return s;
  const below = s.match >= 0 ? s.match : s.from;
  const match = findBack(entries, s.query, below);
  return match < 0 ? s : { ...s, match };
}

export function searchResult(entries: readonly string[], s: ReverseSearch): string {
  return s.match >= 0 ? entries[s.match]! : s.original;
}

/** The rest of the newest entry that extends `text`: ghost text shown after the cursor. */
export function suggestFromHistory(entries: readonly string[], text: string): string {
  if (!text.trim() || text.includes('\n')) return '';
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.length > text.length && e.startsWith(text) && !e.includes('\n')) return e.slice(text.length);
  }
  return '';
}
