// 1.x's rule for csv and column when results follow each other: a result (one chunk of the
// response) prints no headers when its first series has the name, tags and columns of the first
// series of the last result that did print them; its rows then continue that table. So two
// statements with the same columns give one header and one table, exactly as 1.x.
import type { RawResult } from './types.js';

type Head = { name?: string; tags?: Record<string, string>; columns?: string[] };

export class RepeatedHeaders {
  private last: Head | null = null;
  /** The result being printed repeats the last headers. */
  suppressed = false;
  /** Results seen in this response (1.x's index into response.Results). */
  index = 0;

  reset(): void {
    this.last = null;
    this.suppressed = false;
    this.index = 0;
  }

  /** Takes the next result; true when its headers are suppressed. */
  next(r: RawResult): boolean {
    this.index++;
    const first = r.series?.[0];
    this.suppressed = !!first && !!this.last && sameHead(this.last, first);
    if (first && !this.suppressed) this.last = first;
    return this.suppressed;
  }
}

function sameHead(a: Head, b: Head): boolean {
  if ((a.name ?? '') !== (b.name ?? '')) return false;
  const ac = a.columns ?? [];
  const bc = b.columns ?? [];
  if (ac.length !== bc.length || ac.some((c, i) => c !== bc[i])) return false;
  const at = a.tags ?? {};
  const bt = b.tags ?? {};
  const ak = Object.keys(at);
  return ak.length === Object.keys(bt).length && ak.every((k) => at[k] === bt[k]);
}
