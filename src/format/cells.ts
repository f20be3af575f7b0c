/** A cell as the 1.x CLI prints it: null empty, booleans as words, numbers (exact ones too) and strings verbatim. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

/** "k1=v1, k2=v2" with keys sorted, as 1.x prints tags (sep ", " in column, "," in csv). */
export function tagText(tags: Record<string, string> | undefined, sep: string): string {
  if (!tags) return '';
  return Object.keys(tags)
    .map((k) => `${k}=${tags[k]}`)
    .sort()
    .join(sep);
}
