// Helpers for tests against the real private influxd of this run.
import { inject } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/influxsh', import.meta.url));

export function influxUrl(): string {
  return inject('influxUrl');
}

export function influxPort(): string {
  return new URL(influxUrl()).port;
}

/** Runs InfluxQL against the test server with curl-free plain HTTP; throws on errors. */
export async function q(query: string, db = ''): Promise<any> {
  const body = new URLSearchParams({ q: query, db });
  const res = await fetch(`${influxUrl()}/query`, { method: 'POST', body });
  const j = (await res.json()) as any;
  const err = j.error ?? j.results?.find((r: any) => r.error)?.error;
  if (err) throw new Error(err);
  return j;
}

export async function write(db: string, lines: string, precision = 'ns'): Promise<void> {
  const res = await fetch(`${influxUrl()}/write?db=${encodeURIComponent(db)}&precision=${precision}`, { method: 'POST', body: lines });
  if (res.status !== 204) throw new Error(`write failed: ${res.status} ${await res.text()}`);
}

/** A database name unique to this test file and call. */
let counter = 0;
export function uniqueDb(prefix: string): string {
  return `${prefix}_${process.pid}_${++counter}`;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs the built influxsh binary against the test server (add `bare: true` to pass no address). */
export function run(args: string[], opts: { input?: string; env?: Record<string, string>; bare?: boolean } = {}): Promise<RunResult> {
  const address = opts.bare ? [] : ['-host', '127.0.0.1', '-port', influxPort()];
  return runCommand(process.execPath, [BIN, ...address, ...args], opts);
}

/** Runs the reference 1.x `influx` binary against the same server. */
export function runReference(args: string[], opts: { input?: string } = {}): Promise<RunResult> {
  return runCommand('influx', ['-port', influxPort(), '-host', '127.0.0.1', ...args], opts);
}

export function runCommand(cmd: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    // A child that exits without reading stdin makes this write fail with EPIPE; that is not an error here.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}
