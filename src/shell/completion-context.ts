// Stage one of completion (pgcli's suggest_type): from the text and the cursor alone, decide
// which word is being completed and what kinds of things may go there. No metadata, no ranking.
import { scan, scanEach, type Token } from '../influxql/scan.js';
import type { CommandRegistry } from '../core/commands.js';

export interface Source {
  db?: string;
  rp?: string;
  measurement?: string;
  /** A /regex/ source, without the slashes. */
  regex?: string;
}

export type Suggestion =
  | { type: 'keyword'; words: readonly string[] }
  | { type: 'function' }
  | { type: 'command' }
  | { type: 'command-arg'; command: string; values: readonly string[] }
  /**
   * unlessCurrent: only when no database is in use (then FROM wants db.rp.measurement).
   * qualify: offered as `db.`, where a bare name would mean something else (insert into rp).
   */
  | { type: 'database'; unlessCurrent?: boolean; qualify?: boolean }
  /** db undefined: the current database. */
  | { type: 'retention-policy'; db?: string }
  /** rp: after `name.` in FROM, only when `name` is a retention policy of that database. */
  | { type: 'measurement'; db?: string; rp?: string }
  | { type: 'field'; sources: Source[] }
  | { type: 'tag-key'; sources: Source[] }
  | { type: 'tag-value'; sources: Source[]; key: string }
  | { type: 'duration'; inf?: boolean; preset: 'group' | 'relative' | 'policy' | 'unit' }
  | { type: 'literal'; values: readonly string[]; kind?: 'function' | 'keyword' | 'other'; detail?: string };

export interface CompletionContext {
  /** The range the chosen candidate replaces (the whole word under the cursor). */
  start: number;
  end: number;
  /** What was typed of the word before the cursor, without its opening quote or escapes. */
  prefix: string;
  /** The quote the word opens with, if any. */
  quote: '"' | "'" | null;
  /** Keywords are offered in the case the user writes them in. */
  lowercase: boolean;
  /** Identifiers here follow the `use` command's quoting rather than InfluxQL's. */
  commandArg?: boolean;
  suggestions: Suggestion[];
}

/** Keywords that can begin a statement, most used first. */
export const STATEMENT_STARTS = ['SELECT', 'SHOW', 'CREATE', 'DROP', 'DELETE', 'ALTER', 'GRANT', 'REVOKE', 'KILL', 'EXPLAIN', 'SET'];

const SHOW_WHAT = [
  'DATABASES',
  'MEASUREMENTS',
  'TAG KEYS',
  'TAG VALUES',
  'FIELD KEYS',
  'SERIES',
  'RETENTION POLICIES',
  'CONTINUOUS QUERIES',
  'QUERIES',
  'USERS',
  'GRANTS FOR',
  'SHARDS',
  'SHARD GROUPS',
  'STATS',
  'DIAGNOSTICS',
  'SUBSCRIPTIONS',
  'MEASUREMENT CARDINALITY',
  'SERIES CARDINALITY',
  'TAG KEY CARDINALITY',
  'TAG VALUES CARDINALITY',
  'FIELD KEY CARDINALITY',
  'MEASUREMENT EXACT CARDINALITY',
  'SERIES EXACT CARDINALITY',
];

/** What may follow a run of leading keywords. */
const HEAD_NEXT: Record<string, readonly string[]> = {
  SHOW: SHOW_WHAT,
  'SHOW TAG': ['KEYS', 'VALUES', 'KEY CARDINALITY', 'VALUES CARDINALITY'],
  'SHOW FIELD': ['KEYS', 'KEY CARDINALITY'],
  'SHOW RETENTION': ['POLICIES'],
  'SHOW CONTINUOUS': ['QUERIES'],
  'SHOW SHARD': ['GROUPS'],
  'SHOW GRANTS': ['FOR'],
  'SHOW MEASUREMENT': ['CARDINALITY', 'EXACT CARDINALITY'],
  'SHOW RETENTION POLICIES': ['ON'],
  'SHOW MEASUREMENTS': ['ON', 'WITH MEASUREMENT', 'WHERE', 'LIMIT', 'OFFSET'],
  'SHOW SERIES': ['ON', 'FROM', 'WHERE', 'LIMIT', 'OFFSET', 'CARDINALITY', 'EXACT CARDINALITY'],
  'SHOW TAG KEYS': ['ON', 'FROM', 'WHERE', 'LIMIT', 'OFFSET'],
  'SHOW TAG VALUES': ['ON', 'FROM', 'WITH KEY'],
  'SHOW FIELD KEYS': ['ON', 'FROM', 'LIMIT', 'OFFSET'],
  CREATE: ['DATABASE', 'RETENTION POLICY', 'USER', 'CONTINUOUS QUERY', 'SUBSCRIPTION'],
  'CREATE RETENTION': ['POLICY'],
  'CREATE CONTINUOUS': ['QUERY'],
  DROP: ['MEASUREMENT', 'SERIES', 'DATABASE', 'RETENTION POLICY', 'SHARD', 'CONTINUOUS QUERY', 'USER', 'SUBSCRIPTION'],
  'DROP RETENTION': ['POLICY'],
  'DROP CONTINUOUS': ['QUERY'],
  'DROP SERIES': ['FROM', 'WHERE'],
  DELETE: ['FROM', 'WHERE'],
  ALTER: ['RETENTION POLICY'],
  'ALTER RETENTION': ['POLICY'],
  GRANT: ['ALL', 'READ', 'WRITE', 'ALL PRIVILEGES TO'],
  REVOKE: ['ALL', 'READ', 'WRITE', 'ALL PRIVILEGES FROM'],
  'GRANT ALL': ['ON', 'PRIVILEGES TO'],
  'GRANT READ': ['ON'],
  'GRANT WRITE': ['ON'],
  'REVOKE ALL': ['ON', 'PRIVILEGES FROM'],
  'REVOKE READ': ['ON'],
  'REVOKE WRITE': ['ON'],
  KILL: ['QUERY'],
  EXPLAIN: ['SELECT', 'ANALYZE SELECT'],
  'EXPLAIN ANALYZE': ['SELECT'],
  SET: ['PASSWORD FOR'],
};

/** What may follow a finished term, per clause of a SELECT. */
const SELECT_TAIL = ['LIMIT', 'SLIMIT', 'OFFSET', 'SOFFSET', 'tz('];
const AFTER_TERM: Record<string, readonly string[]> = {
  select: ['FROM', 'INTO', 'AS'],
  into: ['FROM'],
  from: ['WHERE', 'GROUP BY', 'ORDER BY', ...SELECT_TAIL],
  where: ['AND', 'OR', 'GROUP BY', 'ORDER BY', ...SELECT_TAIL],
  groupby: ['fill(', 'ORDER BY', ...SELECT_TAIL],
  orderby: ['ASC', 'DESC', 'LIMIT', 'SLIMIT', 'OFFSET', 'SOFFSET'],
  limit: ['OFFSET', 'SLIMIT', 'SOFFSET', 'tz('],
};

/** Functions whose second argument is a time unit. */
const UNIT_ARG = new Set(['derivative', 'non_negative_derivative', 'elapsed', 'integral']);
/** Functions whose middle arguments may name tags. */
const TAG_ARGS = new Set(['top', 'bottom']);
/** Keywords that are called like functions. */
const CALL_KEYWORDS = new Set(['DISTINCT', 'TZ', 'FILL', 'IN']);
const WORD_KINDS = new Set(['ident', 'keyword', 'quoted-ident', 'string', 'number', 'duration', 'bound-param']);
const TERM_KINDS = new Set(['ident', 'quoted-ident', 'string', 'number', 'duration', 'regex', 'bound-param']);

type Clause = 'none' | 'select' | 'into' | 'from' | 'where' | 'group' | 'groupby' | 'order' | 'orderby' | 'limit' | 'on' | 'with';

interface Frame {
  kind: 'root' | 'query' | 'group' | 'call';
  call?: string;
  clause: Clause;
  /** Commas seen directly in this frame (argument index for calls). */
  commas: number;
  /** Index in the statement's tokens of the `(` that opened it (-1 for the root). */
  open: number;
  parent?: Frame;
}

const upper = (t: Token | undefined) => (t && t.kind === 'keyword' ? t.text.toUpperCase() : '');
const isName = (t: Token | undefined) => !!t && (t.kind === 'ident' || t.kind === 'quoted-ident');

/** The value of an identifier token: quotes and escapes removed. */
export function identValue(t: Token): string {
  if (t.kind !== 'quoted-ident' && t.kind !== 'string') return t.text;
  return t.text.slice(1, t.closed === false ? undefined : -1).replace(/\\(.)/g, '$1');
}

/** The frame the next token belongs to, after walking `toks`. */
function walkFrames(toks: Token[]): Frame {
  let frame: Frame = { kind: 'root', clause: 'none', commas: 0, open: -1 };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.text === '(' && t.kind === 'punct') {
      const p = toks[i - 1];
      const call = p && (p.kind === 'ident' || (p.kind === 'keyword' && CALL_KEYWORDS.has(p.text.toUpperCase())));
      frame = { kind: call ? 'call' : 'group', call: call ? p.text.toLowerCase() : undefined, clause: 'none', commas: 0, open: i, parent: frame };
    } else if (t.text === ')' && t.kind === 'punct') {
      if (frame.parent) frame = frame.parent;
    } else if (t.text === ',' && t.kind === 'punct') {
      frame.commas++;
    } else if (t.kind === 'keyword') {
      const target = frame.kind === 'group' && frame.open === i - 1 && upper(t) === 'SELECT' ? ((frame.kind = 'query'), frame) : clauseFrame(frame);
      if (target.kind === 'call') continue;
      const u = upper(t);
      const c = target.clause;
      if (u === 'SELECT') target.clause = 'select';
      else if (u === 'FROM') target.clause = 'from';
      else if (u === 'INTO') target.clause = 'into';
      else if (u === 'WHERE') target.clause = 'where';
      else if (u === 'GROUP') target.clause = 'group';
      else if (u === 'ORDER') target.clause = 'order';
      else if (u === 'BY') target.clause = c === 'group' ? 'groupby' : c === 'order' ? 'orderby' : c;
      else if (u === 'LIMIT' || u === 'SLIMIT' || u === 'OFFSET' || u === 'SOFFSET') target.clause = 'limit';
      else if (u === 'ON') target.clause = 'on';
      else if (u === 'WITH') target.clause = 'with';
    }
  }
  return frame;
}

/** The frame whose clause governs `frame`: grouping parentheses are transparent. */
function clauseFrame(frame: Frame): Frame {
  let f = frame;
  while (f.kind === 'group' && f.parent) f = f.parent;
  return f;
}

/** Parses the FROM sources of the query frame that opens at `open` (-1 = the statement). */
export function sourcesOf(toks: Token[], open: number): Source[] {
  // Find FROM directly in this frame.
  let depth = 0;
  let i = open + 1;
  for (; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      if (depth === 0) return [];
      depth--;
    } else if (depth === 0 && upper(t) === 'FROM') break;
  }
  // Half-typed text leaves calls open (`SELECT mean( FROM cpu`): then take the next FROM at any depth.
  if (i >= toks.length) {
    i = toks.findIndex((t, k) => k > open && upper(t) === 'FROM');
    if (i < 0) return [];
  }
  const out: Source[] = [];
  let parts: (Token | null)[] = [];
  const flush = () => {
    const names = parts.map((p) => (p ? identValue(p) : ''));
    if (names.length === 1) out.push({ measurement: names[0] });
    else if (names.length === 2) out.push({ rp: names[0] || undefined, measurement: names[1] });
    else if (names.length >= 3) out.push({ db: names[0] || undefined, rp: names[1] || undefined, measurement: names[2] });
    parts = [];
  };
  for (i++; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'regex') {
      const body = t.text.slice(1, t.closed === false ? undefined : -1);
      if (parts.length) {
        // db.rp./regex/
        const names = parts.filter((p): p is Token => !!p).map(identValue);
        out.push({ db: parts.length >= 2 ? names[0] : undefined, rp: names[names.length - 1], regex: body });
        parts = [];
      } else out.push({ regex: body });
    } else if (isName(t) || (t.kind === 'keyword' && parts.length && toks[i - 1]?.text === '.')) parts.push(t);
    else if (t.text === '.') {
      if (toks[i - 1]?.text === '.') parts.push(null);
    } else if (t.text === ',') flush();
    else if (t.text === '(') {
      // A subquery: its own sources stand in for its columns.
      out.push(...sourcesOf(toks, i));
      let d = 0;
      for (; i < toks.length; i++) {
        if (toks[i]!.text === '(') d++;
        else if (toks[i]!.text === ')' && --d === 0) break;
      }
    } else break;
  }
  if (parts.length) flush();
  return out;
}

interface Word {
  start: number;
  end: number;
  prefix: string;
  quote: '"' | "'" | null;
  /** Index of the word's token in `tokens`, or -1 when the cursor is between tokens. */
  index: number;
}

function wordAt(text: string, tokens: Token[], cursor: number): Word {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.start >= cursor) break;
    if (cursor > t.end || !WORD_KINDS.has(t.kind)) continue;
    const q = t.kind === 'quoted-ident' || t.kind === 'string' ? (t.text[0] as '"' | "'") : null;
    // After a closing quote the cursor is outside the word's text but still on the word.
    const inner = q ? text.slice(t.start + 1, Math.min(cursor, t.closed === false ? t.end : t.end - 1)) : text.slice(t.start, cursor);
    // An unclosed quote runs to the end of the text; the word ends where the name would.
    const end = t.closed === false ? cursor + (/^[^\s"',;()]*/.exec(text.slice(cursor))?.[0].length ?? 0) : t.end;
    return { start: t.start, end, prefix: q ? inner.replace(/\\(.)/g, '$1') : inner, quote: q, index: i };
  }
  return { start: cursor, end: cursor, prefix: '', quote: null, index: -1 };
}

/**
 * The tokens (positions in `text`) of the statement around the cursor only, so completing at
 * the end of a 1 MB line of many statements allocates tokens for the last one alone.
 */
function statementTokens(text: string, cursor: number): { tokens: Token[]; from: number } {
  let from = 0;
  let to = text.length;
  let found = false;
  scanEach(text, (kind, start, end) => {
    if (kind !== 'punct' || text.charCodeAt(start) !== 59 /* ; */) return;
    if (end <= cursor) from = end;
    else if (!found && start >= cursor) {
      to = start;
      found = true;
    }
  });
  const tokens = scan(text.slice(from, to));
  if (from)
    for (const t of tokens) {
      t.start += from;
      t.end += from;
    }
  return { tokens, from };
}

/** Decides what may be typed at `cursor` in `text`; a first line that starts with one of `commands` is that command's. */
export function suggestContext(text: string, cursor: number, commands: CommandRegistry): CompletionContext {
  cursor = Math.max(0, Math.min(cursor, text.length));
  // Only the statement around the cursor matters: between the semicolons on either side.
  const { tokens, from } = statementTokens(text, cursor);
  // Inside a regex or a comment nothing is completed.
  const open = (t: Token) => t.closed === false || (t.kind === 'comment' && t.text.startsWith('--'));
  if (tokens.some((t) => (t.kind === 'regex' || t.kind === 'comment') && t.start < cursor && (cursor < t.end || (open(t) && cursor <= t.end)))) {
    return { start: cursor, end: cursor, prefix: '', quote: null, lowercase: false, suggestions: [] };
  }
  const word = wordAt(text, tokens, cursor);
  const lowercase = prefersLowercase(tokens, word);
  const base = { start: word.start, end: word.end, prefix: word.prefix, quote: word.quote, lowercase };

  const sig = (toks: Token[]) => toks.filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
  const wordIndex = word.index >= 0 ? word.index : tokens.findIndex((t) => t.start >= cursor);
  const before = sig(wordIndex < 0 ? tokens : tokens.slice(0, wordIndex));
  const all = sig(tokens);

  // Shell commands own the whole first line.
  if (from === 0) {
    const line = text.slice(0, (text.indexOf('\n') + 1 || text.length + 1) - 1);
    const cmd = commands.find(line);
    const firstWord = /^\s*\S+/.exec(line);
    if (cmd && firstWord && cursor > firstWord[0].length) return { ...base, ...commandArgContext(text, cursor, cmd.command.name, cmd.command.argValues, firstWord[0].length, word) };
    if (!before.length) return { ...base, suggestions: [{ type: 'keyword', words: STATEMENT_STARTS }, { type: 'command' }] };
  }
  return { ...base, suggestions: statementSuggestions(before, all) };
}

/** The typed word's case decides; with nothing typed, the nearest keyword before it does. */
function prefersLowercase(tokens: Token[], word: Word): boolean {
  if (/[A-Za-z]/.test(word.prefix) && !word.quote) return !/[A-Z]/.test(word.prefix);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.end > word.start || t.kind !== 'keyword') continue;
    return t.text === t.text.toLowerCase();
  }
  return false;
}

function commandArgContext(
  text: string,
  cursor: number,
  name: string,
  argValues: readonly string[] | undefined,
  nameEnd: number,
  word: Word,
): Omit<CompletionContext, 'start' | 'end' | 'prefix' | 'quote' | 'lowercase'> & Partial<CompletionContext> {
  const argStart = nameEnd + (/^\s*/.exec(text.slice(nameEnd))?.[0].length ?? 0);
  const typed = text.slice(argStart, cursor);
  const tailEnd = cursor + (/^[^\s;]*/.exec(text.slice(cursor))?.[0].length ?? 0);
  if (name === 'use' || (name === 'insert' && /^into\s+/i.test(typed))) {
    // `use db.rp` / `insert into db.rp`: 1.x quoting, `"` toggles and an unquoted dot separates.
    const targetStart = name === 'use' ? argStart : argStart + /^into\s+/i.exec(typed)![0].length;
    const target = text.slice(targetStart, cursor);
    if (name === 'insert' && /\s/.test(target.replace(/"[^"]*"?/g, ''))) return { suggestions: [{ type: 'measurement' }] };
    let quoted = false;
    let dot = -1;
    for (let i = 0; i < target.length; i++) {
      if (target[i] === '"') quoted = !quoted;
      else if (target[i] === '.' && !quoted) dot = i;
    }
    const segStart = dot >= 0 ? targetStart + dot + 1 : targetStart;
    const seg = text.slice(segStart, cursor);
    const q = seg.startsWith('"') ? '"' : null;
    const common = { start: segStart, end: tailEnd, prefix: q ? seg.slice(1).replace(/"$/, '') : seg, quote: q, commandArg: true } as const;
    if (dot >= 0) {
      const db = target.slice(0, dot).replace(/"/g, '');
      return { ...common, suggestions: [{ type: 'retention-policy', db: db || undefined }] };
    }
    // After INTO a single name is a retention policy (1.x): databases come as `db.` to go on to theirs.
    return { ...common, suggestions: name === 'use' ? [{ type: 'database' }] : [{ type: 'retention-policy' }, { type: 'database', qualify: true }] };
  }
  if (name === 'insert') {
    if (!/\s/.test(typed)) return { start: word.start, end: word.end, suggestions: [{ type: 'literal', values: ['into'], kind: 'keyword' }, { type: 'measurement' }] };
    return { suggestions: [] };
  }
  const values = argValues ?? (name === 'chunk' ? ['size'] : name === 'node' ? ['clear'] : []);
  // Arguments may be several words (`clear retention policy`): the whole typed argument is the prefix.
  return { start: argStart, end: tailEnd, prefix: typed, quote: null, suggestions: values.length ? [{ type: 'command-arg', command: name, values }] : [] };
}

function statementSuggestions(before: Token[], all: Token[]): Suggestion[] {
  if (!before.length) return [{ type: 'keyword', words: STATEMENT_STARTS }];
  const n = before.length;
  const prev = before[n - 1]!;
  const prev2 = before[n - 2];
  const P = upper(prev);
  const frame = walkFrames(before);
  const cf = clauseFrame(frame);
  const query = (() => {
    let f: Frame | undefined = frame;
    while (f && f.kind !== 'query' && f.kind !== 'root') f = f.parent;
    return f ?? frame;
  })();
  const head = leadingKeywords(before);
  // SHOW … ON db: names without a database belong to that one.
  const onDb = head[0] === 'SHOW' ? databaseAfterOn(all) : undefined;
  const sources = () => sourcesOf(all, query.open).map((src) => (onDb && !src.db ? { ...src, db: onDb } : src));
  // A subquery, or a statement with a SELECT in it (EXPLAIN, continuous queries).
  const isSelect = query.kind === 'query' || all.some((t) => upper(t) === 'SELECT');
  const atArgStart = prev.text === '(' || prev.text === ',';

  // Inside a function call.
  if (frame.kind === 'call') {
    const fn = frame.call!;
    if (!atArgStart) {
      if (isNowOffset(before)) return [{ type: 'duration', preset: 'relative' }];
      return [];
    }
    if (fn === 'time') return [{ type: 'duration', preset: 'group' }];
    if (fn === 'fill') return [{ type: 'literal', values: ['null', 'none', 'previous', 'linear', '0'], detail: 'fill option' }];
    if (fn === 'tz') return [{ type: 'literal', values: ["'UTC'", "'America/New_York'", "'Europe/London'", "'Asia/Tokyo'"], detail: 'time zone' }];
    if (fn === 'now') return [];
    if (fn === 'in') return [{ type: 'tag-key', sources: sources() }];
    if (frame.commas === 0) return [{ type: 'field', sources: sources() }, { type: 'function' }, { type: 'literal', values: ['*'] }];
    if (UNIT_ARG.has(fn) && frame.commas === 1) return [{ type: 'duration', preset: 'unit' }];
    if (TAG_ARGS.has(fn)) return [{ type: 'tag-key', sources: sources() }];
    return [];
  }

  if (isNowOffset(before)) return [{ type: 'duration', preset: 'relative' }];
  if (P === 'ON') return [{ type: 'database' }];

  // Sources after FROM / INTO, qualified with db. and rp.
  if ((cf.clause === 'from' || cf.clause === 'into') && (P === 'FROM' || P === 'INTO' || prev.text === ',' || prev.text === '.')) {
    const chain: (string | null)[] = [];
    for (let k = n - 1; k >= 0; k--) {
      const t = before[k]!;
      if (t.text !== '.') break;
      const name = before[k - 1];
      if (name && (isName(name) || name.kind === 'keyword') && upper(name) !== 'FROM' && upper(name) !== 'INTO') {
        chain.unshift(identValue(name));
        k--;
      } else chain.unshift(null);
    }
    if (chain.length === 0)
      return [
        { type: 'measurement', db: onDb },
        { type: 'database', unlessCurrent: true },
      ];
    // `name.`: name is a database (its retention policies follow) or a retention policy of the
    // current one (its measurements follow); the metadata decides which.
    if (chain.length === 1)
      return [
        { type: 'retention-policy', db: chain[0]! },
        { type: 'measurement', db: onDb, rp: chain[0]! },
      ];
    return [{ type: 'measurement', db: chain[0] || onDb }];
  }

  // A regex goes after =~ and !~: offer its delimiter, never keywords.
  if (prev.text === '=~' || prev.text === '!~') return [{ type: 'literal', values: ['/'], detail: 'regex' }];

  // Comparisons: tag values after `tag =`, now() after `time >`.
  if ((prev.text === '=' || prev.text === '!=' || prev.text === '<>') && prev2) {
    if (upper(prev2) === 'KEY') return [{ type: 'tag-key', sources: sources() }];
    if (prev2.kind === 'ident' && prev2.text.toLowerCase() === 'time') return [{ type: 'literal', values: ['now()'], kind: 'function' }];
    if (isName(prev2)) return [{ type: 'tag-value', sources: sources(), key: identValue(prev2) }];
    return [];
  }
  if (/^[<>]=?$/.test(prev.text) && prev2?.text.toLowerCase() === 'time') return [{ type: 'literal', values: ['now()'], kind: 'function' }];

  if (cf.clause === 'where' && (P === 'WHERE' || P === 'AND' || P === 'OR' || P === 'NOT' || (prev.text === '(' && frame.kind === 'group'))) {
    const s = sources();
    return isSelect
      ? [
          { type: 'tag-key', sources: s },
          { type: 'field', sources: s },
          { type: 'literal', values: ['time'] },
        ]
      : [
          { type: 'tag-key', sources: s },
          { type: 'literal', values: ['time'] },
        ];
  }
  if (cf.clause === 'groupby' && (P === 'BY' || prev.text === ',')) {
    return [
      { type: 'tag-key', sources: sources() },
      { type: 'literal', values: ['time('], kind: 'function', detail: 'group by time interval' },
      { type: 'literal', values: ['*'] },
    ];
  }
  if (cf.clause === 'orderby') {
    if (P === 'BY') return [{ type: 'literal', values: ['time'] }];
    if (prev.text.toLowerCase() === 'time') return [{ type: 'keyword', words: ['ASC', 'DESC'] }];
  }
  if (cf.clause === 'with' && P === 'KEY') return [{ type: 'keyword', words: ['=', 'IN ('] }];
  if (cf.clause === 'select' && P !== 'AS') {
    const selectStar = prev.text === '*' && (P === 'SELECT' || upper(prev2) === 'SELECT' || prev2?.text === ',');
    if (P === 'SELECT' || prev.text === ',' || (prev.kind === 'operator' && !selectStar)) {
      const s = sources();
      const out: Suggestion[] = [{ type: 'field', sources: s }, { type: 'function' }, { type: 'tag-key', sources: s }];
      if (P === 'SELECT') out.push({ type: 'literal', values: ['*'] });
      return out;
    }
  }
  if (P === 'DURATION') return [{ type: 'duration', preset: 'policy', inf: upper(prev2) !== 'SHARD' }];
  if (P === 'EVERY' || P === 'FOR') return [{ type: 'duration', preset: 'group' }];
  if (P === 'REPLICATION') return [{ type: 'literal', values: ['1'] }];

  // Leading keywords: SHOW TAG …, DROP RETENTION POLICY …
  if (head.length === n) {
    const key = head.join(' ');
    if (key === 'DROP DATABASE') return [{ type: 'database' }];
    if (key === 'DROP MEASUREMENT') return [{ type: 'measurement' }];
    if (key === 'DROP RETENTION POLICY' || key === 'ALTER RETENTION POLICY') return [{ type: 'retention-policy' }];
    const next = HEAD_NEXT[key];
    if (next) return [{ type: 'keyword', words: next }];
  }

  // After a finished term: the clauses that may come next.
  const finished = TERM_KINDS.has(prev.kind) || prev.text === ')' || prev.text === '*' || P === 'ASC' || P === 'DESC' || P === 'TRUE' || P === 'FALSE';
  if (finished) {
    if (isSelect || query.kind === 'query') {
      if (cf.clause === 'where') {
        // `WHERE host |` wants an operator, not a keyword.
        const p2 = upper(prev2);
        if (isName(prev) && (p2 === 'WHERE' || p2 === 'AND' || p2 === 'OR' || prev2?.text === '(')) return [];
      }
      const next = AFTER_TERM[cf.clause];
      if (next) return [{ type: 'keyword', words: cf.clause === 'select' && upper(prev2) === 'AS' ? ['FROM', 'INTO'] : next }];
    } else if (head[0] === 'SHOW' || head[0] === 'DELETE' || (head[0] === 'DROP' && head[1] === 'SERIES')) {
      const what = head.slice(0, 3).join(' ');
      const after = HEAD_NEXT[what] ?? HEAD_NEXT[head.slice(0, 2).join(' ')] ?? ['FROM', 'WHERE'];
      if (cf.clause === 'where') return [{ type: 'keyword', words: ['AND', 'OR', 'LIMIT', 'OFFSET'] }];
      return [{ type: 'keyword', words: after.filter((w) => w !== 'CARDINALITY' && w !== 'EXACT CARDINALITY') }];
    }
    return [];
  }
  return [{ type: 'keyword', words: [...KEYWORD_LIST] }, { type: 'function' }];
}

/** `now() -` / `now() +` just before the cursor. */
function isNowOffset(before: Token[]): boolean {
  const n = before.length;
  return n >= 4 && (before[n - 1]!.text === '-' || before[n - 1]!.text === '+') && before[n - 2]!.text === ')' && before[n - 3]!.text === '(' && before[n - 4]!.text.toLowerCase() === 'now';
}

function databaseAfterOn(toks: Token[]): string | undefined {
  const i = toks.findIndex((t) => upper(t) === 'ON');
  const t = i >= 0 ? toks[i + 1] : undefined;
  return t && isName(t) ? identValue(t) : undefined;
}

function leadingKeywords(toks: Token[]): string[] {
  const out: string[] = [];
  for (const t of toks) {
    if (t.kind !== 'keyword') break;
    out.push(t.text.toUpperCase());
  }
  return out;
}

const KEYWORD_LIST = [
  ...STATEMENT_STARTS,
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'GROUP BY',
  'ORDER BY',
  'LIMIT',
  'OFFSET',
  'SLIMIT',
  'SOFFSET',
  'INTO',
  'AS',
  'ON',
  'WITH',
  'ASC',
  'DESC',
  'DATABASE',
  'DATABASES',
  'MEASUREMENT',
  'MEASUREMENTS',
  'RETENTION POLICY',
  'RETENTION POLICIES',
  'SERIES',
  'TAG',
  'FIELD',
  'KEY',
  'KEYS',
  'VALUES',
  'DURATION',
  'REPLICATION',
  'SHARD DURATION',
  'DEFAULT',
  'CONTINUOUS QUERY',
  'BEGIN',
  'END',
  'RESAMPLE',
  'EVERY',
  'FOR',
  'USER',
  'USERS',
  'PASSWORD',
  'PRIVILEGES',
  'TO',
  'ALL',
  'READ',
  'WRITE',
  'QUERY',
  'QUERIES',
  'TRUE',
  'FALSE',
  'NOT',
  'IN',
  'CARDINALITY',
  'EXACT',
];
