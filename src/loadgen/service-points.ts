// The service's per-request point, written as bytes straight into the writer's batch buffer:
// the series key and field name come from a per-path cache, the latency and the timestamp are
// written digit by digit, so recording a request builds no string and allocates nothing.
import type { BufferedWriter } from '../write/buffered.js';
import { fieldKey, seriesKey } from '../write/line-protocol.js';
import { TIME_ORIGIN, UniqueClock, writeMs } from './clock.js';

/** Paths remembered with their encoded prefix; past this, unusual 404 paths are encoded each time. */
const MAX_CACHED_PATHS = 10_000;
const NUM_REQUESTS = Buffer.from(',num_requests=1 ', 'latin1');
/** Room after the prefix: latency digits (up to 1e15 ms), the fixed field, 19-20 timestamp digits. */
const TAIL_MAX = 20 + NUM_REQUESTS.length + 21;

export interface PointRecorder {
  /** Records one request: `latencyMs` from the request to its response handed to the socket, at `nowMs` (performance.now() time). */
  record(path: string, latencyMs: number, nowMs: number): void;
}

export function pointRecorder(writer: BufferedWriter, measurement: string, host: string): PointRecorder {
  const latencyKey = ` ${fieldKey('latency')}=`;
  const prefixes = new Map<string, Buffer>();
  const clock = new UniqueClock();
  // What the next line holds; `encode` is one function for every request, so nothing is allocated per call.
  let prefix: Buffer = Buffer.alloc(0);
  let latencyMs = 0;
  let atMs = 0;
  const encode = (buf: Buffer, offset: number): number => {
    const p = prefix;
    const n = p.length;
    // Short prefixes are copied byte by byte: cheaper than a native copy call for a few dozen bytes.
    if (n <= 96) for (let i = 0; i < n; i++) buf[offset + i] = p[i]!;
    else p.copy(buf, offset);
    offset = writeMs(buf, offset + n, latencyMs);
    for (let i = 0; i < NUM_REQUESTS.length; i++) buf[offset + i] = NUM_REQUESTS[i]!;
    return clock.write(buf, offset + NUM_REQUESTS.length, atMs);
  };
  return {
    record(path, latency, nowMs) {
      let p = prefixes.get(path);
      if (p === undefined) {
        p = Buffer.from(seriesKey(measurement, { host, url: path }) + latencyKey);
        if (prefixes.size < MAX_CACHED_PATHS) prefixes.set(path, p);
      }
      prefix = p;
      latencyMs = latency;
      atMs = TIME_ORIGIN + nowMs;
      writer.addEncoded(p.length + TAIL_MAX, encode);
    },
  };
}
