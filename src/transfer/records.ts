// Line-protocol record boundaries on raw bytes. A record is one line, except that a string field
// value may contain newlines; only lines with a double quote pay for the byte-by-byte scan.

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const HASH = 35;

/** Where a record stands at the end of a line. */
export interface QuoteState {
  /** 0 = measurement and tags, 1 = fields, 2 = timestamp. */
  phase: number;
  inString: boolean;
}

/** Scans bytes [start, end) of one line, continuing from `st`; true when the record is still open. */
export function scanLine(buf: Buffer, start: number, end: number, st: QuoteState): boolean {
  let i = start;
  while (i < end) {
    const c = buf[i]!;
    if (st.inString) {
      if (c === BACKSLASH) i += 2;
      else {
        if (c === QUOTE) st.inString = false;
        i++;
      }
      continue;
    }
    if (c === BACKSLASH) {
      i += 2;
      continue;
    }
    if (st.phase === 0) {
      if (c === SPACE) st.phase = 1;
    } else if (st.phase === 1) {
      if (c === QUOTE) st.inString = true;
      else if (c === SPACE) st.phase = 2;
    }
    i++;
  }
  return st.inString;
}

/** The kind of a line that starts at `start` (first byte) and ends before `end`. */
export const enum LineKind {
  Blank,
  Comment,
  Data,
}

export function lineKind(buf: Buffer, start: number, end: number): LineKind {
  let i = start;
  while (i < end) {
    const c = buf[i]!;
    if (c === SPACE || c === TAB || c === CR) i++;
    else return c === HASH ? LineKind.Comment : LineKind.Data;
  }
  return LineKind.Blank;
}

export interface RecordText {
  /** 1-based line number in the input where the record starts. */
  line: number;
  text: Buffer;
}

/** Splits a batch body back into its records, numbering them from `firstLine`. */
export function splitRecords(body: Buffer, firstLine: number): RecordText[] {
  const out: RecordText[] = [];
  let pos = 0;
  let line = firstLine;
  const n = body.length;
  let nextQuote = -2;
  while (pos < n) {
    let nl = body.indexOf(NL, pos);
    if (nl < 0) nl = n;
    const kind = lineKind(body, pos, nl);
    if (kind !== LineKind.Data) {
      pos = nl + 1;
      line++;
      continue;
    }
    const start = pos;
    const startLine = line;
    const st: QuoteState = { phase: 0, inString: false };
    if (nextQuote !== -1 && nextQuote < pos) nextQuote = body.indexOf(QUOTE, pos);
    let open = nextQuote >= 0 && nextQuote < nl ? scanLine(body, pos, nl, st) : false;
    while (open && nl < n) {
      pos = nl + 1;
      line++;
      nl = body.indexOf(NL, pos);
      if (nl < 0) nl = n;
      open = scanLine(body, pos, nl, st);
    }
    let end = nl;
    if (end > start && body[end - 1] === CR) end--;
    out.push({ line: startLine, text: body.subarray(start, end) });
    pos = nl + 1;
    line++;
  }
  return out;
}
