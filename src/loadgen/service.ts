// Service A, the sample REST API the monitored set-up runs: GET /api/hello and /api/world,
// Express 4.14's 404 answer for anything else, and for every request a point in `serviceA` with tags
// host and url and fields latency (float ms from the request to the response handed to the
// socket) and num_requests (1, a float as the original sends it). Unlike the original, points are batched and retried by a
// bounded BufferedWriter, the url tag drops the query string, and losses are counted.
import http from 'node:http';
import { hostname } from 'node:os';
import type { InfluxHttp } from '../connection/http.js';
import { BufferedWriter, createDatabaseError, type WriterStats, type WriterStatus } from '../write/buffered.js';
import { pointRecorder } from './service-points.js';
import { note } from '../format/wrap.js';

export interface ServiceOptions {
  host?: string;
  port?: number;
  database?: string;
  retentionPolicy?: string;
  measurement?: string;
  /** false = serve without writing points (--no-metrics). */
  metrics?: boolean;
  batchSize?: number;
  flushIntervalMs?: number;
  maxBufferLines?: number;
  /** Where status messages go (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface ServiceStats {
  served: number;
  points: number;
  writer?: WriterStats;
}

export interface RunningService {
  url: string;
  port: number;
  stats(): ServiceStats;
  /** Stops accepting, lets in-flight requests finish, flushes every point, then resolves. */
  stop(flushTimeoutMs?: number): Promise<ServiceStats>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const ROUTES: Record<string, Buffer> = {
  '/api/hello': Buffer.from(JSON.stringify({ hello: 'world!' })),
  '/api/world': Buffer.from(JSON.stringify({ world: 'Hello!' })),
};

/** The 404 body Express 4.14 sends (finalhandler 0.5): "Cannot GET /path?query" and a newline, HTML-escaped. */
function notFoundBody(method: string, url: string): Buffer {
  const esc = (t: string) => t.replace(/["&'<>]/g, (c) => ({ '"': '&quot;', '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;' })[c]!);
  return Buffer.from(`Cannot ${esc(method)} ${esc(url)}\n`);
}

/** The route a path matches the way Express does by default: case-insensitive, one trailing slash allowed. */
function route(path: string): Buffer | undefined {
  const exact = ROUTES[path];
  if (exact) return exact;
  const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return ROUTES[p.toLowerCase()];
}

export async function startService(conn: InfluxHttp | undefined, o: ServiceOptions = {}): Promise<RunningService> {
  const log = o.log ?? note;
  const metrics = o.metrics !== false && conn !== undefined;
  const database = o.database ?? 'service';
  const measurement = o.measurement ?? 'serviceA';
  let served = 0;
  let points = 0;
  let writer: BufferedWriter | undefined;
  let record: ((path: string, latencyMs: number, nowMs: number) => void) | undefined;

  if (metrics) {
    const onStatus = (e: WriterStatus): void => {
      if (e.kind === 'unavailable') log(`metrics: InfluxDB at ${conn.displayUrl} is unavailable (${e.error}); still serving, buffering up to ${o.maxBufferLines ?? 100_000} points`);
      else if (e.kind === 'recovered') log(`metrics: InfluxDB is back after ${(e.afterMs / 1000).toFixed(1)}s; writing buffered points`);
      else if (e.kind === 'dropped') log(`metrics: dropped ${e.lines} points: ${e.reason}`);
      else log(`metrics: InfluxDB rejected ${e.lines} points: ${e.error}`);
    };
    writer = new BufferedWriter(
      conn,
      { database, retentionPolicy: o.retentionPolicy, precision: 'ns' },
      {
        // 20,000 points per write cost influxd less CPU per point than 5,000 (4.1 vs 4.7 µs, median
        // of 8 interleaved runs each under load), and at ~25k req/s a write still goes every second.
        batchSize: o.batchSize ?? 20_000,
        flushIntervalMs: o.flushIntervalMs ?? 1000,
        maxBufferLines: o.maxBufferLines ?? 100_000,
        onStatus,
      },
    );
    const recorder = pointRecorder(writer, measurement, hostname());
    record = (path, latencyMs, nowMs) => {
      recorder.record(path, latencyMs, nowMs);
      points++;
    };
  }

  // Latency runs from the moment the event loop began handling the input a request arrived with
  // (the first request of this turn of the loop) to the return of res.end (the response handed to
  // the socket). So a request that waited while others of the same turn were served counts its
  // wait, which a timer started at its own 'request' event (HTTP middleware's) would miss.
  let turnStart = -1;
  const endTurn = (): void => {
    turnStart = -1;
  };
  const server = http.createServer((req, res) => {
    if (record && turnStart < 0) {
      turnStart = performance.now();
      setImmediate(endTurn); // the check phase follows the poll phase that read this turn's requests
    }
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    const body = isRead ? route(path) : undefined;
    let payload = body;
    if (!payload) {
      payload = notFoundBody(req.method ?? 'GET', raw);
      res.writeHead(404, { 'X-Powered-By': 'Express', 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': payload.length });
    } else res.writeHead(200, { 'X-Powered-By': 'Express', 'Content-Type': JSON_TYPE, 'Content-Length': payload.length });
    res.end(req.method === 'HEAD' ? undefined : payload);
    served++;
    if (record) {
      const now = performance.now();
      record(path, now - turnStart, now);
    }
    // Drain any request body so keep-alive connections stay usable.
    if (!req.complete) req.resume();
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8080, o.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as { address: string; port: number };
  const shown = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  const url = `http://${shown}:${addr.port}`;

  if (metrics) {
    const error = await createDatabaseError(conn, database);
    if (!error) log(`Service A listening on ${url}; metrics to ${conn.displayUrl} database ${database}, measurement ${measurement}`);
    else log(`Service A listening on ${url}; ${error.replace(/\.$/, '')}; serving anyway, buffering up to ${o.maxBufferLines ?? 100_000} points until it works`);
  } else log(`Service A listening on ${url} (metrics off)`);

  const stats = (): ServiceStats => ({ served, points, writer: writer ? { ...writer.stats, pending: writer.pending } : undefined });
  let stopping: Promise<ServiceStats> | undefined;
  return {
    url,
    port: addr.port,
    stats,
    stop(flushTimeoutMs = 10_000) {
      stopping ??= (async () => {
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        // Busy keep-alive connections get a moment to finish their response, then go.
        const grace = setTimeout(() => server.closeAllConnections(), 1000);
        await closed;
        clearTimeout(grace);
        if (writer) await writer.close(flushTimeoutMs);
        return stats();
      })();
      return stopping;
    },
  };
}
