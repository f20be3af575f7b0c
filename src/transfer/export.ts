// `influxsh export`: writes a database in the import format (DDL, then DML with CONTEXT lines),
// streaming each measurement from a chunked `SELECT * … GROUP BY *` so memory stays flat.
// GROUP BY * hands tags over per series, so tag and field columns can never be confused, and
// SHOW FIELD KEYS gives each field's type so integers keep their `i`.
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { UserError } from '../cli/errors.js';
import { connectionFromOptions, type CliOptions } from '../cli/connect.js';
import type { InfluxHttp } from '../connection/http.js';
import { queryParams, queryValues, requestErrorMessage } from '../query/execute.js';
import { describeFsError } from './input.js';
import type { FieldType } from './lineproto.js';
import { Transcoder } from './transcode.js';

export interface ExportOptions extends CliOptions {
  measurement?: string[];
  start?: string;
  end?: string;
  compressed?: boolean;
  out?: string;
  targetDatabase?: string;
}

const ident = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** --start/--end: nanoseconds since the epoch, an RFC3339 time, or now() arithmetic. */
export function timeBound(flag: string, v: string): string {
  const t = v.trim();
  if (/^-?\d+$/.test(t)) return t;
  if (/^now\(\)(\s*[-+]\s*\d+(ns|u|µ|ms|s|m|h|d|w))?$/.test(t)) return t;
  if (/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?$/.test(t)) return `'${t}'`;
  throw new UserError(`invalid ${flag} "${v}": use an RFC3339 time (2024-01-02T15:04:05Z), nanoseconds since the epoch, or now() - 1h`, 2);
}

/** --chunk-size: rows per chunk of the streamed SELECTs (default 10000, the server's own default). */
export function exportChunkSize(v: string | undefined): number {
  if (v === undefined) return 10000;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UserError(`invalid --chunk-size "${v}": use a whole number of rows, at least 1`, 2);
  return n;
}

/** A writer that waits for 'drain', so a slow disk or pipe throttles the reading side. */
class Out {
  bytes = 0;
  failed: NodeJS.ErrnoException | undefined;
  constructor(private readonly stream: Writable, dest: Writable) {
    const onError = (e: NodeJS.ErrnoException) => (this.failed ??= e);
    stream.on('error', onError);
    if (dest !== stream) dest.on('error', onError);
  }
  async write(s: string | Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    if (!s.length) return;
    this.bytes += typeof s === 'string' ? Buffer.byteLength(s) : s.length;
    if (!this.stream.write(s)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
      if (this.failed) throw this.failed;
    }
  }
}

export async function runExportCommand(o: ExportOptions): Promise<number> {
  if (!o.database) throw new UserError('export needs --database <name>', 2);
  const start = o.start !== undefined ? timeBound('--start', o.start) : undefined;
  const end = o.end !== undefined ? timeBound('--end', o.end) : undefined;
  const chunkSize = exportChunkSize(o.chunkSize);
  const conn = await connectionFromOptions(o);
  const began = Date.now();
  let file: Writable | undefined;
  try {
    const plan = await planExport(conn, o);
    if (o.out) {
      file = createWriteStream(o.out);
      await new Promise<void>((resolve, reject) => {
        file!.once('open', () => resolve());
        file!.once('error', (e) => reject(new UserError(`cannot write ${o.out}: ${describeFsError(e as NodeJS.ErrnoException)}`)));
      });
    }
    const dest = file ?? process.stdout;
    const gzip = o.compressed ? createGzip() : undefined;
    if (gzip) gzip.pipe(dest, { end: !!file });
    const out = new Out(gzip ?? dest, dest);
    const where = [start && `time >= ${start}`, end && `time <= ${end}`].filter(Boolean).join(' AND ');
    let stats;
    try {
      stats = await writeExport(conn, plan, out, where, chunkSize);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // The reader went away (`| head`): stop quietly, as Unix tools do.
      if (code === 'EPIPE' && !file) return 0;
      if (e === out.failed) throw new UserError(`cannot write ${o.out ?? 'stdout'}: ${describeFsError(e as NodeJS.ErrnoException)}`);
      throw e;
    }
    if (gzip) {
      gzip.end();
      await finished(gzip);
    }
    if (file) {
      if (!gzip) file.end();
      await finished(file);
    }
    const secs = (Date.now() - began) / 1000;
    process.stderr.write(`export: ${stats.points} points in ${stats.series} series from ${stats.measurements} measurements, ${(out.bytes / 1e6).toFixed(1)} MB of line protocol in ${secs.toFixed(2)}s\n`);
    return 0;
  } finally {
    conn.close();
  }
}

interface Plan {
  database: string;
  target: string;
  rps: { name: string; duration: string; shardDuration: string; replicaN: string; isDefault: boolean }[];
  measurements: string[];
  /** Measurements named on the command line (not by regex). */
  literal: string[];
}

async function meta(conn: InfluxHttp, q: string, db: string) {
  const r = await queryValues(conn, q, { database: db });
  if (r.error) {
    if (/database not found/.test(r.error)) throw new UserError(`database "${db}" does not exist`);
    throw new UserError(`${q}: ${r.error}`);
  }
  return r.series;
}

async function planExport(conn: InfluxHttp, o: ExportOptions): Promise<Plan> {
  const db = o.database!;
  const rpRows = (await meta(conn, `SHOW RETENTION POLICIES ON ${ident(db)}`, db))[0]?.values ?? [];
  let rps = rpRows.map((r) => ({ name: String(r[0]), duration: String(r[1]), shardDuration: String(r[2]), replicaN: String(r[3]), isDefault: r[4] === true }));
  if (o.retentionPolicy) {
    rps = rps.filter((r) => r.name === o.retentionPolicy);
    if (!rps.length) throw new UserError(`retention policy "${o.retentionPolicy}" does not exist on database "${db}"`);
  }
  const wanted = o.measurement ?? [];
  const names = new Set<string>();
  const listed = async (cond: string) => {
    for (const s of await meta(conn, `SHOW MEASUREMENTS ON ${ident(db)}${cond}`, db)) for (const v of s.values) names.add(String(v[0]));
  };
  if (!wanted.length) await listed('');
  for (const m of wanted) {
    const re = /^\/(.*)\/$/s.exec(m);
    if (re) await listed(` WITH MEASUREMENT =~ /${re[1]}/`);
    else names.add(m);
  }
  const literal = wanted.filter((m) => !/^\/(.*)\/$/s.test(m));
  return { database: db, target: o.targetDatabase ?? db, rps, measurements: [...names].sort(), literal };
}

async function writeExport(conn: InfluxHttp, plan: Plan, out: Out, where: string, chunkSize: number) {
  const stats = { points: 0, series: 0, measurements: 0 };
  const exported = new Set<string>();
  const found = new Set<string>();
  const t = ident(plan.target);
  await out.write(`# DDL\nCREATE DATABASE ${t}\n`);
  for (const rp of plan.rps) {
    await out.write(`CREATE RETENTION POLICY ${ident(rp.name)} ON ${t} DURATION ${rp.duration} REPLICATION ${rp.replicaN} SHARD DURATION ${rp.shardDuration}${rp.isDefault ? ' DEFAULT' : ''}\n`);
  }
  await out.write(`\n# DML\n# CONTEXT-DATABASE: ${plan.target}\n`);
  for (const rp of plan.rps) {
    await out.write(`# CONTEXT-RETENTION-POLICY: ${rp.name}\n`);
    for (const m of plan.measurements) {
      const from = `${ident(plan.database)}.${ident(rp.name)}.${ident(m)}`;
      const types = new Map<string, FieldType>();
      for (const s of await meta(conn, `SHOW FIELD KEYS FROM ${from}`, plan.database)) {
        for (const v of s.values) types.set(String(v[0]), String(v[1]) as FieldType);
      }
      if (!types.size) continue;
      found.add(m);
      const q = `SELECT * FROM ${from}${where ? ` WHERE ${where}` : ''} GROUP BY *`;
      const tc = new Transcoder(m, types);
      for await (const doc of chunkLines(conn, q, plan.database, chunkSize)) {
        let text: Buffer;
        try {
          text = tc.chunk(doc);
        } catch (e) {
          throw new UserError(`${q}: ${(e as Error).message}`);
        }
        await out.write(text);
      }
      stats.points += tc.points;
      stats.series += tc.series;
      if (tc.points) exported.add(m);
    }
  }
  stats.measurements = exported.size;
  for (const m of plan.literal) if (!found.has(m)) process.stderr.write(`export: measurement "${m}" has no fields in ${plan.rps.map((r) => `"${r.name}"`).join(', ')}: nothing exported for it\n`);
  return stats;
}

/** The chunked response of one SELECT, one JSON document (chunk) at a time. */
async function* chunkLines(conn: InfluxHttp, q: string, database: string, chunkSize: number): AsyncGenerator<Buffer> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(queryParams(q, { database, precision: 'ns', chunked: true, chunkSize }))) if (v !== undefined) body.set(k, v);
  const res = await conn.streamLines('/query', {
    method: 'POST',
    body: body.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
  });
  if (res.status !== 200) throw new UserError(`${q}: ${requestErrorMessage(res.status, await res.text())}`);
  for await (const line of res.lines()) if (line.length) yield line;
}
