// Helpers for the traffic tests: run the built binary as a long-lived child and wait for output.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './influx.js';

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves when stderr matches, rejects after the deadline or on exit. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function startBin(args: string[]): Child {
  const proc = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => proc.on('close', (code) => r(code)));
  let done = false;
  void exited.then(() => (done = true));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(re, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = err.match(re);
        if (m) return m;
        if (done) throw new Error(`exited before ${re}: ${err}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

/** Polls `f` until it returns a truthy value or the deadline passes. */
export async function until<T>(f: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Calls `f` no sooner than `ms` of real time from now. A bare setTimeout can fire up to ~1 ms
 * early against performance.now() (libuv starts the timer from the loop's cached clock), which
 * would let a stub "with a 20 ms delay" answer in 19.2 ms and break lower bounds on latency.
 */
export function after(ms: number, f: () => void): void {
  const start = performance.now();
  const check = (): void => {
    const left = start + ms - performance.now();
    if (left <= 0) f();
    else if (left < 1) setImmediate(check);
    else setTimeout(check, left);
  };
  setTimeout(check, ms);
}
