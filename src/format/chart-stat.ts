// Results with no time to draw along: one value as a big number, one value per series as bars.
import { formatNumber } from './chart-data.js';
import { chalkFor, paintSeries } from './chart-render.js';
import { displayWidth, fitToWidth } from './width.js';

// A 5-row block font for the characters a number prints with.
const FONT: Record<string, string[]> = {
  '0': ['███', '█ █', '█ █', '█ █', '███'],
  '1': [' █ ', '██ ', ' █ ', ' █ ', '███'],
  '2': ['███', '  █', '███', '█  ', '███'],
  '3': ['███', '  █', '███', '  █', '███'],
  '4': ['█ █', '█ █', '███', '  █', '  █'],
  '5': ['███', '█  ', '███', '  █', '███'],
  '6': ['███', '█  ', '███', '█ █', '███'],
  '7': ['███', '  █', '  █', '  █', '  █'],
  '8': ['███', '█ █', '███', '█ █', '███'],
  '9': ['███', '█ █', '███', '  █', '███'],
  '.': [' ', ' ', ' ', ' ', '█'],
  '-': ['   ', '   ', '███', '   ', '   '],
  '+': ['   ', ' █ ', '███', ' █ ', '   '],
  e: ['   ', '███', '█▄█', '█  ', '███'],
};

/** The digits of a value, exact when short, else with a k/M/G suffix. */
export function bigNumberText(v: number): string {
  const exact = String(v);
  return exact.length <= 10 ? exact : formatNumber(v);
}

/** A value in block digits (plain text when it does not fit), with its label under it. */
export function renderBigNumber(v: number, label: string, width: number, color: boolean, when?: string): string {
  const text = bigNumberText(v);
  const big: string[] = ['', '', '', '', ''];
  let suffix = '';
  for (const c of text) {
    const glyph = FONT[c];
    if (!glyph || suffix) {
      suffix += c;
      continue;
    }
    for (let r = 0; r < 5; r++) big[r] += (big[r] ? ' ' : '') + glyph[r];
  }
  big[4] += suffix ? ` ${suffix}` : '';
  const ch = chalkFor(color);
  const fits = Math.max(...big.map((r) => r.length)) + 2 <= width;
  const lines = fits ? big.map((r) => '  ' + paintSeries(ch, 0, r)) : [`  ${text}`];
  lines.push(`  ${label}${when ? `  at ${when}` : ''}`);
  return lines.join('\n') + '\n';
}

/** One bar per series, scaled to the largest magnitude, for results where every series has one value. */
export function renderBars(items: { label: string; value: number }[], width: number, color: boolean): string {
  const ch = chalkFor(color);
  const lw = Math.min(Math.max(...items.map((i) => displayWidth(i.label))), Math.floor(width / 2));
  const texts = items.map((i) => formatNumber(i.value));
  const vw = Math.max(...texts.map((t) => t.length));
  const room = Math.max(5, width - lw - vw - 6);
  const max = Math.max(...items.map((i) => Math.abs(i.value))) || 1;
  return (
    items
      .map((it, i) => {
        const n = Math.round((Math.abs(it.value) / max) * room);
        const bar = (it.value < 0 ? '░' : '█').repeat(Math.max(n, it.value === 0 ? 0 : 1));
        const label = fitToWidth(it.label, lw);
        return `  ${label} ${texts[i]!.padStart(vw)} ${paintSeries(ch, i, bar)}`;
      })
      .join('\n') + '\n'
  );
}
