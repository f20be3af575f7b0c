import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/registry.js';
import type { CommandContext } from '../../src/core/commands.js';
import { helpLines } from '../../src/shell/help-layout.js';
import { wrapWords } from '../../src/format/wrap.js';
import type { Session } from '../../src/core/session.js';

/** `help` as the shell prints it at `columns`. */
async function help(columns: number): Promise<string> {
  let out = '';
  const ctx = {
    session: { format: 'table', precision: 'ns', consistency: 'all' } as unknown as Session,
    update: () => {},
    info: () => {},
    out: (t: string) => (out += t),
    error: (t: string) => {
      throw new Error(t);
    },
    shell: { history: () => [], promptAuth: async () => null, connect: async () => false },
    columns: () => columns,
    commands: commands.all,
  } satisfies CommandContext;
  await commands.find('help')!.command.run(ctx, '', 'help');
  return out;
}

describe('help layout', () => {
  it.each([60, 61, 72, 80, 100, 160])('fits %i columns and never breaks a word', async (columns) => {
    const text = await help(columns);
    const lines = text.trimEnd().split('\n');
    // Narrower than the terminal by one, so no line makes the terminal wrap.
    for (const l of lines) expect(l.length, l).toBeLessThan(columns);
    // Every word of every usage and summary appears whole on some line.
    const words = new Set(text.split(/\s+/));
    for (const c of commands.all) {
      for (const w of `${c.usage} ${c.summary}`.split(/\s+/).filter((w) => w.length < columns - 4)) expect(words.has(w), `${w} at ${columns}`).toBe(true);
    }
  });

  it('keeps usage and summary side by side when they fit, with the summaries in one column', async () => {
    const text = await help(80);
    expect(text).toMatch(/^ {2}settings +show the current settings$/m);
    const at = (s: string) =>
      text
        .split('\n')
        .find((l) => l.includes(s))!
        .indexOf(s);
    expect(at('show the current settings')).toBe(at('leave (Ctrl-D'));
  });

  it('puts a summary under a usage too long for the column, indented to the summary column', () => {
    const lines = helpLines(
      [
        ['a', 'short'],
        ['a-long-usage-past-the-column <x>', 'its summary'],
      ],
      40,
    );
    // The usage column takes at most 40 % of the width (16 of 40); the summaries start after it.
    expect(lines).toEqual([`  ${'a'.padEnd(18)}short`, '  a-long-usage-past-the-column <x>', `${' '.repeat(20)}its summary`]);
  });

  it('wraps between words; a word longer than the line breaks after a |', () => {
    expect(wrapWords('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapWords('format [column|csv|json|table]', 12)).toEqual(['format', '[column|csv|', 'json|table]']);
  });
});
