// Terminal display width without string-width's start-up cost (its RGI_Emoji regex alone takes
// ~100 ms to compile): grapheme clusters, East Asian width, emoji presentation.
import { eastAsianWidth } from 'get-east-asian-width';

// Built on first use: Unicode property classes cost milliseconds to compile, and text of
// one-column characters (NARROW below: nearly all of it) never gets here.
let ZERO_WIDTH: RegExp | undefined;
let PICTOGRAPHIC: RegExp | undefined;
let segmenter: Intl.Segmenter | undefined;

/**
 * Text whose every character takes one column, told without the full rule: printable ASCII, the
 * Latin letters and signs up to U+02FF (not the soft hyphen, 0 columns, nor © and ®, pictographs
 * the full rule counts as 2), the dashes, quotes, bullet and ellipsis of U+2010–2027, and box
 * drawing and block elements (tables, sparklines). The first text outside it costs about 17 ms of
 * compiling: a report's "×" or "–" used to.
 */
const NARROW = /^[\x20-\x7e\u00a0-\u00a8\u00aa-\u00ac\u00af-\u02ff\u2010-\u2027\u2500-\u259f]*$/;

/** Columns a string occupies on a terminal: CJK and emoji count two. Every padding uses this. */
export function displayWidth(s: string): number {
  return NARROW.test(s) ? s.length : fullWidthRule(s);
}

/** `s` padded with spaces to `width` terminal columns (never cut). */
export function padEndToWidth(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/** `s` right-aligned in `width` terminal columns (never cut). */
export function padStartToWidth(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : ' '.repeat(width - w) + s;
}

/** `s` cut to at most `width` columns, ending in … when cut, then padded to exactly `width`. */
export function fitToWidth(s: string, width: number): string {
  if (displayWidth(s) <= width) return padEndToWidth(s, width);
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return padEndToWidth(out + '…', width);
}

/** The columns of `s` by grapheme clusters and their Unicode properties (displayWidth's rule for any text). */
export function fullWidthRule(s: string): number {
  segmenter ??= new Intl.Segmenter();
  ZERO_WIDTH ??= /^(?:\p{Default_Ignorable_Code_Point}|\p{Control}|\p{Mark}|\p{Surrogate})+$/u;
  PICTOGRAPHIC ??= /\p{Extended_Pictographic}/u;
  let width = 0;
  for (const { segment } of segmenter.segment(s)) {
    if (ZERO_WIDTH.test(segment)) continue;
    // An emoji sequence (ZWJ family, flag, keycap, VS16) occupies two cells.
    if (PICTOGRAPHIC.test(segment) || segment.includes('\uFE0F') || /\p{Regional_Indicator}/u.test(segment)) {
      width += 2;
      continue;
    }
    width += eastAsianWidth(segment.codePointAt(0)!, { ambiguousAsWide: false });
  }
  return width;
}
