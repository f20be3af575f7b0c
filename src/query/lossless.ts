// Lossless JSON for InfluxDB responses.
//
// JSON.parse turns every number into a float64, so nanosecond timestamps and int64/uint64
// field values above 2^53 would print rounded. Integers of 16 or more digits are rewritten
// into strings tagged with a leading NUL before parsing; `cellText` prints them verbatim and
// the JSON formatter writes them back as bare numbers. Shorter numbers survive float64 and
// print exactly as Go's encoder wrote them (both use the shortest round-trip form).
//
// A float stored as -0 takes the same road: JSON.parse keeps -0 but JSON.stringify and String()
// print 0, where Go (and so 1.x) prints -0.
//
// Tagging: NUL followed by a digit or '-' is a big integer (or -0). A real string that starts with NUL
// (only possible on the exact path) is stored with one extra NUL, which `untag` removes.

const BIG_INT = /([[,:])(-?\d{16,})(?=[,\]}])/g;
/** A bare -0 as a value (tested only when the text holds `-0` at all). */
const NEG_ZERO = /[[,:]-0(?=[,\]}])/;

export function isBigInt(v: unknown): v is string {
  if (typeof v !== 'string' || v.charCodeAt(0) !== 0) return false;
  const c = v.charCodeAt(1);
  return c === 45 || (c >= 48 && c <= 57);
}

/** The text of a value as the server sent it: big integers without their tag, doubled NULs undone. */
export function untag(v: string): string {
  return v.charCodeAt(0) === 0 ? v.slice(1) : v;
}

/**
 * Parses one JSON document, keeping big integers exact. Fast path: collect the text of every
 * integer token of 16+ digits, parse normally, then put the texts back into the series values
 * in document order. If the tokens and the parsed values do not pair up one to one (digits inside
 * a string, a big float in exponent form), the exact scanner decides instead.
 */
export function parseLossless(text: string): any {
  if (text.includes('-0') && NEG_ZERO.test(text)) return parseExact(text);
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  if (text.includes('\\u0000')) return parseExact(text);
  // One native call; each match still carries its leading '[', ',' or ':'.
  const tokens = text.match(BIG_INT) ?? [];
  const doc = JSON.parse(text);
  return restoreBigInts(doc, tokens) ? doc : parseExact(text);
}

/** A parsed number that may have lost digits: an integer of magnitude 1e15 or more. */
function isWide(v: unknown): v is number {
  return typeof v === 'number' && (v >= 1e15 || v <= -1e15) && Number.isInteger(v);
}

function restoreBigInts(doc: any, tokens: string[]): boolean {
  let k = 0;
  const results = doc?.results;
  if (!Array.isArray(results)) return tokens.length === 0;
  for (const r of results) {
    if (typeof r?.statement_id === 'number' && isWide(r.statement_id)) return false;
    for (const s of r?.series ?? []) {
      const values = s?.values;
      if (!Array.isArray(values)) continue;
      for (let i = 0; i < values.length; i++) {
        const row = values[i];
        for (let j = 0; j < row.length; j++) {
          if (isWide(row[j])) {
            if (k >= tokens.length) return false;
            row[j] = BIG + tokens[k++]!.slice(1);
          }
        }
      }
    }
  }
  return k === tokens.length;
}

const BIG = '\u0000';

/** Slow but exact: a scan that knows where strings are. */
export function parseExact(text: string): any {
  const parts: string[] = [];
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      if (text.startsWith('\\u0000', i + 1)) {
        parts.push(text.slice(last, i + 1), '\\u0000');
        last = i + 1;
      }
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
        parts.push(text.slice(last, start), '"\\u0000', text.slice(start, i), '"');
        last = i;
      }
    } else i++;
  }
  parts.push(text.slice(last));
  return JSON.parse(parts.join(''));
}
