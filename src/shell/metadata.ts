// The schema completion reads: a plain-data snapshot, and a cache that loads it from the server
// in the background (pgcli's completion refresher). The UI reads snapshot() on every Tab; loads
// never block it and never throw into it.
import type { InfluxHttp } from '../connection/http.js';
import { quoteIdent } from '../influxql/identifiers.js';
import { queryValues } from '../query/execute.js';

export interface RetentionPolicyInfo {
  name: string;
  duration?: string;
  isDefault: boolean;
}

export interface FieldKeyInfo {
  name: string;
  /** float, integer, string, boolean (unsigned on newer servers). */
  type: string;
}

/**
 * Everything completion knows about the server. Records are keyed by name; measurements, field
 * keys and tag keys are per database, because InfluxDB 1.x keeps its series index per database
 * (SHOW MEASUREMENTS has no retention policy filter). Tag values are per db, rp, measurement
 * and key (see tagValuesKey).
 */
export interface MetadataSnapshot {
  /** The session's current database and retention policy. */
  database?: string;
  retentionPolicy?: string;
  databases: string[];
  retentionPolicies: Record<string, RetentionPolicyInfo[]>;
  measurements: Record<string, string[]>;
  /** database → measurement → field keys */
  fieldKeys: Record<string, Record<string, FieldKeyInfo[]>>;
  /** database → measurement → tag keys */
  tagKeys: Record<string, Record<string, string[]>>;
  /** tagValuesKey(db, rp, measurement, key) → values (at most the cache's cap). */
  tagValues: Record<string, string[]>;
  /** True while a refresh runs. */
  refreshing?: boolean;
  /** The last load error, kept until a load succeeds. */
  lastError?: string;
}

/** Metadata that completion found missing; the UI may ask the cache for it and complete again. */
export type MetadataRequest = { type: 'tag-values'; db: string; rp: string; measurement: string; key: string } | { type: 'database'; db: string };

export function tagValuesKey(db: string, rp: string | undefined, measurement: string, key: string): string {
  return JSON.stringify([db, rp ?? '', measurement, key]);
}

export function emptySnapshot(): MetadataSnapshot {
  return { databases: [], retentionPolicies: {}, measurements: {}, fieldKeys: {}, tagKeys: {}, tagValues: {} };
}

/** Reads a record entry that is really there (a database may be called `constructor`). */
export function own<T>(rec: Record<string, T> | undefined, key: string | undefined): T | undefined {
  return rec && key !== undefined && Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** What the cache reads from the session: the live connection and the current db.rp. */
export interface MetadataSource {
  conn: InfluxHttp;
  database?: string;
  retentionPolicy?: string;
}

export interface MetadataCacheOptions {
  onChange?: () => void;
  /** At most this many tag values per key (default 1000). */
  tagValueLimit?: number;
  /** At most this many measurements per database (default 10000). */
  measurementLimit?: number;
  /** Retention policies are listed for at most this many databases (default 200). */
  databaseLimit?: number;
  /** Tag values older than this are fetched again on demand (default 60 s). */
  tagValueTtlMs?: number;
  /** Per metadata request (default 10 s). */
  timeoutMs?: number;
}

class Superseded extends Error {}

/**
 * Loads the server's schema in the background. refresh() after use/CREATE/DROP (coalesced: a
 * refresh asked for while one runs restarts it); ensureTagValues() and ensure() fetch on demand.
 * Every promise resolves, none rejects: failures end up in lastError.
 */
export class MetadataCache {
  onChange?: () => void;
  lastError?: string;
  private data: MetadataSnapshot = emptySnapshot();
  private generation = 0;
  private running?: Promise<void>;
  private completed = 0;
  private waiters: { gen: number; resolve: () => void }[] = [];
  private controller?: AbortController;
  private refreshReason?: string;
  /** Databases whose schema was loaded besides the current one (most recent last). */
  private extraDbs: string[] = [];
  private dbLoads = new Map<string, Promise<void>>();
  private tagLoads = new Map<string, Promise<string[]>>();
  private tagLoadedAt = new Map<string, number>();
  private readonly opts: Required<Omit<MetadataCacheOptions, 'onChange'>>;

  constructor(
    private readonly source: MetadataSource,
    options: MetadataCacheOptions = {},
  ) {
    this.onChange = options.onChange;
    this.opts = {
      tagValueLimit: options.tagValueLimit ?? 1000,
      measurementLimit: options.measurementLimit ?? 10000,
      databaseLimit: options.databaseLimit ?? 200,
      tagValueTtlMs: options.tagValueTtlMs ?? 60_000,
      timeoutMs: options.timeoutMs ?? 10_000,
    };
  }

  /** The current data with the session's db.rp; cheap enough to call on every key press. */
  snapshot(): MetadataSnapshot {
    return {
      ...this.data,
      database: this.source.database,
      retentionPolicy: this.source.retentionPolicy,
      refreshing: this.running !== undefined,
      lastError: this.lastError,
    };
  }

  get refreshing(): boolean {
    return this.running !== undefined;
  }

  /** Why the running (or last) refresh started: "startup", "use", "CREATE DATABASE"… */
  get reason(): string | undefined {
    return this.refreshReason;
  }

  /**
   * Reloads databases, retention policies and the schema of the current database (and of the
   * others loaded on demand). Resolves when a refresh that started after this call has finished.
   */
  refresh(reason = 'manual'): Promise<void> {
    this.refreshReason = reason;
    const gen = ++this.generation;
    // A refresh asked for mid-refresh restarts it: the old pass's requests are aborted.
    this.controller?.abort();
    const done = new Promise<void>((resolve) => this.waiters.push({ gen, resolve }));
    if (!this.running) this.start();
    return done;
  }

  private start(): void {
    this.running = this.loop().finally(() => {
      this.running = undefined;
      const done = this.completed;
      this.waiters = this.waiters.filter((w) => (w.gen <= done ? (w.resolve(), false) : true));
      // A request that slipped in between the last check and now.
      if (done < this.generation) this.start();
      this.changed();
    });
    this.changed();
  }

  private async loop(): Promise<void> {
    for (;;) {
      const gen = this.generation;
      const controller = new AbortController();
      this.controller = controller;
      try {
        const next = await this.loadAll(gen, controller.signal);
        if (gen !== this.generation) continue;
        this.tagLoadedAt.clear();
        this.data = next;
        this.lastError = undefined;
      } catch (e) {
        if (gen !== this.generation) continue;
        if (!(e instanceof Superseded)) this.lastError = errorText(e);
      }
      this.completed = gen;
      return;
    }
  }

  private async loadAll(gen: number, signal: AbortSignal): Promise<MetadataSnapshot> {
    const next = emptySnapshot();
    next.retentionPolicies = record();
    next.measurements = record();
    next.fieldKeys = record();
    next.tagKeys = record();
    next.tagValues = record();
    const dbs = await this.values('SHOW DATABASES', gen, signal);
    next.databases = dbs.flatMap((s) => s.values.map((v) => String(v[0])));
    const known = new Set(next.databases);
    await eachLimit(next.databases.slice(0, this.opts.databaseLimit), 4, async (db) => {
      const res = await this.values(`SHOW RETENTION POLICIES ON ${quoteIdent(db)}`, gen, signal, true);
      next.retentionPolicies[db] = parseRetentionPolicies(res);
    });
    const current = this.source.database;
    const wanted = [...new Set([current, ...this.extraDbs].filter((d): d is string => !!d && known.has(d)))];
    this.extraDbs = this.extraDbs.filter((d) => known.has(d));
    for (const db of wanted) await this.loadDatabase(db, next, gen, signal);
    return next;
  }

  /** Measurements, field keys and tag keys of one database, into `into`. */
  private async loadDatabase(db: string, into: MetadataSnapshot, gen: number | null, signal: AbortSignal | undefined): Promise<void> {
    const on = quoteIdent(db);
    const [ms, fields, tags] = await Promise.all([
      this.values(`SHOW MEASUREMENTS ON ${on} LIMIT ${this.opts.measurementLimit}`, gen, signal),
      this.values(`SHOW FIELD KEYS ON ${on}`, gen, signal),
      this.values(`SHOW TAG KEYS ON ${on}`, gen, signal),
    ]);
    into.measurements[db] = ms.flatMap((s) => s.values.map((v) => String(v[0])));
    const fk = record<FieldKeyInfo[]>();
    for (const s of fields) if (s.name !== undefined) fk[s.name] = s.values.map((v) => ({ name: String(v[0]), type: String(v[1] ?? '') }));
    into.fieldKeys[db] = fk;
    const tk = record<string[]>();
    for (const s of tags) if (s.name !== undefined) tk[s.name] = s.values.map((v) => String(v[0]));
    into.tagKeys[db] = tk;
  }

  /**
   * Runs one metadata query. A superseded refresh stops with Superseded; with `lenient`, a
   * server-side error (no privilege on one database) gives an empty result instead of failing.
   */
  private async values(q: string, gen: number | null, signal: AbortSignal | undefined, lenient = false) {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const res = await queryValues(this.source.conn, q, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, chunked: false });
    if (gen !== null && gen !== this.generation) throw new Superseded();
    if (res.error) {
      if (lenient) return [];
      throw new Error(res.error);
    }
    return res.series;
  }

  /** Forgets everything loaded (after `connect` to another server); call refresh() next. */
  reset(): void {
    this.data = emptySnapshot();
    this.extraDbs = [];
    this.tagLoadedAt.clear();
    this.lastError = undefined;
    this.changed();
  }

  /** Loads the schema of a database other than the current one (for `FROM other.rp.`). */
  ensureDatabase(db: string): Promise<void> {
    if (own(this.data.measurements, db)) return Promise.resolve();
    const pending = this.dbLoads.get(db);
    if (pending) return pending;
    const load = (async () => {
      try {
        const into = emptySnapshot();
        await this.loadDatabase(db, into, null, undefined);
        const data = this.data;
        this.data = {
          ...data,
          measurements: withEntry(data.measurements, db, into.measurements[db]!),
          fieldKeys: withEntry(data.fieldKeys, db, into.fieldKeys[db]!),
          tagKeys: withEntry(data.tagKeys, db, into.tagKeys[db]!),
        };
        this.extraDbs = [...this.extraDbs.filter((d) => d !== db), db].slice(-5);
      } catch (e) {
        this.lastError = errorText(e);
      } finally {
        this.dbLoads.delete(db);
        this.changed();
      }
    })();
    this.dbLoads.set(db, load);
    return load;
  }

  /**
   * The values of one tag (at most tagValueLimit), fetched once and cached for tagValueTtlMs.
   * An empty rp means the database's default. Resolves to [] when the server cannot say.
   */
  ensureTagValues(db: string, rp: string, measurement: string, key: string): Promise<string[]> {
    const k = tagValuesKey(db, rp, measurement, key);
    const cached = own(this.data.tagValues, k);
    const at = this.tagLoadedAt.get(k);
    if (cached && at !== undefined && Date.now() - at < this.opts.tagValueTtlMs) return Promise.resolve(cached);
    const pending = this.tagLoads.get(k);
    if (pending) return pending;
    const from = rp ? `${quoteIdent(rp)}.${quoteIdent(measurement)}` : quoteIdent(measurement);
    const q = `SHOW TAG VALUES ON ${quoteIdent(db)} FROM ${from} WITH KEY = ${quoteIdent(key)} LIMIT ${this.opts.tagValueLimit}`;
    const load = (async () => {
      try {
        const series = await this.values(q, null, undefined);
        const values = [...new Set(series.flatMap((s) => s.values.map((v) => String(v[1]))))];
        this.data = { ...this.data, tagValues: withEntry(this.data.tagValues, k, values) };
        this.tagLoadedAt.set(k, Date.now());
        return values;
      } catch (e) {
        this.lastError = errorText(e);
        return cached ?? [];
      } finally {
        this.tagLoads.delete(k);
        this.changed();
      }
    })();
    this.tagLoads.set(k, load);
    return load;
  }

  /** Fetches what a Completion's `fetch` asked for. */
  async ensure(request: MetadataRequest): Promise<void> {
    if (request.type === 'database') await this.ensureDatabase(request.db);
    else await this.ensureTagValues(request.db, request.rp, request.measurement, request.key);
  }

  private changed(): void {
    try {
      this.onChange?.();
    } catch {
      // A UI callback failing must not break loading.
    }
  }
}

function withEntry<T>(rec: Record<string, T>, key: string, value: T): Record<string, T> {
  const out = record<T>();
  Object.assign(out, rec);
  out[key] = value;
  return out;
}

function parseRetentionPolicies(series: { columns: string[]; values: unknown[][] }[]): RetentionPolicyInfo[] {
  const s = series[0];
  if (!s) return [];
  const col = (name: string) => s.columns.indexOf(name);
  const [n, d, def] = [col('name'), col('duration'), col('default')];
  return s.values.map((v) => ({ name: String(v[n < 0 ? 0 : n]), duration: d >= 0 ? String(v[d]) : undefined, isDefault: def >= 0 && v[def] === true }));
}

async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!;
}

/**
 * Whether a unit the user ran may have changed the schema, and so should trigger refresh():
 * returns the reason (e.g. "CREATE DATABASE", "use") or null.
 */
export function schemaChangeReason(unit: string): string | null {
  const m = /^\s*(use|connect|insert)\b/i.exec(unit);
  if (m) return m[1]!.toLowerCase();
  const stmt = /(?:^|;)\s*(CREATE|DROP|ALTER|DELETE)\s+(\w+)/i.exec(unit);
  if (stmt) return `${stmt[1]!.toUpperCase()} ${stmt[2]!.toUpperCase()}`;
  if (/\bSELECT\b[\s\S]*\bINTO\b/i.test(unit)) return 'SELECT INTO';
  return null;
}
