// Lossless JSON for InfluxDB responses.
//
// JSON.parse turns every number into a float64, so nanosecond timestamps and int64/uint64
// field values above 2^53 would print rounded. Integers of 16 or more digits become an
// `ExactNumber` holding the digits as the server wrote them: it prints as its text (String(),
// `cellText`) and `stringifyLossless` writes it back as a bare number. Shorter numbers survive
// float64 and print exactly as Go's encoder wrote them (both use the shortest round-trip form).
//
// A float stored as -0 takes the same road: JSON.parse keeps -0 but JSON.stringify and String()
// print 0, where Go (and so 1.x) prints -0.

/** A number JSON.parse would change: an integer of 16+ digits, or -0; `text` is as received. */
export class ExactNumber {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }

  /** The nearest float (digits past 2^53 are lost): for charts and alert thresholds. */
  toNumber(): number {
    return Number(this.text);
  }

  /** For JSON.stringify: a marked string that stringifyLossless turns back into the bare number. */
  toJSON(): string {
    return MARK + this.text;
  }
}

// The mark exists only between JSON.stringify and stringifyLossless (or the exact scanner and its
// reviver): a NUL and a per-process nonce, so no string from a server can pass for one.
const MARK = '\u0000' + Math.random().toString(36).slice(2, 10);
const MARK_JSON = JSON.stringify(MARK).slice(1, -1);
const MARKED = new RegExp(`"${MARK_JSON.replace(/\\/g, '\\\\')}(-?\\d+)"`, 'g');

/** JSON text with every ExactNumber written as the bare number it was received as. */
export function stringifyLossless(value: unknown, indent?: number): string {
  const t = JSON.stringify(value, null, indent);
  return t.includes(MARK_JSON) ? t.replace(MARKED, '$1') : t;
}

/** Parses JSON that JSON.stringify wrote from values holding ExactNumbers, which come back as ExactNumbers. */
export function parseStringified(text: string): unknown {
  const doc: unknown = JSON.parse(text);
  return text.includes(MARK_JSON) ? revive(doc) : doc;
}

function revive(v: unknown): unknown {
  if (typeof v === 'string') return v.startsWith(MARK) ? new ExactNumber(v.slice(MARK.length)) : v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = revive(o[k]);
  }
  return v;
}

const BIG_INT = /([[,:])(-?\d{16,})(?=[,\]}])/g;
/** A bare -0 as a value (tested only when the text holds `-0` at all). */
const NEG_ZERO = /[[,:]-0(?=[,\]}])/;

/**
 * Parses one JSON document, keeping big integers exact. Fast path: collect the text of every
 * integer token of 16+ digits, parse normally, then put the texts back into the series values
 * in document order. If the tokens and the parsed values do not pair up one to one (digits inside
 * a string, a big float in exponent form), the exact scanner decides instead.
 */
export function parseLossless(text: string): unknown {
  if (text.includes('-0') && NEG_ZERO.test(text)) return parseExact(text);
  if (!/\d{16}/.test(text)) return JSON.parse(text) as unknown;
  // One native call; each match still carries its leading '[', ',' or ':'.
  const tokens = text.match(BIG_INT) ?? [];
  const doc: unknown = JSON.parse(text);
  return restoreBigInts(doc, tokens) ? doc : parseExact(text);
}

/** A parsed number that may have lost digits: an integer of magnitude 1e15 or more. */
function isWide(v: unknown): v is number {
  return typeof v === 'number' && (v >= 1e15 || v <= -1e15) && Number.isInteger(v);
}

/** The shape restoreBigInts walks; anything else in the document is left to the exact scanner. */
interface ResultsShape {
  results?: { statement_id?: unknown; series?: { values?: unknown[][] }[] }[];
}

function restoreBigInts(doc: unknown, tokens: string[]): boolean {
  let k = 0;
  const results = (doc as ResultsShape | null)?.results;
  if (!Array.isArray(results)) return tokens.length === 0;
  for (const r of results) {
    if (isWide(r?.statement_id)) return false;
    for (const s of r?.series ?? []) {
      const values = s?.values;
      if (!Array.isArray(values)) continue;
      for (let i = 0; i < values.length; i++) {
        const row = values[i]!;
        for (let j = 0; j < row.length; j++) {
          if (isWide(row[j])) {
            if (k >= tokens.length) return false;
            row[j] = new ExactNumber(tokens[k++]!.slice(1));
          }
        }
      }
    }
  }
  return k === tokens.length;
}

/** Slow but exact: a scan that knows where strings are. */
export function parseExact(text: string): unknown {
  const parts: string[] = [];
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) i++;
        else break;
      }
      if ((i - start >= 16 && /^-?\d{16,}$/.test(text.slice(start, i))) || (i - start === 2 && text.startsWith('-0', start))) {
        parts.push(text.slice(last, start), '"', MARK_JSON, text.slice(start, i), '"');
        last = i;
      }
    } else i++;
  }
  parts.push(text.slice(last));
  return parts.length > 1 ? revive(JSON.parse(parts.join(''))) : (JSON.parse(text) as unknown);
}
