// Line-protocol text for exported values. Escaping uses @influxdata/influxdb-client's helpers;
// names with tabs or line breaks get a plain backslash escape instead, because the client's
// helpers write those as "\t"/"\n" sequences that InfluxDB 1.x would keep literally.
import { escape } from '@influxdata/influxdb-client';

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
