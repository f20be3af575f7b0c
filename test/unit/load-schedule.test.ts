// The open model's schedule: due times at a constant rate and along --stages ramps.
import { describe, expect, it } from 'vitest';
import { RateSchedule, parseStages, stageValue, stagesLength } from '../../src/loadgen/load-schedule.js';
import { parseDuration } from '../../src/connection/settings.js';

describe('RateSchedule', () => {
  it('spaces requests 1/rate apart at a constant rate', () => {
    const s = new RateSchedule(200);
    s.restart(1000);
    expect(s.at(0)).toBe(1000);
    expect(s.at(10)).toBeCloseTo(1050, 9);
    expect(s.dueBy(1050)).toBe(11);
    expect(s.requestsIn(2000)).toBe(400);
  });

  it('follows a ramp: 0 → 100/s over 2 s holds 100 requests, the 50th due at √2 s', () => {
    const s = new RateSchedule(0, [
      { ms: 2000, target: 100 },
      { ms: 1000, target: 100 },
      { ms: 1000, target: 0 },
    ]);
    s.restart(0);
    expect(s.requestsIn(2000)).toBe(100);
    expect(s.requestsIn(4000)).toBe(100 + 100 + 50);
    expect(s.at(50)).toBeCloseTo(Math.SQRT2 * 1000, 3);
    expect(s.at(150)).toBeCloseTo(2500, 3);
    // On the way down (100 → 0 over the last second, 50 requests), 25 remain where 50·(1-τ)² = 25.
    expect(s.at(225)).toBeCloseTo(3000 + (1 - Math.SQRT1_2) * 1000, 3);
    expect(s.dueBy(2500)).toBe(151);
  });
});

describe('stages', () => {
  it('parses duration:target lists and interpolates between targets', () => {
    const st = parseStages('30s:100,1m:500,30s:0', parseDuration)!;
    expect(st).toEqual([
      { ms: 30_000, target: 100 },
      { ms: 60_000, target: 500 },
      { ms: 30_000, target: 0 },
    ]);
    expect(stagesLength(st)).toBe(120_000);
    expect(stageValue(st, 0, 15_000)).toBe(50);
    expect(stageValue(st, 0, 60_000)).toBe(300);
    expect(stageValue(st, 0, 200_000)).toBe(0);
    expect(parseStages('30s', parseDuration)).toBeUndefined();
    expect(parseStages('0s:10', parseDuration)).toBeUndefined();
    expect(parseStages('10s:-5', parseDuration)).toBeUndefined();
  });
});
