// Counts and sizes in summaries read right for one, many and tiny amounts.
import { describe, expect, it } from 'vitest';
import { counted, sizeText } from '../../src/format/words.js';
import { formatLoadReport } from '../../src/loadgen/report.js';
import type { LoadReport } from '../../src/loadgen/load-stats.js';
import { statusText } from '../../src/ui/status-line.js';

describe('counted and sizeText', () => {
  it('uses the singular for exactly one', () => {
    expect(counted(1, 'measurement')).toBe('1 measurement');
    expect(counted(0, 'measurement')).toBe('0 measurements');
    expect(counted(2, 'DDL statement')).toBe('2 DDL statements');
    expect(counted(1, 'series', 'series')).toBe('1 series');
    expect(counted(12_345, 'row', undefined, (n) => n.toLocaleString('en-US'))).toBe('12,345 rows');
  });
  it('shows tiny sizes in bytes or KB, never 0.0 MB', () => {
    expect(sizeText(1)).toBe('1 byte');
    expect(sizeText(412)).toBe('412 bytes');
    expect(sizeText(4_120)).toBe('4.1 KB');
    expect(sizeText(12_500_000)).toBe('12.5 MB');
  });
});

describe('counts of one elsewhere', () => {
  const latency = { p50: 0.1, p90: 0.1, p99: 0.1, p999: 0.1, max: 0.1, mean: 0.1, min: 0.1 };
  const report = (connections: number, errors: number, timeouts: number): LoadReport => ({
    rps: 1,
    durationS: 1,
    model: 'closed',
    connections,
    workers: 1,
    timeoutMs: 0,
    connectMs: 1,
    connectedAtStart: connections,
    targets: ['http://127.0.0.1:8080/'],
    requests: { total: 3, ok: 3 - errors - timeouts, non2xx: 0, errors, timeouts },
    latencyMs: latency,
    perUrl: [],
    statusCodes: {},
    errorKinds: {},
    bytesRead: 0,
    interrupted: false,
  });

  it("load's report says 1 connection, 1 error, 1 timeout (load -c 1 said '1 connections')", () => {
    const one = formatLoadReport(report(1, 1, 1));
    expect(one).toMatch(/^ {2}1 connection, connected in/m);
    expect(one).toMatch(/1 error, 1 timeout$/m);
    const many = formatLoadReport(report(2, 0, 2));
    expect(many).toMatch(/^ {2}2 connections, connected in/m);
    expect(many).toMatch(/0 errors, 2 timeouts$/m);
  });

  it("the shell's status line says 1 row, and 12,345 rows", () => {
    const p = { startedAt: 0, at: 1000, series: 1, rows: 1, cancelling: false };
    expect(statusText(p)).toMatch(/· 1 series · 1 row · Ctrl-C cancels$/);
    expect(statusText({ ...p, rows: 12_345 })).toMatch(/· 12,345 rows · /);
  });
});
