// `load report` as text: the run's header counts agents and URLs, and the URLs past load's per-URL
// limit, recorded together under one tag, are not counted as one more URL.
import { describe, expect, it } from 'vitest';
import { formatRunReport } from '../../src/loadgen/load-report-text.js';
import type { RunReport, WindowFigures } from '../../src/loadgen/load-report.js';
import { OTHER_URLS, PER_URL_LIMIT } from '../../src/loadgen/load-stats.js';

const figures: WindowFigures = {
  requests: { total: 2, ok: 2, non2xx: 0, errors: 0, timeouts: 0 },
  rps: 2,
  durationS: 1,
  latencyMs: { p50: 0.3, p90: 0.3, p99: 0.3, p999: 0.3, max: 0.3, mean: 0.3, min: 0.3 },
  histogram: '',
};

function report(urls: string[], agents = ['a']): RunReport {
  return {
    ...figures,
    run: 'r1',
    start: '2026-12-06T00:00:00.000Z',
    end: '2026-12-06T00:00:01.000Z',
    points: 1,
    agents: agents.map((agent) => ({ ...figures, agent })),
    perUrl: urls.map((url) => ({ ...figures, url })),
  };
}

describe('formatRunReport', () => {
  it('counts the URLs recorded one by one and says there were others', () => {
    const urls = Array.from({ length: PER_URL_LIMIT }, (_, i) => `http://h/${i}`);
    const text = formatRunReport(report([...urls, OTHER_URLS]));
    expect(text.split('\n')[0]).toBe(`Run r1: 1 agent, ${PER_URL_LIMIT} URLs and others, 2026-12-06T00:00:00.000Z to 2026-12-06T00:00:01.000Z`);
    expect(text).toContain('\n  other URLs (recorded together)\n    Requests:   2 total');
    expect(text).not.toContain(OTHER_URLS);
  });

  it('counts agents and URLs in the singular and the plural', () => {
    expect(formatRunReport(report(['http://h/'])).split('\n')[0]).toMatch(/^Run r1: 1 agent, 1 URL, /);
    expect(formatRunReport(report(['http://h/a', 'http://h/b'], ['a', 'b'])).split('\n')[0]).toMatch(/^Run r1: 2 agents, 2 URLs, /);
  });
});
