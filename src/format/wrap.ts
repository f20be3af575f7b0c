// Text broken between words to fit a width: help's columns, the demo's prose, reports on a
// terminal. A line is never broken inside a word unless the word alone is too long.
import { displayWidth } from './width.js';

/** Breaks text into lines of at most `width` columns, between words; an over-long word breaks after a `|`, or is cut. */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const words = text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => splitLong(word, w));
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= w) line += ' ' + word;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

function splitLong(word: string, w: number): string[] {
  if (word.length <= w) return [word];
  const out: string[] = [];
  let rest = word;
  while (rest.length > w) {
    const bar = rest.lastIndexOf('|', w - 1);
    const cut = bar > 0 ? bar + 1 : w;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * Each line of `text` longer than `width` broken between words, its continuation lines indented
 * under its value: after a leading "Label:" and the blanks that follow it (a report's figure
 * lines), else two columns deeper than the line. Shorter lines are left as they are, and so is a
 * word longer than the room it has.
 */
export function fitLines(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      if (displayWidth(line) <= width) return line;
      const label = /^\s*[A-Za-z][\w.()-]*(?: [\w.()-]+){0,2}:\s+(?=\S)/.exec(line)?.[0];
      const first = label ?? /^\s*/.exec(line)![0];
      const hang = Math.min(label ? label.length : first.length + 2, Math.floor(width / 2));
      const out: string[] = [];
      let cur = first;
      let base = first.length; // cur holds words past this column
      // Where the value sets its items apart with two blanks ("p50 0.2  p99 1.3"), it breaks only there.
      const body = line.slice(first.length);
      const gap = / {2}\S/.test(body.trimEnd()) ? '  ' : ' ';
      for (const word of units(body.split(gap === ' ' ? /\s+/ : /\s{2,}/).filter(Boolean))) {
        if (cur.length > base && displayWidth(cur) + gap.length + displayWidth(word) > width) {
          out.push(cur);
          cur = ' '.repeat(hang) + word;
          base = hang;
        } else cur += (cur.length > base ? gap : '') + word;
      }
      out.push(cur);
      return out.join('\n');
    })
    .join('\n');
}

/** A unit stays with its number ("10.0 s", "1.8 ms", "25 %"): the words, each unit joined to the number before it. */
function units(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (out.length && /^(?:s|ms|\u00b5s|%|B|KB|MB|GB|req\/s)[,;.)]*$/.test(w) && /\d$/.test(out[out.length - 1]!)) out[out.length - 1] += ` ${w}`;
    else out.push(w);
  }
  return out;
}

/** Writes a line for people to stderr, fitted to the terminal there (as it is when stderr is not one). */
export function note(line: string): void {
  process.stderr.write(forTerminal(line, process.stderr) + '\n');
}

/** `text` fitted to the terminal `out` writes to (by `fit`, fitLines unless said); unchanged when `out` is not a terminal. */
export function forTerminal(text: string, out: { isTTY?: boolean; columns?: number }, fit: (text: string, width: number) => string = fitLines): string {
  return out.isTTY && out.columns ? fit(text, out.columns) : text;
}
