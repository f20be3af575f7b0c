// load --record: where the per-second points go (a buffered writer into --database), under which
// run and agent, and the one-line summary at the end.
import { hostname } from 'node:os';
import { UserError } from './errors.js';
import type { CliOptions } from './connect.js';
import { generateRunName, increasingTimes, recordLines, RECORD_MEASUREMENT, type RecordedSecond } from '../loadgen/record.js';
import type { BufferedWriter } from '../write/buffered.js';
import { note } from '../format/wrap.js';

export interface RecordOptions extends CliOptions {
  record?: boolean;
  run?: string;
  agent?: string;
  /** The run name an embedding caller chose (demo). */
  runTag?: string;
}

export interface Recording {
  run: string;
  agent: string;
  onSecond: (s: RecordedSecond) => void;
  /** Flushes; says on stderr what was written. Resolves to the number of points lost (the run then exits 1). */
  close: () => Promise<number>;
}

/** Checks --run and --agent without connecting (usage errors come before any work). */
export function recordingNames(o: RecordOptions): { run: string; agent: string } {
  for (const [flag, v] of [
    ['--run', o.run],
    ['--agent', o.agent],
  ] as const) {
    if (v !== undefined && (!v.trim() || /[\r\n]/.test(v))) throw new UserError(`invalid ${flag} "${v}": give a non-empty name on one line`, 2);
    if (v !== undefined && !o.record) throw new UserError(`${flag} needs --record`, 2);
  }
  return { run: o.run ?? o.runTag ?? generateRunName(), agent: o.agent ?? hostname() };
}

export async function startRecording(o: RecordOptions): Promise<Recording> {
  const { run, agent } = recordingNames(o);
  const { connectionFromOptions } = await import('./connect.js');
  const { BufferedWriter, createDatabaseError } = await import('../write/buffered.js');
  // --timeout is the targets' timeout, not InfluxDB's.
  const conn = await connectionFromOptions({ ...o, timeout: undefined });
  const database = o.database ?? 'loadtest';
  const error = await createDatabaseError(conn, database);
  if (error) {
    await conn.ping(); // a clear one-line error when the server is unreachable
    note(`load: ${error}; recording anyway (the database may exist already)`);
  }
  const writer: BufferedWriter = new BufferedWriter(conn, { database, retentionPolicy: o.retentionPolicy, precision: 'ms' }, { batchSize: 60, flushIntervalMs: 1000 });
  note(`load: recording run ${run} (agent ${agent}) into database ${database}; read it with: influxsh load report ${run}`);
  const tags = { run, agent, host: hostname() };
  const stamp = increasingTimes();
  return {
    run,
    agent,
    onSecond: (s) => {
      for (const line of recordLines(tags, { ...s, time: stamp(s.time) })) writer.add(line);
    },
    close: async () => {
      const st = await writer.close();
      conn.close();
      const lost = st.dropped + st.rejected;
      if (lost) note(`--record: ${st.written} points written to ${database}, ${lost} lost (${st.lastError ?? 'unknown error'}); load report ${run} will count less than this run did`);
      else note(`--record: ${st.written} per-second results written to database ${database}, measurement ${RECORD_MEASUREMENT}, run ${run}`);
      return lost;
    },
  };
}
