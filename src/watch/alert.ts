// Alert conditions for watch: `mean > 0.5`, `value >= 10 and max < 3`, evaluated per series on
// the latest non-null value of each named column; state changes (OK ⇄ ALERTING) are reported.
import type { FormatEvent } from '../format/types.js';
import type { Tags } from '../query/events.js';
import { numericValue, timeMillis } from '../format/chart-data.js';
import { tagText } from '../format/cells.js';

export type Op = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type Condition = { kind: 'cmp'; column: string; op: Op; value: number } | { kind: 'and' | 'or'; left: Condition; right: Condition };

export type AlertState = 'ok' | 'alerting';

export class ConditionError extends Error {}

const TOKEN = /\s*(?:(\(|\))|(>=|<=|==|!=|=|>|<)|("(?:[^"\\]|\\.)*")|(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(?![\w.])|([A-Za-z_][\w.]*))/iy;

/** Parses a condition; throws ConditionError with a message fit for the user. */
export function parseCondition(text: string): Condition {
  const tokens: { t: 'paren' | 'op' | 'ident' | 'num' | 'word'; v: string }[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (!text.slice(pos).trim()) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new ConditionError(`cannot read the alert condition at "${text.slice(pos).trim()}": use e.g. 'mean > 0.5' or 'value >= 10 and max < 3'`);
    pos = TOKEN.lastIndex;
    if (m[1]) tokens.push({ t: 'paren', v: m[1] });
    else if (m[2]) tokens.push({ t: 'op', v: m[2] === '=' ? '==' : m[2] });
    else if (m[3]) tokens.push({ t: 'ident', v: m[3].slice(1, -1).replace(/\\(.)/g, '$1') });
    else if (m[4]) tokens.push({ t: 'num', v: m[4] });
    else if (/^(and|or)$/i.test(m[5]!)) tokens.push({ t: 'word', v: m[5]!.toLowerCase() });
    else tokens.push({ t: 'ident', v: m[5]! });
  }
  let i = 0;
  const fail = (what: string): never => {
    throw new ConditionError(`alert condition "${text.trim()}": ${what}; use e.g. 'mean > 0.5' or 'value >= 10 and max < 3'`);
  };
  const expr = (): Condition => {
    let left = conj();
    while (tokens[i]?.t === 'word' && tokens[i]!.v === 'or') {
      i++;
      left = { kind: 'or', left, right: conj() };
    }
    return left;
  };
  const conj = (): Condition => {
    let left = primary();
    while (tokens[i]?.t === 'word' && tokens[i]!.v === 'and') {
      i++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const primary = (): Condition => {
    const tok = tokens[i];
    if (!tok) return fail('it ends too soon');
    if (tok.t === 'paren' && tok.v === '(') {
      i++;
      const c = expr();
      if (tokens[i]?.v !== ')') fail('a ")" is missing');
      i++;
      return c;
    }
    if (tok.t !== 'ident') return fail(`expected a column name, found "${tok.v}"`);
    const op = tokens[i + 1];
    if (op?.t !== 'op') return fail(`expected a comparison (> >= < <= == !=) after "${tok.v}"`);
    const num = tokens[i + 2];
    if (num?.t !== 'num') return fail(`expected a number after "${tok.v} ${op.v}"`);
    i += 3;
    return { kind: 'cmp', column: tok.v, op: op.v as Op, value: Number(num.v) };
  };
  const c = expr();
  if (i < tokens.length) fail(`unexpected "${tokens[i]!.v}"`);
  return c;
}

export function conditionText(c: Condition): string {
  if (c.kind === 'cmp') return `${/^[A-Za-z_][\w.]*$/.test(c.column) ? c.column : JSON.stringify(c.column)} ${c.op} ${c.value}`;
  const side = (s: Condition) => (s.kind === 'or' && c.kind === 'and' ? `(${conditionText(s)})` : conditionText(s));
  return `${side(c.left)} ${c.kind} ${side(c.right)}`;
}

export function conditionColumns(c: Condition, out: string[] = []): string[] {
  if (c.kind === 'cmp') {
    if (!out.includes(c.column)) out.push(c.column);
  } else {
    conditionColumns(c.left, out);
    conditionColumns(c.right, out);
  }
  return out;
}

/** true/false, or null when a column it needs has no value in this series. */
export function evaluate(c: Condition, latest: Record<string, { value: number }>): boolean | null {
  if (c.kind === 'cmp') {
    const p = latest[c.column];
    if (!p) return null;
    const v = p.value;
    switch (c.op) {
      case '>':
        return v > c.value;
      case '>=':
        return v >= c.value;
      case '<':
        return v < c.value;
      case '<=':
        return v <= c.value;
      case '==':
        return v === c.value;
      case '!=':
        return v !== c.value;
    }
  }
  const l = evaluate(c.left, latest);
  const r = evaluate(c.right, latest);
  if (c.kind === 'and') return l === false || r === false ? false : l === null || r === null ? null : true;
  return l === true || r === true ? true : l === null || r === null ? null : false;
}

/** A series as the alert sees it: the latest non-null numeric value of each column, with its time. */
export interface SeriesSnapshot {
  statement: number;
  name?: string;
  tags?: Tags;
  latest: Record<string, { value: number; time: number }>;
}

/** Collects snapshots from a run's events (tap them beside the formatter). */
export class SnapshotCollector {
  private snapshots: SeriesSnapshot[] = [];
  private current: { snap: SeriesSnapshot; columns: string[]; timeIndex: number } | null = null;
  private statement = 0;
  private rowNumber = 0;

  constructor(private readonly precision?: string) {}

  event(e: FormatEvent): void {
    if (e.type === 'statement') this.statement = e.id;
    else if (e.type === 'series') {
      const snap: SeriesSnapshot = { statement: this.statement, name: e.name, tags: e.tags, latest: {} };
      this.snapshots.push(snap);
      this.current = { snap, columns: e.columns, timeIndex: e.columns.indexOf('time') };
      this.rowNumber = 0;
    } else if (e.type === 'rows' && this.current) {
      const { snap, columns, timeIndex } = this.current;
      for (const row of e.rows) {
        const t = timeIndex >= 0 ? timeMillis(row[timeIndex], this.precision) : this.rowNumber;
        this.rowNumber++;
        for (let j = 0; j < columns.length; j++) {
          if (j === timeIndex) continue;
          const v = numericValue(row[j]);
          if (v === null || v === undefined) continue;
          const prev = snap.latest[columns[j]!];
          // Latest by time, so ORDER BY time DESC works too; ties go to the later row.
          if (!prev || !(t < prev.time)) snap.latest[columns[j]!] = { value: v, time: t };
        }
      }
    }
  }

  take(): SeriesSnapshot[] {
    const s = this.snapshots;
    this.snapshots = [];
    this.current = null;
    return s;
  }
}

export interface AlertChange {
  state: AlertState;
  previous: AlertState;
  series?: string;
  tags: Tags;
  /** The value of the condition's first column (the only one for a simple comparison). */
  value: number | null;
  values: Record<string, number>;
  condition: string;
  /** RFC3339 time of the latest point evaluated. */
  time: string;
}

export function seriesLabel(name: string | undefined, tags: Tags | undefined): string {
  return [name ?? '', tagText(tags, ' ')].filter(Boolean).join(' ') || '(series)';
}

/** OK ⇄ ALERTING per series; a series starts OK and keeps its state while it has no data. */
export class AlertTracker {
  private readonly states = new Map<string, AlertState>();
  readonly text: string;
  private readonly columns: string[];

  constructor(readonly condition: Condition) {
    this.text = conditionText(condition);
    this.columns = conditionColumns(condition);
  }

  /** The state changes this run's series bring, and the condition's columns no series had. */
  update(snapshots: SeriesSnapshot[], now = Date.now()): { changes: AlertChange[]; missing: string[] } {
    const changes: AlertChange[] = [];
    const seen = new Set<string>();
    for (const s of snapshots) {
      for (const c of Object.keys(s.latest)) seen.add(c);
      const firing = evaluate(this.condition, s.latest);
      if (firing === null) continue;
      const key = `${s.statement}\u0000${s.name ?? ''}\u0000${tagText(s.tags, ',')}`;
      const previous = this.states.get(key) ?? 'ok';
      const state: AlertState = firing ? 'alerting' : 'ok';
      this.states.set(key, state);
      if (state === previous) continue;
      const values: Record<string, number> = {};
      let time = -Infinity;
      for (const c of this.columns) {
        const p = s.latest[c];
        if (!p) continue;
        values[c] = p.value;
        if (p.time > time) time = p.time;
      }
      // Aggregates without GROUP BY time() say time 0: the evaluation time is more useful.
      const when = Number.isFinite(time) && time > 0 ? time : now;
      changes.push({
        state,
        previous,
        series: s.name,
        tags: s.tags ?? {},
        value: values[this.columns[0]!] ?? null,
        values,
        condition: this.text,
        time: new Date(when).toISOString(),
      });
    }
    return { changes, missing: this.columns.filter((c) => !seen.has(c)) };
  }
}

/** The stderr line for a change. */
export function changeLine(c: AlertChange): string {
  const values = Object.entries(c.values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `alert: ${c.previous.toUpperCase()} → ${c.state.toUpperCase()}  ${seriesLabel(c.series, c.tags)}  ${c.condition}  (${values})  at ${c.time}`;
}
