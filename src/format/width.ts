// Terminal display width without string-width's start-up cost (its RGI_Emoji regex alone takes
// ~100 ms to compile): grapheme clusters, East Asian width, emoji presentation.
import { eastAsianWidth } from 'get-east-asian-width';

// Built on first use: Unicode property classes cost milliseconds to compile, and ASCII text
// (nearly all of it) never gets here.
let ZERO_WIDTH: RegExp | undefined;
let PICTOGRAPHIC: RegExp | undefined;
let segmenter: Intl.Segmenter | undefined;

const ASCII = /^[\x20-\x7e]*$/;

/** Columns a string occupies on a terminal: CJK and emoji count two. */
export function displayWidth(s: string): number {
  if (ASCII.test(s)) return s.length;
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
