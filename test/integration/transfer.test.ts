// The import pipeline and batch sender against the real server: record boundaries, CONTEXT
// switching, and narrowing a refused batch down to exactly the records at fault.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfluxHttp } from '../../src/connection/http.js';
import { resolveSettings } from '../../src/connection/settings.js';
import { splitRecords } from '../../src/transfer/records.js';
import { Importer, type ImportConfig } from '../../src/transfer/importer.js';
import { openInput } from '../../src/transfer/input.js';
import type { Rejection } from '../../src/transfer/send.js';
import { uniqueDb } from '../helpers/influx.js';
import { privateInflux, type PrivateInflux } from '../e2e/transfer-server.js';

let influx: PrivateInflux;
beforeAll(async () => {
  influx = await privateInflux();
});
afterAll(() => influx?.stop());
const q = (query: string, db?: string) => influx.q(query, db);

function conn(): InfluxHttp {
  return new InfluxHttp(resolveSettings({ url: influx.url }, {}));
}

const base: ImportConfig = { batchLines: 3, batchBytes: 1_000_000, concurrency: 3, pps: 0, strict: false, retry: { deadlineMs: 5000 } };

/** Feeds text in small chunks so lines and records straddle chunk edges. */
function chunks(text: string, size = 7): AsyncIterable<Buffer> {
  const b = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) parts.push(b.subarray(i, i + size));
  return Readable.from(parts);
}

async function runImport(text: string, cfg: Partial<ImportConfig> = {}) {
  const c = conn();
  const rejected: (Rejection & { db?: string; rp?: string })[] = [];
  const ddlErrors: string[] = [];
  const imp = new Importer(
    c,
    { ...base, ...cfg },
    {
      async onRejected(t, r) {
        rejected.push(...r.map((x) => ({ ...x, db: t.database, rp: t.retentionPolicy })));
      },
      onDdlError: (line, stmt, err) => ddlErrors.push(`${line} ${stmt}: ${err}`),
    },
  );
  try {
    const stats = await imp.run(chunks(text));
    rejected.sort((a, b) => a.line - b.line);
    return { stats, rejected, ddlErrors };
  } finally {
    c.close();
  }
}

async function count(db: string, from = 'm'): Promise<number> {
  const r = await q(`SELECT count(*) FROM ${from}`, db);
  const v = r.results[0].series?.[0]?.values?.[0] ?? [];
  return Math.max(0, ...v.slice(1).filter((x: unknown) => typeof x === 'number'));
}

describe('record boundaries', () => {
  it('keeps a string field with newlines in one record and numbers lines from the batch start', () => {
    const body = Buffer.from('a f=1 1\n\n# note\nb s="x\ny # no comment\n" 2\r\nc f=2 3\n');
    const recs = splitRecords(body, 10).map((r) => [r.line, r.text.toString()]);
    expect(recs).toEqual([
      [10, 'a f=1 1'],
      [13, 'b s="x\ny # no comment\n" 2'],
      [16, 'c f=2 3'],
    ]);
  });
});

describe('Importer', () => {
  it('runs DDL, follows CONTEXT lines, and lands every good point across chunk edges', async () => {
    const db = uniqueDb('imp_ctx');
    const db2 = uniqueDb('imp_ctx2');
    const text = [
      '# DDL',
      `CREATE DATABASE ${db}`,
      `CREATE DATABASE ${db2}`,
      `CREATE RETENTION POLICY two ON ${db2} DURATION 0s REPLICATION 1`,
      '# DML',
      `# CONTEXT-DATABASE: ${db}`,
      ...Array.from({ length: 10 }, (_, i) => `m,k=v${i % 3} f=${i} ${i + 1}`),
      'm s="a string\nwith # CONTEXT-DATABASE: elsewhere\ninside" 100',
      `# CONTEXT-DATABASE: ${db2}`,
      '# CONTEXT-RETENTION-POLICY: two',
      ...Array.from({ length: 4 }, (_, i) => `m f=${i} ${i + 1}`),
    ].join('\n');
    const { stats, rejected, ddlErrors } = await runImport(text);
    expect(ddlErrors).toEqual([]);
    expect(rejected).toEqual([]);
    expect(stats).toMatchObject({ read: 15, written: 15, rejected: 0, ddl: 3 });
    expect(await count(db)).toBe(10); // points with f; the string point is checked below
    expect(await count(db2, 'two.m')).toBe(4);
    const s = await q('SELECT s FROM m WHERE time = 100', db);
    expect(s.results[0].series[0].values[0][1]).toBe('a string\nwith # CONTEXT-DATABASE: elsewhere\ninside');
  });

  it('rejects exactly the bad and conflicting lines, by input line number, and writes the rest', async () => {
    const db = uniqueDb('imp_bad');
    await q(`CREATE DATABASE ${db}`);
    const lines = [`# CONTEXT-DATABASE: ${db}`];
    for (let i = 1; i <= 40; i++) {
      if (i % 9 === 0)
        lines.push(`m f="text" ${i}`); // type conflict with the float f
      else if (i % 13 === 0) lines.push(`broken line ${i}`);
      else lines.push(`m f=${i}.5 ${i}`);
    }
    const { stats, rejected } = await runImport(lines.join('\n'), { batchLines: 16 });
    const bad = [9, 18, 27, 36]
      .map((i) => i + 1)
      .concat([13, 26, 39].map((i) => i + 1))
      .sort((a, b) => a - b);
    expect(rejected.map((r) => r.line)).toEqual(bad);
    expect(rejected.find((r) => r.line === 10)!.error).toMatch(/field type conflict/);
    expect(rejected.find((r) => r.line === 14)!.error).toMatch(/unable to parse/);
    expect(rejected.find((r) => r.line === 14)!.text.toString()).toBe('broken line 13');
    expect(stats).toMatchObject({ read: 40, written: 33, rejected: 7 });
    expect(await count(db)).toBe(33);
  });

  it('rejects a whole batch at once when the server dropped every point', async () => {
    const db = uniqueDb('imp_alldrop');
    await q(`CREATE DATABASE ${db}`);
    const first = await runImport(`# CONTEXT-DATABASE: ${db}\nm f=1 1\n`);
    expect(first.stats.written).toBe(1);
    const lines = Array.from({ length: 50 }, (_, i) => `m f="s${i}" ${i + 10}`);
    const { stats, rejected } = await runImport(`# CONTEXT-DATABASE: ${db}\n${lines.join('\n')}\n`, { batchLines: 50 });
    expect(stats).toMatchObject({ read: 50, written: 0, rejected: 50 });
    expect(rejected.map((r) => r.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(rejected[0]!.error).toMatch(/^field type conflict: input field "f" on measurement "m" is type string, already exists as type float$/);
  });

  it('rejects lines for a database that does not exist without losing count', async () => {
    const db = uniqueDb('imp_missing');
    const { stats, rejected } = await runImport(`# CONTEXT-DATABASE: ${db}\nm f=1 1\nm f=2 2\nm f=3 3\nm f=4 4\n`, { batchLines: 2 });
    expect(stats).toMatchObject({ read: 4, written: 0, rejected: 4 });
    expect(rejected.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(rejected[0]!.error).toContain(`database "${db}" does not exist`);
  });

  it('runs statements before "# DML" as DDL even without a "# DDL" header, as 1.x does', async () => {
    const db = uniqueDb('imp_nohdr');
    const { stats } = await runImport(`CREATE DATABASE ${db}\n\n# DML\n# CONTEXT-DATABASE: ${db}\nm f=1 1\n`);
    expect(stats).toMatchObject({ ddl: 1, ddlFailed: 0, read: 1, written: 1 });
  });

  it('stops at the first failed DDL statement with strict, and carries on without it', async () => {
    const db = uniqueDb('imp_strict');
    const text = `# DDL\nCREATE NONSENSE\nCREATE DATABASE ${db}\n# DML\n# CONTEXT-DATABASE: ${db}\nm f=1 1\n`;
    const strict = await runImport(text, { strict: true });
    expect(strict.stats).toMatchObject({ ddl: 1, ddlFailed: 1, read: 0 });
    expect(strict.stats.stoppedAt).toMatch(/line 2: CREATE NONSENSE/);
    const lax = await runImport(text);
    expect(lax.ddlErrors[0]).toMatch(/^2 CREATE NONSENSE: error parsing query/);
    expect(lax.stats).toMatchObject({ ddl: 2, ddlFailed: 1, read: 1, written: 1 });
  });

  it('reuses input chunks only after every batch holding their bytes is done, so nothing is corrupted', async () => {
    const db = uniqueDb('imp_reuse');
    await q(`CREATE DATABASE ${db}`);
    const lines = [`# CONTEXT-DATABASE: ${db}`];
    for (let i = 1; i <= 300; i++) lines.push(i % 50 === 0 ? `broken line ${i}` : `m,k=t${i % 7} f=${i},g=${i * 3}i ${i}`);
    const text = Buffer.from(lines.join('\n') + '\n');
    // A source of fixed-size chunks that scribbles over each chunk the moment it is handed back,
    // as a reused read buffer would be: a batch still using it would send garbage.
    const released = new Set<Buffer>();
    const chunked = (async function* () {
      for (let i = 0; i < text.length; i += 64) {
        const chunk = Buffer.from(text.subarray(i, i + 64));
        yield chunk;
      }
    })();
    const c = conn();
    const rejected: Rejection[] = [];
    const imp = new Importer(
      c,
      { ...base, batchLines: 7, concurrency: 4 },
      {
        async onRejected(_t, r) {
          rejected.push(...r);
        },
        onDdlError: () => undefined,
      },
    );
    let stats;
    try {
      stats = await imp.run(chunked, (chunk) => {
        expect(released.has(chunk)).toBe(false);
        released.add(chunk);
        chunk.fill('#');
      });
    } finally {
      c.close();
    }
    expect(released.size).toBe(Math.ceil(text.length / 64));
    expect(stats).toMatchObject({ read: 300, written: 294, rejected: 6 });
    expect(rejected.map((r) => r.line).sort((a, b) => a - b)).toEqual([51, 101, 151, 201, 251, 301]);
    expect(rejected.map((r) => r.text.toString())).toContain('broken line 150');
    const sum = await q('SELECT count(f), sum(f), sum(g) FROM m', db);
    const good = Array.from({ length: 300 }, (_, i) => i + 1).filter((i) => i % 50 !== 0);
    expect(sum.results[0].series[0].values[0].slice(1)).toEqual([294, good.reduce((a, b) => a + b, 0), good.reduce((a, b) => a + b * 3, 0)]);
  });
});

describe('openInput', () => {
  it('reads a plain file into recycled buffers: every byte once, in order, counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-input-'));
    try {
      const path = join(dir, 'big.lp');
      const data = Buffer.alloc(3 * (1 << 20) + 12345);
      for (let i = 0; i < data.length; i++) data[i] = 97 + ((i * 31) % 26);
      writeFileSync(path, data);
      const input = await openInput(path, false);
      expect(input.gzip).toBe(false);
      expect(input.totalBytes).toBe(data.length);
      const copies: Buffer[] = [];
      const backing = new Set<ArrayBufferLike>();
      for await (const chunk of input.stream) {
        copies.push(Buffer.from(chunk));
        backing.add(chunk.buffer);
        input.release!(chunk);
      }
      expect(Buffer.concat(copies).equals(data)).toBe(true);
      expect(input.bytesRead()).toBe(data.length);
      // Four chunks, but released buffers came back: one read ahead means two are enough.
      expect(copies.length).toBe(4);
      expect(backing.size).toBeLessThan(copies.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
