// RFC 3339 times as the server sends them (UTC, `Z`) shown in a display time zone: the same
// instant with that zone's offset, the fraction's digits kept exactly as sent.
const RFC3339 = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?Z$/;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/**
 * The IANA name a user's zone stands for: `local` is this machine's zone (TZ honoured), `UTC`
 * any spelling of it; anything else must be a zone Intl knows. Throws a one-line error otherwise.
 */
export function resolveTimeZone(name: string): string {
  const n = name.trim();
  if (/^local$/i.test(n)) return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  if (/^(utc|z|gmt|etc\/utc)$/i.test(n)) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: n }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`unknown time zone "${n}": use local, UTC or an IANA name such as Europe/Berlin`);
  }
}

/** Seconds east of UTC that `zone` is at the instant `epochSec` (whole seconds). */
function offsetSeconds(epochSec: number, zone: string): number {
  const parts = formatFor(zone).formatToParts(new Date(epochSec * 1000));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, get('month') - 1, get('day'));
  d.setUTCHours(get('hour'), get('minute'), get('second'), 0);
  return Math.round(d.getTime() / 1000) - epochSec;
}

/**
 * Converts times for one display zone. Offsets are cached per 15-minute span once both ends of
 * the span agree (a zone never changes offset twice within one), so long results stay cheap.
 */
export class ZoneConverter {
  private readonly spans = new Map<number, number>();

  constructor(readonly zone: string) {}

  offsetAt(epochSec: number): number {
    const span = Math.floor(epochSec / 900);
    const cached = this.spans.get(span);
    if (cached !== undefined) return cached;
    const start = offsetSeconds(span * 900, this.zone);
    if (start === offsetSeconds(span * 900 + 899, this.zone)) {
      if (this.spans.size > 4096) this.spans.clear();
      this.spans.set(span, start);
      return start;
    }
    return offsetSeconds(epochSec, this.zone);
  }

  /** `text` in the display zone; text that is not a UTC RFC 3339 time (a tz() result, a number) is kept. */
  convert(text: string): string {
    if (this.zone === 'UTC') return text;
    const m = RFC3339.exec(text);
    if (!m) return text;
    const [, y, mo, d, h, mi, s, frac = ''] = m;
    const t = new Date(0);
    t.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
    t.setUTCHours(Number(h), Number(mi), Number(s), 0);
    const epochSec = t.getTime() / 1000;
    const off = this.offsetAt(epochSec);
    // RFC 3339 offsets have no seconds: a zone's old local mean time (e.g. +00:19:32) stays in UTC.
    if (off % 60 !== 0) return text;
    const local = new Date((epochSec + off) * 1000);
    const year = local.getUTCFullYear();
    const yyyy = year < 0 ? '-' + String(-year).padStart(4, '0') : String(year).padStart(4, '0');
    const sign = off < 0 ? '-' : '+';
    const a = Math.abs(off) / 60;
    return (
      `${yyyy}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}` +
      `${frac}${sign}${two(Math.floor(a / 60))}:${two(a % 60)}`
    );
  }
}

const two = (n: number) => String(n).padStart(2, '0');
