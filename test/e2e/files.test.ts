// Files the built binary writes: `export --out` never clobbers unasked and never writes through a link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { q, run, uniqueDb, write } from '../helpers/influx.js';

const dir = mkdtempSync(join(tmpdir(), 'influxsh-files-'));
const db = uniqueDb('e2e_files');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await q(`CREATE DATABASE ${db}`);
  await write(db, 'm v=1 1600000000000000000\nm v=2 1600000000000000001\n');
});

describe('export --out', () => {
  it('refuses an existing file with one line and exit 1, leaving it untouched', async () => {
    const out = join(dir, 'existing.lp');
    writeFileSync(out, 'precious\n');
    const r = await run(['export', '--database', db, '--out', out]);
    expect(r.stderr.trim()).toBe(`cannot write ${out}: it already exists: pass --force to replace it`);
    expect(r.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('precious\n');
  });

  it('with --force replaces a symlink itself, never the file it points to', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const out = join(dir, 'link.lp');
    symlinkSync(victim, out);
    const refused = await run(['export', '--database', db, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('(a symbolic link): pass --force');
    const r = await run(['export', '--database', db, '--out', out, '--force']);
    expect(r.stderr).toMatch(/export: 2 points in 1 series/);
    expect(r.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(out).isSymbolicLink()).toBe(false);
    expect(readFileSync(out, 'utf8')).toContain('m v=2 1600000000000000001');
  });

  it('leaves no file behind when the export fails', async () => {
    const sub = mkdtempSync(join(dir, 'fail-'));
    const out = join(sub, 'out.lp');
    const r = await run(['export', '--database', 'no_such_db_here', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('database "no_such_db_here" does not exist');
    expect(readdirSync(sub)).toEqual([]);
  });
});
