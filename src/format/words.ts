// Counts and sizes in the lines people read: "1 measurement", "2 measurements", "1 connection",
// "412 bytes". Every count a person reads goes through here, so one is never "1 rows".

/** The noun for `n` of it: the singular for exactly 1, else the plural. */
export function nounFor(n: number, noun: string, plural = `${noun}s`): string {
  return n === 1 ? noun : plural;
}

/** `n noun`, with the plural for anything but exactly 1; `show` writes the number (e.g. with thousands separators). */
export function counted(n: number, noun: string, plural = `${noun}s`, show: (n: number) => string = String): string {
  return `${show(n)} ${nounFor(n, noun, plural)}`;
}

/** A size in the unit that shows it: bytes below 1 KB, then KB and MB with one decimal. */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return counted(bytes, 'byte');
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
