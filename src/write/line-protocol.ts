// Line protocol for every point influxsh makes up itself (service, simulate, collect, load
// --record): names and tag values escaped by @influxdata/influxdb-client's `escape`, values
// formatted here. Not the client's Point: it cannot write the int64 extremes (its intField
// goes through a JS number and refuses ±2^63), drops empty tag values silently, and sorts
// fields. The service and simulate build series keys here once and write per-point digits
// themselves (docs/benchmarks.md says why).
import { escape } from '@influxdata/influxdb-client';

/** A value that cannot be written as line protocol (NaN, ±Infinity, an integer out of int64). */
export class LineProtocolError extends Error {
  override name = 'LineProtocolError';
}

/** number: float; {int}: integer (bigint for the whole int64 range); string; boolean. */
export type FieldValue = number | { int: number | bigint } | string | boolean;

export type Tags = Record<string, string>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const byKey = ([a]: [string, string], [b]: [string, string]): number => (a < b ? -1 : a > b ? 1 : 0);

/** `measurement,k=v,…` with the tags sorted by key, as InfluxDB stores the series key. */
export function seriesKey(measurement: string, tags: Tags = {}): string {
  let out = escape.measurement(measurement);
  for (const [k, v] of Object.entries(tags).sort(byKey)) out += `,${escape.tag(k)}=${escape.tag(v)}`;
  return out;
}

/** A field key (escaped like a tag key). */
export const fieldKey = (name: string): string => escape.tag(name);

/** One field value as line protocol; throws LineProtocolError for what InfluxDB cannot store. */
export function fieldValue(name: string, v: FieldValue): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new LineProtocolError(`field "${name}" is ${v}: line protocol has no NaN or infinity`);
    return String(v);
  }
  if (typeof v === 'string') return escape.quoted(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const n = v.int;
  if (typeof n === 'bigint' ? n < INT64_MIN || n > INT64_MAX : !Number.isInteger(n) || Math.abs(n) >= 2 ** 63) {
    throw new LineProtocolError(`field "${name}" is ${String(n)}: not an int64`);
  }
  // Past 2^53 String() rounds the digits (2^62 -> …388000); BigInt writes the number's exact value.
  return typeof n === 'number' && !Number.isSafeInteger(n) ? `${BigInt(n)}i` : `${n}i`;
}

/** `k=v,k=v` in the order given. */
export function fieldSet(fields: Record<string, FieldValue>): string {
  let out = '';
  for (const [k, v] of Object.entries(fields)) out += `${out ? ',' : ''}${fieldKey(k)}=${fieldValue(k, v)}`;
  return out;
}

/** Leaves out float fields that are NaN or infinite, as Telegraf's serializer does. */
export function finiteFields<F extends Record<string, FieldValue>>(fields: F): F {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => typeof v !== 'number' || Number.isFinite(v))) as F;
}

/** One whole line (no newline); `time` in the write's precision, or none for the server's clock. */
export function pointLine(measurement: string, tags: Tags, fields: Record<string, FieldValue>, time?: number | bigint | string): string {
  const line = `${seriesKey(measurement, tags)} ${fieldSet(fields)}`;
  return time === undefined ? line : `${line} ${time}`;
}
