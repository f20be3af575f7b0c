// Counts and sizes in the summaries people read: "1 measurement", "2 measurements", "412 bytes".

/** `n noun`, with the plural for anything but exactly 1. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** A size in the unit that shows it: bytes below 1 KB, then KB and MB with one decimal. */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return counted(bytes, 'byte');
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
