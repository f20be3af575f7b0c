import { describe, expect, it } from 'vitest';
import { needsMore, shellUnits } from '../../src/shell/continuation.js';
import { commands } from '../../src/cli/registry.js';

describe('shell continuation', () => {
  it('continues open quotes, parentheses, trailing keywords and a SELECT before its FROM', () => {
    expect(needsMore("SELECT * FROM cpu WHERE host = 'a")).toBeTruthy();
    expect(needsMore('SELECT mean(value')).toBeTruthy();
    expect(needsMore('SELECT * FROM cpu WHERE')).toBeTruthy();
    expect(needsMore('SELECT count(value)')).toBe('SELECT without FROM');
    expect(needsMore('SELECT count(value) FROM cpu')).toBeNull();
    expect(needsMore('SHOW DATABASES')).toBeNull();
    expect(needsMore('SELECT * FROM a; SELECT x')).toBe('SELECT without FROM');
  });

  it('keeps a statement broken over lines together and splits at new statements and commands', () => {
    expect(shellUnits("SELECT value\nFROM cpu\nWHERE host = 'b'", commands.isCommandLine)).toEqual(["SELECT value\nFROM cpu\nWHERE host = 'b'"]);
    expect(shellUnits('use db\nSELECT a FROM x\nSELECT b FROM y\nformat csv', commands.isCommandLine)).toEqual(['use db', 'SELECT a FROM x', 'SELECT b FROM y', 'format csv']);
    // LIMIT on its own line is the clause, not the shell's `limit` command.
    expect(shellUnits('SELECT * FROM cpu\nLIMIT 10', commands.isCommandLine)).toEqual(['SELECT * FROM cpu\nLIMIT 10']);
    expect(shellUnits('limit 10', commands.isCommandLine)).toEqual(['limit 10']);
  });
});
