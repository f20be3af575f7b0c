// Numbers for people: thousands separators and a set number of decimals, as
// toLocaleString('en-US') writes them. Written here because the first toLocaleString call builds
// ICU's number formatter (about 20 ms of CPU), and a call with options builds one every time
// (about 20 µs): paid by every command that prints a count, and by a load run's progress line.

/**
 * `x` with thousands separators and between `minFraction` and `maxFraction` decimals (trailing
 * zeros beyond `minFraction` dropped): `grouped(1234567)` is "1,234,567", `grouped(2.5, 1, 1)`
 * "2.5". Rounds as toFixed does (from the binary value: 1.005 to two places is "1.00").
 */
export function grouped(x: number, minFraction = 0, maxFraction = Math.max(3, minFraction)): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '-∞';
  const abs = Math.abs(x);
  if (abs >= 1e21) return x.toLocaleString('en-US', { minimumFractionDigits: minFraction, maximumFractionDigits: maxFraction }); // toFixed turns to exponents here
  let s = abs.toFixed(maxFraction);
  let dot = s.indexOf('.');
  if (dot >= 0) {
    let end = s.length;
    while (end > dot + 1 + minFraction && s.charCodeAt(end - 1) === 48) end--;
    if (end === dot + 1) end = dot;
    s = s.slice(0, end);
  } else dot = s.length;
  let out = s.slice(dot);
  let i = dot;
  while (i > 3) {
    out = ',' + s.slice(i - 3, i) + out;
    i -= 3;
  }
  out = s.slice(0, i) + out;
  return x < 0 || Object.is(x, -0) ? '-' + out : out;
}

/** `x` with thousands separators and exactly `digits` decimals: `fixed(1234.5, 1)` is "1,234.5". */
export function fixed(x: number, digits = 1): string {
  return grouped(x, digits, digits);
}
