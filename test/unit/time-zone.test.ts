import { describe, expect, it } from 'vitest';
import { resolveTimeZone, ZoneConverter } from '../../src/query/time-zone.js';

describe('times in a display time zone', () => {
  it.each([
    // [zone, server's UTC text, shown]
    ['UTC', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'],
    ['Europe/Berlin', '2024-01-01T00:00:00Z', '2024-01-01T01:00:00+01:00'],
    ['Europe/Berlin', '2024-07-01T00:00:00Z', '2024-07-01T02:00:00+02:00'],
    // Sub-second digits are kept exactly as the server sent them, trailing zeros trimmed or not.
    ['Europe/Berlin', '2024-01-01T00:00:00.123456789Z', '2024-01-01T01:00:00.123456789+01:00'],
    ['Asia/Tokyo', '2023-11-14T22:13:20.5Z', '2023-11-15T07:13:20.5+09:00'],
    ['Asia/Kolkata', '2024-03-01T12:00:00.000000001Z', '2024-03-01T17:30:00.000000001+05:30'],
    // DST in Berlin, 2024-03-31: 01:00Z is 03:00 CEST; one nanosecond before is 01:59:59.999999999 CET.
    ['Europe/Berlin', '2024-03-31T00:59:59.999999999Z', '2024-03-31T01:59:59.999999999+01:00'],
    ['Europe/Berlin', '2024-03-31T01:00:00Z', '2024-03-31T03:00:00+02:00'],
    // Back on 2024-10-27: 02:30 local happens twice, told apart by the offset.
    ['Europe/Berlin', '2024-10-27T00:30:00Z', '2024-10-27T02:30:00+02:00'],
    ['Europe/Berlin', '2024-10-27T01:30:00Z', '2024-10-27T02:30:00+01:00'],
    // New York, 2024-03-10 07:00Z: 02:00 EST becomes 03:00 EDT.
    ['America/New_York', '2024-03-10T06:59:59Z', '2024-03-10T01:59:59-05:00'],
    ['America/New_York', '2024-03-10T07:00:00Z', '2024-03-10T03:00:00-04:00'],
    // Before 1970 (negative epochs) and across a day and year boundary.
    ['America/New_York', '1969-12-31T23:59:59.5Z', '1969-12-31T18:59:59.5-05:00'],
    ['Asia/Tokyo', '1677-09-21T00:12:43.145224192Z', '1677-09-21T09:31:42.145224192+09:18'],
    ['Pacific/Auckland', '1999-12-31T11:00:00Z', '2000-01-01T00:00:00+13:00'],
    // Not a UTC RFC 3339 time: kept (a tz() result with its own offset, an epoch).
    ['Europe/Berlin', '2024-01-01T00:00:00-05:00', '2024-01-01T00:00:00-05:00'],
    ['Europe/Berlin', '1704067200000000000', '1704067200000000000'],
  ])('%s %s', (zone, text, shown) => {
    const c = new ZoneConverter(resolveTimeZone(zone));
    if (zone === 'Asia/Tokyo' && text.startsWith('1677')) {
      // Tokyo's local mean time (+09:18:59) has seconds an RFC 3339 offset cannot carry: kept in UTC.
      expect(c.convert(text)).toBe(text);
      return;
    }
    expect(c.convert(text)).toBe(shown);
  });

  it('gives the same answers from its cache as computed one by one, across a transition', () => {
    const c = new ZoneConverter('Europe/Berlin');
    const start = Date.UTC(2024, 2, 31, 0, 0, 0) / 1000;
    for (let s = start; s < start + 7200; s += 59) {
      const text = new Date(s * 1000).toISOString().replace('.000Z', 'Z');
      const fresh = new ZoneConverter('Europe/Berlin').convert(text);
      expect(c.convert(text)).toBe(fresh);
      expect(Date.parse(fresh)).toBe(s * 1000);
    }
  });

  it('resolves local, UTC and IANA names and rejects others in one line', () => {
    expect(resolveTimeZone('utc')).toBe('UTC');
    expect(resolveTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('local')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => resolveTimeZone('Mars/Olympus')).toThrow(/^unknown time zone "Mars\/Olympus": use local, UTC or an IANA name/);
  });
});
