// The open model's schedule: when each request is due. At a constant rate request i is due at
// start + i / rate; with --stages the rate ramps linearly between targets, and request i is due
// when the integral of the rate reaches i. Requests due but not yet sent are a count (sent..due),
// so a backlog costs no memory however long the target stalls.

/** One stage: ramp linearly to `target` over `ms` (from the previous stage's target, or the start). */
export interface Stage {
  ms: number;
  target: number;
}

/** Parses `30s:100,1m:500,30s:0`; undefined when malformed. `parseMs` reads one duration. */
export function parseStages(text: string, parseMs: (d: string) => number | undefined): Stage[] | undefined {
  const stages: Stage[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*([^:]+):\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    const ms = m ? parseMs(m[1]!.trim()) : undefined;
    if (!m || ms === undefined || ms <= 0) return undefined;
    stages.push({ ms, target: Number(m[2]) });
  }
  return stages.length ? stages : undefined;
}

/** The value stages give at `t` ms after the start (linear within a stage; the last target after the end). */
export function stageValue(stages: Stage[], start: number, t: number): number {
  let from = start;
  for (const s of stages) {
    if (t < s.ms) return from + ((s.target - from) * t) / s.ms;
    t -= s.ms;
    from = s.target;
  }
  return from;
}

export const stagesLength = (stages: Stage[]): number => stages.reduce((a, s) => a + s.ms, 0);

/** A stretch of the schedule where the rate goes linearly from `from` to `to` (requests/s). */
interface Segment {
  ms: number;
  from: number;
  to: number;
}

export class RateSchedule {
  /** Requests due so far (indices below this are due). */
  due = 0;
  /** Requests handed to a connection (or given up as timed out). */
  sent = 0;
  private start = 0;
  private readonly segments: Segment[];

  /** A constant `rate`, or starting at `rate` and following `stages`. */
  constructor(
    readonly rate: number,
    stages?: Stage[],
  ) {
    let from = rate;
    this.segments = (stages ?? []).map((s) => {
      const seg = { ms: s.ms, from, to: s.target };
      from = s.target;
      return seg;
    });
    this.segments.push({ ms: Infinity, from, to: from });
  }

  /** Starts (or restarts) the schedule at `now`: nothing is due before it. */
  restart(now: number): void {
    this.start = now;
    this.due = 0;
    this.sent = 0;
  }

  /** Requests the schedule holds in its first `ms` (the integral of the rate). */
  private count(ms: number): number {
    let n = 0;
    for (const g of this.segments) {
      const t = Math.min(ms, g.ms);
      // A ramp's mean rate over its first t ms (a constant tail: from).
      n += ((g.from + ((g.to - g.from) * t) / (2 * g.ms)) * t) / 1000;
      ms -= t;
      if (ms <= 0) break;
    }
    return n;
  }

  /** When request `i` is due (Infinity when the rate never reaches it). */
  at(i: number): number {
    let n = 0;
    let t0 = 0;
    for (const g of this.segments) {
      const inSeg = g.ms === Infinity ? Infinity : ((g.from + g.to) / 2) * (g.ms / 1000);
      if (i - n <= inSeg) {
        const k = i - n; // requests into this segment: from*τ + (to-from)/(2L)*τ² = k (τ, L in s)
        const L = g.ms / 1000;
        const a = g.ms === Infinity ? 0 : (g.to - g.from) / (2 * L);
        const b = g.from;
        let tau: number;
        if (Math.abs(a) < 1e-12) tau = b > 0 ? k / b : k === 0 ? 0 : Infinity;
        else tau = (-b + Math.sqrt(Math.max(0, b * b + 4 * a * k))) / (2 * a);
        return this.start + t0 + tau * 1000;
      }
      n += inSeg;
      t0 += g.ms;
    }
    return Infinity;
  }

  /** How many requests are due by `now`. */
  dueBy(now: number): number {
    return Math.floor(this.count(now - this.start) + 1e-9) + 1;
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
    return Math.ceil(this.count(ms) - 1e-9);
  }
}
