// LoadRun in-process against stub targets: what the live view is told before measuring starts,
// and reconnecting after Connection: close without a timer hop per request.
import { afterEach, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadRun } from '../../src/loadgen/load.js';
import { buildTargets } from '../../src/loadgen/targets.js';
import { progressLine } from '../../src/loadgen/report.js';

async function stub(headers: Record<string, string> = {}): Promise<{ url: string; server: http.Server; connections: () => number }> {
  let conns = 0;
  const server = http.createServer((_req, res) => (res.writeHead(200, headers), res.end('ok')));
  server.on('connection', () => conns++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, connections: () => conns };
}

afterEach(() => vi.restoreAllMocks());

describe('LoadRun', () => {
  it('tells the live view it is connecting, not warming up, until measuring starts (no --warmup)', async () => {
    const s = await stub();
    try {
      const run = new LoadRun({ targets: buildTargets([s.url]), connections: 3, requests: 50, timeoutMs: 5000 });
      // The live view polls before run() has connected anything.
      expect(run.snapshot().phase).toBe('starting');
      expect(progressLine(run.snapshot())).toBe('connecting… 0/3');
      const seen = new Set<string>();
      const done = run.run();
      const poll = setInterval(() => seen.add(run.snapshot().phase), 1);
      const report = await done;
      clearInterval(poll);
      expect(seen.has('warmup')).toBe(false);
      expect(report.requests.ok).toBe(50);
      const warm = new LoadRun({ targets: buildTargets([s.url]), connections: 2, durationMs: 200, warmupMs: 300, timeoutMs: 5000 });
      const w = warm.run();
      await vi.waitFor(() => expect(warm.snapshot().phase).toBe('warmup'), { timeout: 2000, interval: 5 });
      expect(progressLine(warm.snapshot())).toBe('warming up…');
      await w;
    } finally {
      s.server.close();
    }
  });

  it('opens the next connection at once after Connection: close, without a timer per request', async () => {
    const s = await stub({ Connection: 'close' });
    try {
      const timers = vi.spyOn(globalThis, 'setTimeout');
      const report = await new LoadRun({ targets: buildTargets([s.url]), connections: 2, requests: 400, timeoutMs: 5000 }).run();
      expect(report.requests.ok).toBe(400);
      expect(s.connections()).toBeGreaterThanOrEqual(400);
      // A handful for the run itself (connect deadline); not one per reconnect.
      expect(timers.mock.calls.length).toBeLessThan(20);
    } finally {
      s.server.closeAllConnections();
      s.server.close();
    }
  });
});
