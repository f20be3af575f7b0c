// Tab completion: a pure function of (text, cursor, metadata snapshot, the shell's commands). Stage one
// (completion-context.ts) decides what may go at the cursor; this file turns that into candidates
// from the snapshot, quotes them as InfluxQL needs, and ranks them against what was typed.
import { SELECT_FUNCTIONS } from '../influxql/functions.js';
import { KEYWORDS } from '../influxql/scan.js';
import { quoteIdent } from '../influxql/identifiers.js';
import type { CommandRegistry } from '../core/commands.js';
import { suggestContext, type CompletionContext, type Source, type Suggestion } from './completion-context.js';
import { own, tagValuesKey, type MetadataRequest, type MetadataSnapshot } from './metadata.js';

export type CandidateKind = 'keyword' | 'function' | 'command' | 'database' | 'retention-policy' | 'measurement' | 'field' | 'tag-key' | 'tag-value' | 'duration' | 'format' | 'precision' | 'other';

export interface Candidate {
  /** The text that replaces [start, end). */
  value: string;
  kind: CandidateKind;
  detail?: string;
}

export interface Completion {
  start: number;
  end: number;
  candidates: Candidate[];
  /** Metadata the snapshot lacked here; MetadataCache.ensure(fetch) loads it, then complete again. */
  fetch?: MetadataRequest;
}

/** The menu never needs more; the ranking keeps the best. */
const MAX_CANDIDATES = 500;

interface Entry extends Candidate {
  /** What the typed prefix is matched against (the unquoted name). */
  name: string;
}

/** Completes the word at `cursor` in `text`; command names and their arguments come from `commands`. */
export function complete(text: string, cursor: number, meta: MetadataSnapshot, commands: CommandRegistry): Completion {
  const ctx = suggestContext(text, cursor, commands);
  const entries: Entry[][] = [];
  let fetch: MetadataRequest | undefined;
  for (const s of ctx.suggestions) {
    const r = candidatesFor(s, ctx, meta, commands);
    entries.push(r.entries);
    fetch ??= r.fetch;
  }
  const out: Completion = { start: ctx.start, end: ctx.end, candidates: rank(entries, ctx.prefix) };
  if (fetch) out.fetch = fetch;
  return out;
}

/** InfluxQL identifier quoting: also keywords, which would otherwise be read as syntax. */
export function quoteIdentifier(name: string): string {
  return KEYWORDS.has(name.toUpperCase()) ? `"${name}"` : quoteIdent(name);
}

function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const DURATIONS = {
  group: ['1m', '5m', '10m', '15m', '30m', '1h', '6h', '12h', '1d', '7d', '10s', '30s'],
  relative: ['5m', '15m', '1h', '6h', '12h', '24h', '7d', '30d'],
  policy: ['1h', '1d', '7d', '30d', '52w'],
  unit: ['1s', '1m', '1h', '1d', '1ms', '1u', '1ns'],
};
const UNITS = ['s', 'm', 'h', 'd', 'w', 'ms', 'u', 'ns'];

const FUNCTION_ENTRIES = (prefixUpper: boolean): Entry[] =>
  SELECT_FUNCTIONS.map((f) => {
    const name = prefixUpper ? f.name.toUpperCase() : f.name;
    return { name, value: `${name}(`, kind: 'function', detail: `${f.group}: ${f.name}(${f.args})` };
  });

function candidatesFor(s: Suggestion, ctx: CompletionContext, meta: MetadataSnapshot, commands: CommandRegistry): { entries: Entry[]; fetch?: MetadataRequest } {
  const ident = (name: string) => {
    if (ctx.quote === '"') return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    return ctx.commandArg ? quoteIdent(name) : quoteIdentifier(name);
  };
  const db = meta.database;
  switch (s.type) {
    case 'keyword':
      return { entries: s.words.map((w) => ({ name: w, value: ctx.lowercase ? w.toLowerCase() : w, kind: 'keyword' })) };
    case 'function':
      return { entries: FUNCTION_ENTRIES(/[A-Z]/.test(ctx.prefix) && !/[a-z]/.test(ctx.prefix)) };
    case 'command':
      return {
        entries: commands.all.flatMap((c) => [c.name, ...(c.aliases ?? [])].map((n): Entry => ({ name: n, value: n, kind: 'command', detail: c.summary }))),
      };
    case 'command-arg': {
      const kind: CandidateKind = s.command === 'format' ? 'format' : s.command === 'precision' ? 'precision' : 'other';
      return { entries: s.values.map((v) => ({ name: v, value: v, kind })) };
    }
    case 'database':
      if (s.unlessCurrent && db) return { entries: [] };
      return { entries: meta.databases.map((d) => ({ name: d, value: s.qualify ? `${ident(d)}.` : ident(d), kind: 'database', detail: s.qualify ? 'then .rp' : undefined })) };
    case 'retention-policy': {
      const target = s.db ?? db;
      const rps = own(meta.retentionPolicies, target) ?? [];
      return {
        entries: rps.map((rp) => ({
          name: rp.name,
          value: ident(rp.name),
          kind: 'retention-policy',
          detail: [rp.isDefault ? 'default' : '', rp.duration ? `duration ${rp.duration}` : ''].filter(Boolean).join(', ') || undefined,
        })),
      };
    }
    case 'measurement': {
      const target = s.db ?? db;
      if (!target) return { entries: [] };
      if (s.rp !== undefined && !(own(meta.retentionPolicies, target) ?? []).some((rp) => rp.name === s.rp)) return { entries: [] };
      const ms = own(meta.measurements, target);
      if (!ms) return { entries: [], fetch: meta.databases.includes(target) ? { type: 'database', db: target } : undefined };
      return { entries: ms.map((m) => ({ name: m, value: ident(m), kind: 'measurement', detail: target === db ? undefined : target })) };
    }
    case 'field': {
      const { measurements, fetch } = resolve(s.sources, meta);
      const seen = new Map<string, Set<string>>();
      for (const [d, m] of measurements) for (const f of own(own(meta.fieldKeys, d), m) ?? []) addTo(seen, f.name, f.type);
      return { entries: [...seen].map(([name, types]) => ({ name, value: ident(name), kind: 'field', detail: [...types].join('|') })), fetch };
    }
    case 'tag-key': {
      const { measurements, fetch } = resolve(s.sources, meta);
      const seen = new Map<string, Set<string>>();
      for (const [d, m] of measurements) for (const k of own(own(meta.tagKeys, d), m) ?? []) addTo(seen, k, 'tag');
      return { entries: [...seen.keys()].map((name) => ({ name, value: ident(name), kind: 'tag-key', detail: 'tag' })), fetch };
    }
    case 'tag-value': {
      const { measurements, rps, fetch: dbFetch } = resolve(s.sources, meta);
      const values = new Set<string>();
      let fetch = dbFetch;
      for (const [i, [d, m]] of measurements.entries()) {
        if (!(own(own(meta.tagKeys, d), m) ?? []).includes(s.key)) continue;
        const rp = rps[i] ?? '';
        const cached = own(meta.tagValues, tagValuesKey(d, rp, m, s.key));
        if (cached) for (const v of cached) values.add(v);
        else fetch ??= { type: 'tag-values', db: d, rp, measurement: m, key: s.key };
      }
      return { entries: [...values].map((v) => ({ name: v, value: quoteString(v), kind: 'tag-value', detail: s.key })), fetch };
    }
    case 'duration': {
      const list = [...(s.inf ? ['INF'] : []), ...DURATIONS[s.preset]];
      const typed = /^\d+$/.test(ctx.prefix) ? UNITS.map((u) => ctx.prefix + u) : [];
      return { entries: [...typed, ...list].map((d) => ({ name: d, value: d, kind: 'duration' })) };
    }
    case 'literal':
      return { entries: s.values.map((v) => ({ name: v, value: v, kind: s.kind ?? 'other', detail: s.detail })) };
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/**
 * The concrete (db, measurement) pairs the sources name: regex sources match the database's
 * measurements; no sources at all means every measurement of the current database.
 */
function resolve(sources: Source[], meta: MetadataSnapshot): { measurements: [string, string][]; rps: string[]; fetch?: MetadataRequest } {
  const measurements: [string, string][] = [];
  const rps: string[] = [];
  let fetch: MetadataRequest | undefined;
  const all = (db: string) => {
    const ms = own(meta.measurements, db);
    if (!ms && meta.databases.includes(db)) fetch ??= { type: 'database', db };
    return ms ?? [];
  };
  const list = sources.length ? sources : meta.database ? [{ regex: '' } as Source] : [];
  for (const s of list) {
    const db = s.db ?? meta.database;
    if (!db) continue;
    const rp = s.rp ?? (s.db ? '' : (meta.retentionPolicy ?? ''));
    if (s.measurement !== undefined) {
      if (!own(meta.measurements, db)) all(db);
      measurements.push([db, s.measurement]);
      rps.push(rp);
    } else if (s.regex !== undefined) {
      let re: RegExp | null;
      try {
        re = new RegExp(s.regex);
      } catch {
        re = null;
      }
      for (const m of all(db)) {
        if (re && !re.test(m)) continue;
        measurements.push([db, m]);
        rps.push(rp);
      }
    }
  }
  return { measurements, rps, fetch };
}

/** Fuzzy: the prefix's characters in order (case-insensitive). */
function subsequence(name: string, needle: string): boolean {
  let j = 0;
  for (let i = 0; i < name.length && j < needle.length; i++) if (name[i] === needle[j]) j++;
  return j === needle.length;
}

/**
 * Prefix matches first, then substring, then fuzzy (in-order characters); within a tier, the
 * suggestion's order (most likely kind first) and then the source order. Duplicates dropped.
 */
function rank(groups: Entry[][], prefix: string): Candidate[] {
  const p = prefix.toLowerCase();
  const scored: { e: Entry; tier: number; group: number; i: number }[] = [];
  groups.forEach((entries, group) =>
    entries.forEach((e, i) => {
      const n = e.name.toLowerCase();
      const tier = !p || n.startsWith(p) ? 0 : n.includes(p) ? 1 : subsequence(n, p) ? 2 : -1;
      if (tier >= 0) scored.push({ e, tier, group, i });
    }),
  );
  scored.sort((a, b) => a.tier - b.tier || a.group - b.group || a.i - b.i);
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const { e } of scored) {
    if (seen.has(e.value)) continue;
    seen.add(e.value);
    const c: Candidate = { value: e.value, kind: e.kind };
    if (e.detail) c.detail = e.detail;
    out.push(c);
    if (out.length >= MAX_CANDIDATES) break;
  }
  return out;
}
