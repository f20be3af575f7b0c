// The open model's schedule: request i is due at start + i / rate. Requests due but not yet sent
// are a count (sent..due), so a backlog costs no memory however long the target stalls.
export class RateSchedule {
  /** Requests due so far (indices below this are due). */
  due = 0;
  /** Requests handed to a connection (or given up as timed out). */
  sent = 0;
  private start = 0;
  private readonly interval: number;

  constructor(readonly rate: number) {
    this.interval = 1000 / rate;
  }

  /** Starts (or restarts) the schedule at `now`: nothing is due before it. */
  restart(now: number): void {
    this.start = now;
    this.due = 0;
    this.sent = 0;
  }

  /** When request `i` is due. */
  at(i: number): number {
    return this.start + i * this.interval;
  }

  /** How many requests are due by `now`. */
  dueBy(now: number): number {
    return Math.floor((now - this.start) / this.interval) + 1;
  }

  /** Requests due but not yet sent. */
  get waiting(): number {
    return this.due - this.sent;
  }

  /** Takes the oldest request due; returns its intended send time. */
  take(): number {
    return this.at(this.sent++);
  }

  /** Requests the schedule holds for a measured window of `ms`. */
  requestsIn(ms: number): number {
    return Math.ceil((ms * this.rate) / 1000 - 1e-9);
  }
}
