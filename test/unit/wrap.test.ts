// Text fitted to a terminal's width: report lines broken between words, continuation lines under
// the value, pairs set apart with two blanks kept whole; nothing changes off a terminal.
import { describe, expect, it } from 'vitest';
import { fitLines, forTerminal } from '../../src/format/wrap.js';

const REPORT = [
  'Load test of http://127.0.0.1:18181/',
  "  closed model: latency is each request's service time, send to response (as wrk reports it without its correction)",
  '  10 connections on 2 threads, connected in 1.8 ms before measuring; timeout 10.0 s',
  '  Requests:   143,757 total, 143,757 2xx, 0 non-2xx, 0 errors, 0 timeouts',
  '  Latency ms: p50 0.204  p90 0.415  p99 1.378  p99.9 4.347  max 29.993  mean 0.278',
  '  Status:     200 × 143,757',
].join('\n');

describe('fitLines', () => {
  it('breaks long lines between words, under the value of a labelled line, and leaves short ones', () => {
    expect(fitLines(REPORT, 80).split('\n')).toEqual([
      'Load test of http://127.0.0.1:18181/',
      "  closed model: latency is each request's service time, send to response (as wrk",
      '                reports it without its correction)',
      '  10 connections on 2 threads, connected in 1.8 ms before measuring; timeout',
      '    10.0 s',
      '  Requests:   143,757 total, 143,757 2xx, 0 non-2xx, 0 errors, 0 timeouts',
      '  Latency ms: p50 0.204  p90 0.415  p99 1.378  p99.9 4.347  max 29.993',
      '              mean 0.278',
      '  Status:     200 × 143,757',
    ]);
    for (const width of [40, 50, 60, 80, 100]) {
      const lines = fitLines(REPORT, width).split('\n');
      for (const l of lines) expect(l.length, `${width}: ${l}`).toBeLessThanOrEqual(width);
      // Nothing is lost or reordered: the words read the same.
      expect(lines.join(' ').split(/\s+/).join(' ')).toBe(REPORT.split(/\s+/).join(' '));
    }
  });

  it('keeps a unit with its number', () => {
    const line = '  2 connections on 2 threads, connected in 1.6 ms before measuring; timeout 10.0 s';
    expect(fitLines(line, 80).split('\n')).toEqual(['  2 connections on 2 threads, connected in 1.6 ms before measuring; timeout', '    10.0 s']);
    expect(fitLines('  Throughput: 1,899.0 req/s over 2.00s, 467.3 KB read', 32).split('\n')).toEqual(['  Throughput: 1,899.0 req/s over', '              2.00s, 467.3 KB', '              read']);
  });

  it('keeps a word longer than its room whole, and does not take prose for a label', () => {
    expect(fitLines('  see https://example.com/a/very/long/path/that/does/not/fit', 20)).toBe('  see\n    https://example.com/a/very/long/path/that/does/not/fit');
    expect(fitLines('Opening the shell now. Traffic keeps flowing: traffic off pauses it', 40)).toBe('Opening the shell now. Traffic keeps\n  flowing: traffic off pauses it');
  });

  it('changes nothing for output that is not a terminal', () => {
    expect(forTerminal(REPORT, { isTTY: false, columns: 40 })).toBe(REPORT);
    expect(forTerminal(REPORT, {})).toBe(REPORT);
    expect(forTerminal(REPORT, { isTTY: true, columns: 80 })).toBe(fitLines(REPORT, 80));
  });
});
