// Sends one batch until it lands, the server rejects it for good, or the deadline passes.
// Network errors, 5xx, 429 and a restarting server are retried with capped exponential backoff
// and jitter (Retry-After honoured); 4xx answers are final. Shared by import, service, collect.
import type { InfluxHttp } from '../connection/http.js';
import { writeLineProtocol, type WriteBody, type WriteResult, type WriteTarget } from './write.js';

export interface RetryPolicy {
  /** Give up after this long since the first attempt (ms). */
  deadlineMs: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { deadlineMs: 5 * 60_000, minDelayMs: 100, maxDelayMs: 5_000 };

export interface RetryOutcome extends WriteResult {
  attempts: number;
}

export async function writeWithRetry(
  conn: InfluxHttp,
  target: WriteTarget,
  body: WriteBody,
  opts: { gzip?: boolean; policy?: Partial<RetryPolicy>; signal?: AbortSignal; onRetry?: (r: WriteResult, attempt: number, delayMs: number) => void } = {},
): Promise<RetryOutcome> {
  const policy = { ...DEFAULT_RETRY, ...opts.policy };
  const started = Date.now();
  let delay = policy.minDelayMs;
  for (let attempt = 1; ; attempt++) {
    const r = await writeLineProtocol(conn, target, body, { gzip: opts.gzip, signal: opts.signal });
    if (r.ok || !r.retryable || opts.signal?.aborted) return { ...r, attempts: attempt };
    const wait = Math.min(policy.maxDelayMs, r.retryAfterMs ?? delay) * (0.8 + Math.random() * 0.4);
    if (Date.now() + wait - started > policy.deadlineMs) return { ...r, attempts: attempt };
    opts.onRetry?.(r, attempt, wait);
    await new Promise((res) => setTimeout(res, wait));
    delay = Math.min(policy.maxDelayMs, delay * 2);
  }
}
