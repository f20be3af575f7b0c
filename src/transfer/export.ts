// `influxsh export`: writes a database in the import format (DDL, then DML with CONTEXT lines),
// streaming each measurement from a chunked `SELECT * … GROUP BY *` so memory stays flat.
// GROUP BY * hands tags over per series, so tag and field columns can never be confused, and
// SHOW FIELD KEYS gives each field's type so integers keep their `i`.
import { closeSync, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { TransferError } from './errors.js';
import type { OutputFile } from '../files/safe-write.js';
import type { InfluxHttp } from '../connection/http.js';
import { queryParams, queryValues, requestErrorMessage } from '../query/execute.js';
import { describeFsError } from './input.js';
import { counted, sizeText } from '../format/words.js';
import type { FieldType } from './lineproto.js';
import { Transcoder } from './transcode.js';

export interface ExportOptions {
  database?: string;
  retentionPolicy?: string;
  measurement?: string[];
  start?: string;
  end?: string;
  compressed?: boolean;
  out?: string;
  /** Replace an existing --out file. */
  force?: boolean;
  targetDatabase?: string;
}

/** What to read: InfluxQL time bounds, and rows per chunk of the streamed SELECTs. */
export interface ExportRange {
  start?: string;
  end?: string;
  chunkSize: number;
}

const ident = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A writer that waits for 'drain', so a slow disk or pipe throttles the reading side. */
class Out {
  bytes = 0;
  failed: NodeJS.ErrnoException | undefined;
  constructor(
    private readonly stream: Writable,
    dest: Writable,
  ) {
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
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- set by the error listener while we waited, which narrowing cannot see
      if (this.failed) throw this.failed;
    }
  }
}

/**
 * Writes the export to `output` (a file opened by the caller, see createOutputFile) or stdout;
 * the range's `start`/`end` are InfluxQL time expressions. The file becomes the real one only when the export
 * finished; otherwise it is discarded.
 */
export async function runExport(conn: InfluxHttp, o: ExportOptions, range: ExportRange, output?: OutputFile): Promise<number> {
  const { start, end, chunkSize } = range;
  const began = Date.now();
  let file: Writable | undefined;
  try {
    const plan = await planExport(conn, o);
    if (output) file = createWriteStream('', { fd: output.fd, autoClose: true });
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
      if (e === out.failed) throw new TransferError(`cannot write ${o.out ?? 'stdout'}: ${describeFsError(e as NodeJS.ErrnoException)}`);
      throw e;
    }
    if (gzip) {
      gzip.end();
      await finished(gzip);
    }
    if (file) {
      if (!gzip) file.end();
      await finished(file);
      try {
        output!.commit();
      } catch (e) {
        throw new TransferError((e as Error).message);
      }
    }
    const secs = (Date.now() - began) / 1000;
    process.stderr.write(
      `export: ${counted(stats.points, 'point')} in ${stats.series} series from ${counted(stats.measurements, 'measurement')}, ${sizeText(out.bytes)} of line protocol in ${secs.toFixed(2)}s\n`,
    );
    return 0;
  } finally {
    if (output && !file) closeSync(output.fd);
    else if (file && !file.closed) file.destroy();
    output?.discard();
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
    if (/database not found/.test(r.error)) throw new TransferError(`database "${db}" does not exist`);
    throw new TransferError(`${q}: ${r.error}`);
  }
  return r.series;
}

async function planExport(conn: InfluxHttp, o: ExportOptions): Promise<Plan> {
  const db = o.database!;
  const rpRows = (await meta(conn, `SHOW RETENTION POLICIES ON ${ident(db)}`, db))[0]?.values ?? [];
  let rps = rpRows.map((r) => ({ name: String(r[0]), duration: String(r[1]), shardDuration: String(r[2]), replicaN: String(r[3]), isDefault: r[4] === true }));
  if (o.retentionPolicy) {
    rps = rps.filter((r) => r.name === o.retentionPolicy);
    if (!rps.length) throw new TransferError(`retention policy "${o.retentionPolicy}" does not exist on database "${db}"`);
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
          throw new TransferError(`${q}: ${(e as Error).message}`);
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
  if (res.status !== 200) throw new TransferError(`${q}: ${requestErrorMessage(res.status, await res.text())}`);
  for await (const line of res.lines()) if (line.length) yield line;
}
