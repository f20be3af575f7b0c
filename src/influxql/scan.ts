// A forgiving InfluxQL scanner: never throws, covers every character, so the splitter, the
// highlighter and the completer can all read half-typed text.

export type TokenKind =
  | 'ws'
  | 'comment'
  | 'keyword'
  | 'ident'
  | 'quoted-ident'
  | 'string'
  | 'number'
  | 'duration'
  | 'regex'
  | 'operator'
  | 'punct'
  | 'bound-param'
  | 'other';

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
  STATS SUBSCRIPTION SUBSCRIPTIONS TAG TO USER USERS VALUES WHERE WITH WRITE AND OR TRUE FALSE FILL TZ NOT`
    .split(/\s+/)
    .filter(Boolean),
);

const DURATION = /^(\d+(ns|u|µ|ms|s|m|h|d|w))+$/;

function isIdentStart(c: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(c);
}

export function scan(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let prevSignificant: Token | undefined;
  // Regexes appear after =~ / !~ and as measurement sources in FROM lists.
  let inFrom = false;
  const push = (kind: TokenKind, start: number, end: number, closed?: boolean) => {
    const t: Token = { kind, start, end, text: text.slice(start, end) };
    if (closed !== undefined) t.closed = closed;
    tokens.push(t);
    if (kind !== 'ws' && kind !== 'comment') {
      prevSignificant = t;
      if (kind === 'keyword') inFrom = t.text.toUpperCase() === 'FROM';
    }
  };
  while (i < n) {
    const c = text[i]!;
    const start = i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      while (i < n && /[ \t\n\r]/.test(text[i]!)) i++;
      push('ws', start, i);
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
      push('comment', start, i);
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      push('comment', start, i, close >= 0);
    } else if (c === "'" || c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        if (text[i] === '\\') i += 2;
        else if (text[i] === c) {
          i++;
          closed = true;
          break;
        } else i++;
      }
      push(c === "'" ? 'string' : 'quoted-ident', start, Math.min(i, n), closed);
    } else if (c === '/' && prevSignificant && (prevSignificant.text === '=~' || prevSignificant.text === '!~' || (inFrom && (/^from$/i.test(prevSignificant.text) || prevSignificant.text === ',')))) {
      i++;
      let closed = false;
      while (i < n) {
        if (text[i] === '\\') i += 2;
        else if (text[i] === '/') {
          i++;
          closed = true;
          break;
        } else i++;
      }
      push('regex', start, Math.min(i, n), closed);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < n && /[0-9A-Za-zµ.]/.test(text[i]!)) i++;
      const word = text.slice(start, i);
      push(DURATION.test(word) ? 'duration' : 'number', start, i);
    } else if (c === '$') {
      i++;
      while (i < n && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      push('bound-param', start, i);
    } else if (isIdentStart(c)) {
      while (i < n && /[A-Za-z0-9_\u0080-\uffff]/.test(text[i]!)) i++;
      push(KEYWORDS.has(text.slice(start, i).toUpperCase()) ? 'keyword' : 'ident', start, i);
    } else if ('=!<>'.includes(c)) {
      i++;
      if (i < n && '=~>'.includes(text[i]!)) i++;
      push('operator', start, i);
    } else if ('+-*/%&|^'.includes(c)) {
      i++;
      push('operator', start, i);
    } else if ('(),.;:'.includes(c)) {
      i++;
      push('punct', start, i);
    } else {
      i++;
      push('other', start, i);
    }
  }
  return tokens;
}
