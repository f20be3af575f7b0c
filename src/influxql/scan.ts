// A forgiving InfluxQL scanner: never throws, covers every character, so the splitter, the
// highlighter and the completer can all read half-typed text.

export type TokenKind = 'ws' | 'comment' | 'keyword' | 'ident' | 'quoted-ident' | 'string' | 'number' | 'duration' | 'regex' | 'operator' | 'punct' | 'bound-param' | 'other';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  text: string;
  /** For strings, quoted identifiers, regexes and block comments: false when the closer is missing. */
  closed?: boolean;
}

export const KEYWORDS = new Set(
  `ALL ALTER ANALYZE ANY AS ASC BEGIN BY CARDINALITY CREATE CONTINUOUS DATABASE DATABASES DEFAULT DELETE DESC
  DESTINATIONS DIAGNOSTICS DISTINCT DROP DURATION END EVERY EXACT EXPLAIN FIELD FOR FROM GRANT GRANTS GROUP GROUPS
  IN INF INSERT INTO KEY KEYS KILL LIMIT MEASUREMENT MEASUREMENTS NAME OFFSET ON ORDER PASSWORD POLICIES POLICY
  PRIVILEGES QUERIES QUERY READ REPLICATION RESAMPLE RETENTION REVOKE SELECT SERIES SET SHARD SHARDS SLIMIT SOFFSET
  SHOW STATS SUBSCRIPTION SUBSCRIPTIONS TAG TO USER USERS VALUES WHERE WITH WRITE AND OR TRUE FALSE FILL TZ NOT`
    .split(/\s+/)
    .filter(Boolean),
);

const DURATION = /^(\d+(ns|u|\u00b5|ms|s|m|h|d|w))+$/;

// Character classes by code, so a 1 MB line scans in tens of milliseconds.
const isWs = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isIdentStart = (c: number) => isAlpha(c) || c === 95 || (c >= 0x80 && c <= 0xffff);
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
/** Digits, letters, µ and dots: what a number or duration literal runs over. */
const isNumberPart = (c: number) => isDigit(c) || isAlpha(c) || c === 0xb5 || c === 46;
const isWordPart = (c: number) => isDigit(c) || isAlpha(c) || c === 95;

/** Where `/` opens a regex rather than dividing (see scanEach). */
function regexMayFollow(text: string, kind: TokenKind | undefined, start: number, end: number): boolean {
  if (kind === 'operator') return end - start === 2 && text.charCodeAt(start + 1) === 126; /* ~ */
  if (kind === 'punct') return text[start] === ',' || text[start] === '(';
  if (kind === 'keyword') return /^(FROM|SELECT|BY)$/i.test(text.slice(start, end));
  return false;
}

/** Scans up to the closing `close` (backslash escapes one character); returns the end and whether it closed. */
function scanQuoted(text: string, i: number, close: number): [number, boolean] {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === close) return [i + 1, true];
    else i++;
  }
  return [n, false];
}

export type TokenSink = (kind: TokenKind, start: number, end: number, closed: boolean | undefined) => void;

/**
 * The scanner without allocation: calls `emit` for each token in order. `/` opens a regex after
 * `=~`/`!~` and where a division would have no left operand but InfluxQL takes a regex
 * (FROM /cpu.*\/, SELECT /usage/, GROUP BY /host/, after `,` or `(`).
 */
export function scanEach(text: string, emit: TokenSink): void {
  const n = text.length;
  let i = 0;
  let prevKind: TokenKind | undefined;
  let prevStart = 0;
  let prevEnd = 0;
  const push = (kind: TokenKind, start: number, end: number, closed?: boolean) => {
    emit(kind, start, end, closed);
    if (kind !== 'ws' && kind !== 'comment') {
      prevKind = kind;
      prevStart = start;
      prevEnd = end;
    }
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
    const start = i;
    if (isWs(c)) {
      while (i < n && isWs(text.charCodeAt(i))) i++;
      push('ws', start, i);
    } else if (c === 45 /* - */ && next === 45) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      push('comment', start, i);
    } else if (c === 47 /* / */ && next === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      push('comment', start, i, close >= 0);
    } else if (c === 39 /* ' */ || c === 34 /* " */) {
      const [end, closed] = scanQuoted(text, i + 1, c);
      i = end;
      push(c === 39 ? 'string' : 'quoted-ident', start, Math.min(i, n), closed);
    } else if (c === 47 && regexMayFollow(text, prevKind, prevStart, prevEnd)) {
      const [end, closed] = scanQuoted(text, i + 1, 47);
      i = end;
      push('regex', start, Math.min(i, n), closed);
    } else if (isDigit(c) || (c === 46 && next >= 48 && next <= 57)) {
      while (i < n && isNumberPart(text.charCodeAt(i))) i++;
      // A duration ends in a unit letter; test the pattern only then.
      const last = text.charCodeAt(i - 1);
      push(!isDigit(last) && last !== 46 && DURATION.test(text.slice(start, i)) ? 'duration' : 'number', start, i);
    } else if (c === 36 /* $ */) {
      i++;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
      push('bound-param', start, i);
    } else if (isIdentStart(c)) {
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      // Keywords are 2 to 13 characters long; skip the upper-casing for other words.
      const len = i - start;
      push(len >= 2 && len <= 13 && KEYWORDS.has(text.slice(start, i).toUpperCase()) ? 'keyword' : 'ident', start, i);
    } else if (c === 61 || c === 33 || c === 60 || c === 62 /* = ! < > */) {
      i++;
      if (next === 61 || next === 126 || next === 62 /* = ~ > */) i++;
      push('operator', start, i);
    } else if (OPERATOR_CHARS.includes(text[i]!)) {
      i++;
      push('operator', start, i);
    } else if (PUNCT_CHARS.includes(text[i]!)) {
      i++;
      push('punct', start, i);
    } else {
      // Keep surrogate pairs together so one emoji is one token.
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      push('other', start, i);
    }
  }
}

const OPERATOR_CHARS = '+-*/%&|^';
const PUNCT_CHARS = '(),.;:';

export function scan(text: string): Token[] {
  const tokens: Token[] = [];
  scanEach(text, (kind, start, end, closed) => {
    const t: Token = { kind, start, end, text: text.slice(start, end) };
    if (closed !== undefined) t.closed = closed;
    tokens.push(t);
  });
  return tokens;
}
