// Sends one batch until it lands, the server rejects it for good, or the retry budget is spent.
// Network errors, 5xx, 429 and a restarting server are retried with capped exponential backoff
// and jitter (Retry-After honoured); 4xx answers are final. Shared by import, service, collect.
import type { InfluxHttp } from '../connection/http.js';
import { writeLineProtocol, type WriteBody, type WriteResult, type WriteTarget } from './write.js';

export interface RetryPolicy {
  /** Give up once writes have failed for this long without one landing (ms). */
  deadlineMs: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { deadlineMs: 5 * 60_000, minDelayMs: 100, maxDelayMs: 5_000 };

/**
 * How long writes have been failing with none landing. Shared by every batch of a run, so the
 * retry budget is spent once for an outage, not once per batch; a write that lands resets it.
 */
export class Outage {
  /** When the current run of failures began (0: writes are landing). */
  since = 0;
  lastError: string | undefined;

  /** Set once a batch gave up: the next ones are tried once until a write lands again. */
  spent = false;

  landed(): void {
    this.since = 0;
    this.spent = false;
  }

  failed(error: string | undefined, now = Date.now()): void {
    if (!this.since) this.since = now;
    this.lastError = error;
  }

  /** Budget left at `now` under `deadlineMs` (ms, never negative). */
  left(deadlineMs: number, now = Date.now()): number {
    if (this.spent) return 0;
    return this.since ? Math.max(0, deadlineMs - (now - this.since)) : deadlineMs;
  }
}

export interface RetryOutcome extends WriteResult {
  attempts: number;
}

export async function writeWithRetry(
  conn: InfluxHttp,
  target: WriteTarget,
  body: WriteBody,
  opts: {
    gzip?: boolean;
    policy?: Partial<RetryPolicy>;
    signal?: AbortSignal;
    /** The run's outage, shared across batches (a fresh one per call otherwise). */
    outage?: Outage;
    onRetry?: (r: WriteResult, attempt: number, delayMs: number) => void;
  } = {},
): Promise<RetryOutcome> {
  const policy = { ...DEFAULT_RETRY, ...opts.policy };
  const outage = opts.outage ?? new Outage();
  let delay = policy.minDelayMs;
  for (let attempt = 1; ; attempt++) {
    const r = await writeLineProtocol(conn, target, body, { gzip: opts.gzip, signal: opts.signal });
    if (r.ok) outage.landed();
    if (r.ok || !r.retryable || opts.signal?.aborted) return { ...r, attempts: attempt };
    outage.failed(r.error ?? `status ${r.status}`);
    const wait = Math.min(policy.maxDelayMs, r.retryAfterMs ?? delay) * (0.8 + Math.random() * 0.4);
    if (wait > outage.left(policy.deadlineMs)) {
      outage.spent = true;
      return { ...r, attempts: attempt };
    }
    opts.onRetry?.(r, attempt, wait);
    await new Promise((res) => setTimeout(res, wait));
    delay = Math.min(policy.maxDelayMs, delay * 2);
  }
}
