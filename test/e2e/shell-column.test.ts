// The shell's capped `column` view with several statements in one request: each table's rows come
// before its footer (scripts merge equal headers as 1.x does; the shell keeps statements apart).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { q, uniqueDb, write } from '../helpers/influx.js';
import { killTmuxServer, startShell, type TerminalShell } from '../helpers/tmux.js';

const db = uniqueDb('shellcol');
let s: TerminalShell | undefined;

beforeAll(async () => {
  await q(`CREATE DATABASE ${db}`);
  await write(db, [1, 2, 3, 4].map((i) => `cpu value=${i} ${i}000000000`).join('\n'));
});

afterAll(() => {
  s?.kill();
  killTmuxServer();
});

it('prints rows, marker and footer of each capped table in order', async () => {
  s = await startShell({ args: ['-database', db, '-format', 'column', '-precision', 's'] });
  s.type('limit 2');
  s.keys('Enter');
  s.type('SELECT value FROM cpu; SELECT value FROM cpu');
  s.keys('Enter');
  const screen = await s.waitFor((t) => (t.match(/4 rows, 2 shown/g) ?? []).length === 2, 'two footers');
  const out = screen.slice(screen.lastIndexOf('SELECT value FROM cpu; SELECT value FROM cpu'));
  const table = ['name: cpu', 'time          value', '----          -----', '1             1', '⋮ 2 more rows ⋮', '4             4'].join('\n');
  expect(out).toMatch(new RegExp(`${escape(table)}\\n4 rows, 2 shown\\n'last' pages[^\\n]*\\n+${escape(table)}\\n4 rows, 2 shown`));
});

function escape(t: string): string {
  return t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
