// Syntax highlighting of the line being typed: scanner tokens mapped to ANSI colours. Built on
// the allocation-free scanEach, so a 1 MB pasted line still colours in tens of milliseconds.
import { Chalk, type ChalkInstance } from 'chalk';
import { scanEach, type TokenKind } from '../influxql/scan.js';

export type SpanKind =
  'keyword' | 'function' | 'identifier' | 'quoted-identifier' | 'string' | 'number' | 'duration' | 'regex' | 'operator' | 'punctuation' | 'comment' | 'parameter' | 'unclosed' | 'other';

export interface HighlightSpan {
  start: number;
  end: number;
  kind: SpanKind;
}

const KINDS: SpanKind[] = ['keyword', 'function', 'identifier', 'quoted-identifier', 'string', 'number', 'duration', 'regex', 'operator', 'punctuation', 'comment', 'parameter', 'unclosed', 'other'];
const KIND_INDEX = new Map(KINDS.map((k, i) => [k, i]));

const FROM_TOKEN: Record<Exclude<TokenKind, 'ws'>, SpanKind> = {
  comment: 'comment',
  keyword: 'keyword',
  ident: 'identifier',
  'quoted-ident': 'quoted-identifier',
  string: 'string',
  number: 'number',
  duration: 'duration',
  regex: 'regex',
  operator: 'operator',
  punct: 'punctuation',
  'bound-param': 'parameter',
  other: 'other',
};

const TOKEN_INDEX = Object.fromEntries(Object.entries(FROM_TOKEN).map(([t, k]) => [t, KIND_INDEX.get(k)!])) as Record<Exclude<TokenKind, 'ws'>, number>;

/** Spans in parallel typed arrays: no object per token. Whitespace has no span. */
interface SpanTable {
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

function collect(text: string): SpanTable {
  let cap = Math.min(Math.max(16, text.length >> 2), 1 << 16);
  let kinds = new Uint8Array(cap);
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let count = 0;
  let lastIdent = -1;
  const IDENT = KIND_INDEX.get('identifier')!;
  const FUNCTION = KIND_INDEX.get('function')!;
  const UNCLOSED = KIND_INDEX.get('unclosed')!;
  scanEach(text, (kind, start, end, closed) => {
    if (kind === 'ws') return;
    if (count === cap) {
      cap *= 2;
      const k = new Uint8Array(cap);
      k.set(kinds);
      kinds = k;
      const s = new Int32Array(cap);
      s.set(starts);
      starts = s;
      const e = new Int32Array(cap);
      e.set(ends);
      ends = e;
    }
    // An identifier directly followed by `(` is a function call.
    if (kind === 'punct' && text.charCodeAt(start) === 40 && lastIdent === count - 1 && lastIdent >= 0) kinds[lastIdent] = FUNCTION;
    const k = closed === false ? UNCLOSED : TOKEN_INDEX[kind];
    kinds[count] = k;
    starts[count] = start;
    ends[count] = end;
    lastIdent = k === IDENT ? count : kind === 'comment' ? lastIdent : -1;
    count++;
  });
  return { kinds, starts, ends, count };
}

/** The styled spans of `text` (whitespace omitted), for a UI that applies its own styles. */
export function highlightSpans(text: string): HighlightSpan[] {
  const t = collect(text);
  const out: HighlightSpan[] = new Array<HighlightSpan>(t.count);
  for (let i = 0; i < t.count; i++) out[i] = { start: t.starts[i]!, end: t.ends[i]!, kind: KINDS[t.kinds[i]!]! };
  return out;
}

/** Basic 16 colours: readable on dark and light backgrounds, supported everywhere. */
const chalk16 = new Chalk({ level: 1 });
const STYLES: Partial<Record<SpanKind, ChalkInstance>> = {
  keyword: chalk16.bold.blueBright,
  function: chalk16.cyan,
  'quoted-identifier': chalk16.yellow,
  string: chalk16.green,
  number: chalk16.magenta,
  duration: chalk16.magentaBright,
  regex: chalk16.red,
  operator: chalk16.bold,
  comment: chalk16.gray,
  parameter: chalk16.cyanBright,
  unclosed: chalk16.red.underline,
};

/** Opening and closing escape sequences per kind index; empty for unstyled kinds. */
const OPEN: string[] = [];
const CLOSE: string[] = [];
for (const k of KINDS) {
  const marked = STYLES[k]?.('\u0000') ?? '\u0000';
  const at = marked.indexOf('\u0000');
  OPEN.push(marked.slice(0, at));
  CLOSE.push(marked.slice(at + 1));
}

/**
 * `text` with ANSI colours per token kind; unchanged without colour (opts.color false, which the
 * shell decides with format/colour.ts). Removing the escapes always gives `text`.
 */
export function highlight(text: string, opts: { color: boolean }): string {
  if (!opts.color || !text) return text;
  const t = collect(text);
  let out = '';
  let pos = 0;
  let i = 0;
  while (i < t.count) {
    const k = t.kinds[i]!;
    const open = OPEN[k]!;
    if (!open) {
      // Unstyled spans stay in the gap that the next styled span (or the tail) copies in one slice.
      i++;
      continue;
    }
    const start = t.starts[i]!;
    let end = t.ends[i]!;
    // Runs of one kind (only blanks between) share one pair of escapes.
    let j = i + 1;
    while (j < t.count && t.kinds[j] === k && isBlank(text, end, t.starts[j]!)) end = t.ends[j++]!;
    out += start > pos ? text.slice(pos, start) + open + text.slice(start, end) + CLOSE[k]! : open + text.slice(start, end) + CLOSE[k]!;
    pos = end;
    i = j;
  }
  return pos < text.length ? out + text.slice(pos) : out;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
