// Nanosecond timestamps that never repeat within one process. Batched points carry client
// time; two points of one series with the same timestamp would overwrite each other in InfluxDB.
// Cheap enough to call per request: the millisecond digits are formatted once per millisecond.
// Also the clock's constants the load generator shares: the time origin, and NO_TIME.
/** performance.timeOrigin is a slow getter; it never changes, so read it once. */
export const TIME_ORIGIN = performance.timeOrigin;

/**
 * What a field that will hold performance.now() times starts as: "no time yet", and not a small
 * integer, so V8 lays the field out as a number from the start. A field that starts at 0 changes
 * its object's layout at the first fractional time, which throws away the optimized code of the
 * load generator's per-response path (a recompile of 10–20 ms per thread).
 */
export const NO_TIME = Number.NaN;

export class UniqueClock {
  private lastMs = -1;
  private msDigits = '';
  private readonly msBytes = new Uint8Array(20);
  private ns = 0;

  /** Time in ns since the epoch as line-protocol digits, strictly increasing; `nowMs` defaults to the current time. */
  next(nowMs: number = TIME_ORIGIN + performance.now()): string {
    this.advance(nowMs);
    return this.msDigits + String(this.ns + 1_000_000).slice(1);
  }

  /** The same digits as next(), written as ASCII into `buf` at `offset`; returns the offset after them. */
  write(buf: Uint8Array, offset: number, nowMs: number = TIME_ORIGIN + performance.now()): number {
    this.advance(nowMs);
    const ms = this.msBytes;
    const n = this.msDigits.length;
    for (let i = 0; i < n; i++) buf[offset++] = ms[i]!;
    let ns = this.ns;
    for (let i = offset + 5; i >= offset; i--) {
      buf[i] = 48 + (ns % 10);
      ns = (ns / 10) | 0;
    }
    return offset + 6;
  }

  private advance(nowMs: number): void {
    const ms = Math.floor(nowMs);
    if (ms > this.lastMs) this.setMs(ms, Math.floor((nowMs - ms) * 1e6));
    else if (++this.ns > 999_999) this.setMs(this.lastMs + 1, 0); // more than a million points in one ms: borrow the next
  }

  private setMs(ms: number, ns: number): void {
    this.lastMs = ms;
    this.msDigits = String(ms);
    for (let i = 0; i < this.msDigits.length && i < 20; i++) this.msBytes[i] = this.msDigits.charCodeAt(i);
    this.ns = ns;
  }
}

/** A non-negative duration in ms with microsecond resolution ("12.345") written as ASCII at `offset`; returns the offset after it. */
export function writeMs(buf: Uint8Array, offset: number, ms: number): number {
  const us = Math.round(ms * 1000);
  let whole = Math.floor(us / 1000);
  let frac = us - whole * 1000;
  // Integer part, most significant digit first.
  let digits = 1;
  for (let t = whole; t >= 10; t = Math.floor(t / 10)) digits++;
  for (let i = offset + digits - 1; i >= offset; i--) {
    buf[i] = 48 + (whole % 10);
    whole = Math.floor(whole / 10);
  }
  offset += digits;
  buf[offset] = 46; // '.'
  buf[offset + 3] = 48 + (frac % 10);
  frac = (frac / 10) | 0;
  buf[offset + 2] = 48 + (frac % 10);
  buf[offset + 1] = 48 + ((frac / 10) | 0);
  return offset + 4;
}
