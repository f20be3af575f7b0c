// For text formats that can work from the JSON text itself (csv): cut each series' "values"
// array out of a chunk as text, so only the small envelope goes through JSON.parse and no JS value
// is built per cell. Numbers stay exactly as the server wrote them.

const MARK = '"values":[';

/**
 * Returns the chunk's JSON with every "values" array emptied and a `rawValues` property holding
 * its text, e.g. `[[1,"a"],[2,null]]`. The sequence `"values":[` cannot occur inside a JSON
 * string (a quote there is always escaped), so every match is a key.
 */
export function parseWithRawValues(line: string): any {
  const texts: string[] = [];
  let envelope = '';
  let from = 0;
  for (let at = line.indexOf(MARK); at >= 0; at = line.indexOf(MARK, from)) {
    const open = at + MARK.length - 1;
    const close = matchingBracket(line, open);
    if (close < 0) break;
    envelope += line.slice(from, at) + `"values":[],"rawValues":${texts.length}`;
    texts.push(line.slice(open, close + 1));
    from = close + 1;
  }
  envelope += line.slice(from);
  const doc = JSON.parse(envelope);
  for (const r of doc.results ?? []) {
    for (const s of r.series ?? []) if (typeof s.rawValues === 'number') s.rawValues = texts[s.rawValues];
  }
  return doc;
}

/** Index of the `]` closing the `[` at `open`, skipping strings; -1 if the text ends first. */
function matchingBracket(t: string, open: number): number {
  let depth = 0;
  const n = t.length;
  for (let i = open; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c === 34) {
      for (i++; i < n; i++) {
        const d = t.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 91) depth++;
    else if (c === 93 && --depth === 0) return i;
  }
  return -1;
}

/**
 * Walks the rows of a values text, calling `cell(start, end, kind)` for each cell and `row()`
 * after each row. kind: 0 bare token (number, true, false), 1 null, 2 string without escapes
 * (start/end exclude the quotes), 3 string with escapes (start/end include the quotes).
 */
export function eachCell(t: string, cell: (start: number, end: number, kind: 0 | 1 | 2 | 3) => void, row: () => void): void {
  const n = t.length - 1;
  let i = 1;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (c === 91) {
      i++;
      for (;;) {
        const d = t.charCodeAt(i);
        if (d === 93) {
          i++;
          break;
        }
        if (d === 44) {
          i++;
          continue;
        }
        if (d === 34) {
          const s = i + 1;
          let esc = false;
          for (i = s; ; i++) {
            const e = t.charCodeAt(i);
            if (e === 92) {
              esc = true;
              i++;
            } else if (e === 34) break;
          }
          if (esc) cell(s - 1, i + 1, 3);
          else cell(s, i, 2);
          i++;
        } else {
          const s = i;
          while (i < n) {
            const e = t.charCodeAt(i);
            if (e === 44 || e === 93) break;
            i++;
          }
          if (t.charCodeAt(s) === 110) cell(s, i, 1);
          else cell(s, i, 0);
        }
      }
      row();
    } else i++;
  }
}
