// Nanosecond timestamps that never repeat within one process. Batched points carry client
// time; two points of one series with the same timestamp would overwrite each other in InfluxDB.
// Cheap enough to call per request: the millisecond digits are formatted once per millisecond.
/** performance.timeOrigin is a slow getter; it never changes, so read it once. */
export const TIME_ORIGIN = performance.timeOrigin;

export class UniqueClock {
  private lastMs = -1;
  private msDigits = '';
  private ns = 0;

  /** Time in ns since the epoch as line-protocol digits, strictly increasing; `nowMs` defaults to the current time. */
  next(nowMs: number = TIME_ORIGIN + performance.now()): string {
    const ms = Math.floor(nowMs);
    if (ms > this.lastMs) {
      this.lastMs = ms;
      this.msDigits = String(ms);
      this.ns = Math.floor((nowMs - ms) * 1e6);
    } else if (++this.ns > 999_999) {
      // More than a million points in one millisecond: borrow the next millisecond.
      this.lastMs++;
      this.msDigits = String(this.lastMs);
      this.ns = 0;
    }
    return this.msDigits + String(this.ns + 1_000_000).slice(1);
  }
}

/** A non-negative duration in ms as a decimal with microsecond resolution, without float formatting. */
export function formatMs(ms: number): string {
  const us = Math.round(ms * 1000);
  const whole = Math.floor(us / 1000);
  return `${whole}.${String((us - whole * 1000) + 1000).slice(1)}`;
}
