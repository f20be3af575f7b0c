// Line-protocol text for exported values. Escaping uses @influxdata/influxdb-client's helpers;
// names with tabs or line breaks get a plain backslash escape instead, because the client's
// helpers write those as "\t"/"\n" sequences that InfluxDB 1.x would keep literally.
import { escape } from '@influxdata/influxdb-client';
import { isBigInt, untag } from '../query/lossless.js';

const CONTROL = /[\t\r\n]/;

export function measurementText(name: string): string {
  return CONTROL.test(name) ? name.replace(/[, \\]/g, (c) => (c === '\\' ? c : '\\' + c)) : escape.measurement(name);
}

/** Tag keys, tag values and field keys. */
export function keyText(name: string): string {
  return CONTROL.test(name) ? name.replace(/[,= ]/g, '\\$&') : escape.tag(name);
}

/** `measurement,tag=v,…` with tags sorted by key (InfluxDB's own order); empty tag values dropped. */
export function seriesKey(measurement: string, tags: Record<string, string> | undefined): string {
  let key = measurementText(measurement);
  if (tags) {
    for (const k of Object.keys(tags).sort()) {
      const v = tags[k];
      if (v !== undefined && v !== null && v !== '') key += `,${keyText(k)}=${keyText(v)}`;
    }
  }
  return key;
}

export type FieldType = 'float' | 'integer' | 'unsigned' | 'string' | 'boolean';

/** A field value as line protocol, or undefined for null. The declared type wins for numbers. */
export function fieldValue(v: unknown, type: FieldType | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string' && !isBigInt(v)) return escape.quoted(v);
  const digits = typeof v === 'string' ? untag(v) : String(v);
  if (type === 'integer') return digits + 'i';
  if (type === 'unsigned') return digits + 'u';
  if (type === 'string') return escape.quoted(digits);
  if (type === 'boolean') return digits === '0' ? 'false' : 'true';
  return digits;
}

/** A timestamp cell (epoch=ns) as digits. */
export function timeText(v: unknown): string {
  return typeof v === 'string' ? untag(v) : String(v);
}

export type FieldFormatter = (v: unknown) => string | undefined;

/** fieldValue specialised for one declared type, with a fast path for the common JSON shape. */
export function fieldFormatter(type: FieldType | undefined): FieldFormatter {
  switch (type) {
    case 'float':
      return (v) => (typeof v === 'number' ? '' + v : fieldValue(v, type));
    case 'integer':
      return (v) => (typeof v === 'number' ? v + 'i' : fieldValue(v, type));
    case 'boolean':
      return (v) => (v === true ? 'true' : v === false ? 'false' : fieldValue(v, type));
    default:
      return (v) => fieldValue(v, type);
  }
}
