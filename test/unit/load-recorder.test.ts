// The load recorder's counts: status codes (counted in runs of equal codes), ok and non-2xx, per URL.
import { describe, expect, it } from 'vitest';
import { LoadRecorder } from '../../src/loadgen/load-recorder.js';
import { buildTargets } from '../../src/loadgen/targets.js';

describe('LoadRecorder', () => {
  it('counts every status code, whatever their order, and forgets them on reset', () => {
    const targets = buildTargets(['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'], { method: 'GET', headers: [] });
    const rec = new LoadRecorder(targets);
    const [a, b] = targets.map((t) => rec.statsFor(t));
    const codes = [200, 200, 404, 200, 500, 500, 200];
    codes.forEach((s, i) => rec.response(i % 2 ? b! : a!, 100 + i, s));
    const f = rec.figures();
    expect(f.statusCodes).toEqual({ '200': 4, '404': 1, '500': 2 });
    expect(f.requests).toMatchObject({ total: 7, ok: 4, non2xx: 3 });
    expect(f.perUrl.map((u) => u.requests.total)).toEqual([4, 3]);
    rec.response(a!, 50, 201);
    expect(rec.figures().statusCodes).toEqual({ '200': 4, '201': 1, '404': 1, '500': 2 });
    rec.reset(0);
    rec.response(a!, 50, 302);
    expect(rec.figures().statusCodes).toEqual({ '302': 1 });
  });
});
