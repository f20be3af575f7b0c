// MetadataCache against the real private influxd: the snapshot it loads, on-demand tag values,
// coalesced refreshes, errors kept instead of thrown, and completion fed by what it loaded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxHttp } from '../../src/connection/http.js';
import { resolveSettings } from '../../src/connection/settings.js';
import { complete } from '../../src/shell/completion.js';
import { commands } from '../../src/cli/registry.js';
import { MetadataCache, tagValuesKey, type MetadataSource } from '../../src/shell/metadata.js';
import { influxUrl, q, uniqueDb, write } from '../helpers/influx.js';

const db = uniqueDb('meta');
const other = uniqueDb('meta other');
let conn: InfluxHttp;

beforeAll(async () => {
  conn = new InfluxHttp(resolveSettings({ url: influxUrl() }, {}));
  await q(`CREATE DATABASE "${db}"`);
  await q(`CREATE RETENTION POLICY "one week" ON "${db}" DURATION 7d REPLICATION 1`);
  await q(`CREATE DATABASE "${other}"`);
  await write(
    db,
    [
      'cpu,host=server-01,region=eu usage_idle=90.5,usage_user=3i 1000000000',
      'cpu,host=server-02,region=us usage_idle=80 2000000000',
      'cpu,host=o\\ brien usage_idle=1 3000000000',
      'net\\ io,iface=eth0 rx=1i,up=true,name="x" 1000000000',
    ].join('\n'),
  );
  await write(other, 'disk,path=/var free=1i 1000000000');
});

afterAll(async () => {
  await q(`DROP DATABASE "${db}"`);
  await q(`DROP DATABASE "${other}"`);
});

/** Waits for a condition with a deadline (no sleeps as synchronisation). */
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('MetadataCache', () => {
  it('loads databases, retention policies, measurements, field keys and tag keys of the current database', async () => {
    const source: MetadataSource = { conn, database: db };
    let changes = 0;
    const cache = new MetadataCache(source, { onChange: () => changes++ });
    expect(cache.snapshot().databases).toEqual([]);
    await cache.refresh('startup');
    const s = cache.snapshot();
    expect(s.lastError).toBeUndefined();
    expect(s.refreshing).toBe(false);
    expect(changes).toBeGreaterThanOrEqual(2);
    expect(s.database).toBe(db);
    expect(s.databases).toEqual(expect.arrayContaining([db, other]));
    expect(s.retentionPolicies[db]!.map((r) => r.name).sort()).toEqual(['autogen', 'one week']);
    expect(s.retentionPolicies[db]!.find((r) => r.name === 'autogen')!.isDefault).toBe(true);
    expect(s.measurements[db]).toEqual(['cpu', 'net io']);
    expect(s.fieldKeys[db]!.cpu).toEqual([
      { name: 'usage_idle', type: 'float' },
      { name: 'usage_user', type: 'integer' },
    ]);
    expect(s.fieldKeys[db]!['net io']!.map((f) => `${f.name}:${f.type}`)).toEqual(['name:string', 'rx:integer', 'up:boolean']);
    expect(s.tagKeys[db]!.cpu).toEqual(['host', 'region']);
    // Other databases' schema is loaded on demand only.
    expect(s.measurements[other]).toBeUndefined();
  });

  it('completes measurements, fields, tag keys and (after fetching) tag values from what it loaded', async () => {
    const cache = new MetadataCache({ conn, database: db });
    await cache.refresh('startup');
    expect(complete('SELECT * FROM ', 14, cache.snapshot(), commands).candidates.map((c) => c.value)).toEqual(['cpu', '"net io"']);
    expect(
      complete('SELECT  FROM cpu', 7, cache.snapshot(), commands)
        .candidates.slice(0, 2)
        .map((c) => c.value),
    ).toEqual(['usage_idle', 'usage_user']);
    expect(
      complete('SELECT * FROM cpu WHERE ', 24, cache.snapshot(), commands)
        .candidates.slice(0, 2)
        .map((c) => c.value),
    ).toEqual(['host', 'region']);

    const text = "SELECT * FROM cpu WHERE host = '";
    const first = complete(text, text.length, cache.snapshot(), commands);
    expect(first.candidates).toEqual([]);
    expect(first.fetch).toEqual({ type: 'tag-values', db, rp: '', measurement: 'cpu', key: 'host' });
    await cache.ensure(first.fetch!);
    const second = complete(text, text.length, cache.snapshot(), commands);
    expect(second.candidates.map((c) => c.value)).toEqual(["'o brien'", "'server-01'", "'server-02'"]);
  });

  it('fetches tag values once, caps them, and caches them per db.rp.measurement.key', async () => {
    const cache = new MetadataCache({ conn, database: db }, { tagValueLimit: 2 });
    const [a, b] = await Promise.all([cache.ensureTagValues(db, '', 'cpu', 'host'), cache.ensureTagValues(db, '', 'cpu', 'host')]);
    expect(a).toEqual(['o brien', 'server-01']);
    expect(b).toBe(a);
    expect(cache.snapshot().tagValues[tagValuesKey(db, '', 'cpu', 'host')]).toEqual(a);
    expect(await cache.ensureTagValues(db, 'autogen', 'cpu', 'region')).toEqual(['eu', 'us']);
    expect(await cache.ensureTagValues(db, '', 'nosuch', 'host')).toEqual([]);
  });

  it('loads another database named in FROM on demand', async () => {
    const cache = new MetadataCache({ conn, database: db });
    await cache.refresh('startup');
    const text = `SELECT * FROM "${other}".autogen.`;
    const c = complete(text, text.length, cache.snapshot(), commands);
    expect(c.fetch).toEqual({ type: 'database', db: other });
    await cache.ensure(c.fetch!);
    expect(complete(text, text.length, cache.snapshot(), commands).candidates.map((x) => x.value)).toEqual(['disk']);
  });

  it('follows use and CREATE/DROP with refresh, coalescing requests made mid-refresh', async () => {
    const source: MetadataSource = { conn, database: db };
    const cache = new MetadataCache(source);
    const first = cache.refresh('startup');
    expect(cache.refreshing).toBe(true);
    // A change lands while the first refresh runs: the refresh that follows must see it.
    const created = uniqueDb('meta new');
    await q(`CREATE DATABASE "${created}"`);
    try {
      const second = cache.refresh('CREATE DATABASE');
      source.database = other;
      const third = cache.refresh('use');
      await Promise.all([first, second, third]);
      const s = cache.snapshot();
      expect(s.databases).toContain(created);
      expect(s.database).toBe(other);
      expect(s.measurements[other]).toEqual(['disk']);
      expect(cache.refreshing).toBe(false);
      expect(cache.reason).toBe('use');
    } finally {
      await q(`DROP DATABASE "${created}"`);
    }
    await cache.refresh('DROP DATABASE');
    expect(cache.snapshot().databases).not.toContain(created);
  });

  it('keeps errors as lastError and its old data when the server is gone', async () => {
    const source: MetadataSource = { conn, database: db };
    const cache = new MetadataCache(source);
    await cache.refresh('startup');
    expect(cache.snapshot().measurements[db]).toEqual(['cpu', 'net io']);
    // A port nothing listens on (the test server's port + 1 is not guaranteed free, so use 1).
    source.conn = new InfluxHttp(resolveSettings({ url: 'http://127.0.0.1:1' }, {}));
    await expect(cache.refresh('connect')).resolves.toBeUndefined();
    const s = cache.snapshot();
    expect(s.lastError).toMatch(/\S/);
    expect(cache.lastError).toBe(s.lastError);
    expect(s.measurements[db]).toEqual(['cpu', 'net io']);
    await expect(cache.ensureTagValues(db, '', 'cpu', 'host')).resolves.toEqual([]);
    await expect(cache.ensureDatabase(other)).resolves.toBeUndefined();
    source.conn = conn;
    cache.reset();
    expect(cache.snapshot().databases).toEqual([]);
    await cache.refresh('connect');
    expect(cache.snapshot().lastError).toBeUndefined();
    expect(cache.snapshot().measurements[db]).toEqual(['cpu', 'net io']);
  });

  it('ignores a current database the server does not have', async () => {
    const cache = new MetadataCache({ conn, database: 'no_such_db_here' });
    await cache.refresh('use');
    const s = cache.snapshot();
    expect(s.lastError).toBeUndefined();
    expect(s.databases).toContain(db);
    expect(s.measurements['no_such_db_here']).toBeUndefined();
  });

  it('loads in the background and tells the UI through onChange', async () => {
    let seen: string[] | undefined;
    const cache = new MetadataCache({ conn, database: db });
    cache.onChange = () => (seen = cache.snapshot().measurements[db]);
    void cache.refresh('startup');
    expect(cache.snapshot().refreshing).toBe(true);
    await until(() => seen !== undefined && !cache.refreshing);
    expect(seen).toEqual(['cpu', 'net io']);
  });
});
