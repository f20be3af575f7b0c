// Interactive session entry. A plain readline loop until the Ink shell replaces it.
import { createInterface } from 'node:readline/promises';
import { StreamSink } from '../format/sink.js';
import { Runner } from './runner.js';
import type { Session } from './session.js';
import { incompleteReason } from '../influxql/split.js';
import { isCommandLine } from './commands.js';
import { VERSION } from '../cli/version.js';

export async function runShell(session: Session, _o: unknown): Promise<number> {
  process.stdout.write(`Connected to ${session.conn.displayUrl} version ${session.serverVersion}\ninfluxsh version ${VERSION}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const runner = new Runner(session, {
    sink: new StreamSink(process.stdout),
    error: (t) => process.stderr.write(t + '\n'),
    info: (t) => process.stdout.write(t + '\n'),
    width: process.stdout.columns,
  });
  let buf = '';
  for (;;) {
    let line: string;
    try {
      line = await rl.question(buf ? '... ' : '> ');
    } catch {
      break;
    }
    buf = buf ? buf + '\n' + line : line;
    if (!buf.trim()) {
      buf = '';
      continue;
    }
    if (!isCommandLine(buf) && incompleteReason(buf)) continue;
    const r = await runner.runUnit(buf.trim());
    buf = '';
    if (r.exit) break;
  }
  rl.close();
  return 0;
}
