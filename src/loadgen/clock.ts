// Nanosecond timestamps that never repeat within one process. Batched points carry client
// time; two points of one series with the same timestamp would overwrite each other in InfluxDB.
export class UniqueClock {
  private lastUs = 0;
  private seq = 0;

  /** Current time in ns since the epoch, as line-protocol digits, strictly increasing. */
  next(): string {
    const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    if (us > this.lastUs) {
      this.lastUs = us;
      this.seq = 0;
    } else if (++this.seq > 999) {
      this.lastUs++;
      this.seq = 0;
    }
    return this.lastUs + String(this.seq).padStart(3, '0');
  }
}
