// Files influxsh writes: never through a planted symlink, never half-written, never clobbered unasked.
import { afterAll, describe, expect, it } from 'vitest';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { closeSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../../src/shell/history-store.js';
import { FileSink } from '../../src/shell/display.js';
import { appendToFile, createOutputFile, replaceFile } from '../../src/files/safe-write.js';

const root = mkdtempSync(join(tmpdir(), 'safe-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function scratch(): { dir: string; victim: string } {
  const dir = join(root, `case${++n}`);
  const victim = join(root, `victim${n}`);
  mkdirSync(dir);
  writeFileSync(victim, 'precious\n');
  return { dir, victim };
}

describe('history file', () => {
  it('is never written through a link planted at the old predictable temp name', () => {
    const { dir, victim } = scratch();
    const path = join(dir, '.influx_history');
    symlinkSync(victim, `${path}.${process.pid}.tmp`);
    const h = new HistoryStore(path, (l) => l);
    h.add('SELECT 1');
    expect(h.error).toBeNull();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(path, 'utf8')).toBe('SELECT 1\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Only the history and the planted link: no temp file left behind.
    expect(readdirSync(dir).sort()).toEqual(['.influx_history', `.influx_history.${process.pid}.tmp`]);
  });

  it('replaces a link at the history path instead of writing through it', () => {
    const { dir, victim } = scratch();
    const path = join(dir, '.influx_history');
    symlinkSync(victim, path);
    new HistoryStore(path, (l) => l).add('SELECT 2');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('SELECT 2\n');
  });
});

describe('appending (shell `output FILE`)', () => {
  it('refuses a symlink at the path and leaves its target alone', () => {
    const { dir, victim } = scratch();
    const path = join(dir, 'out.txt');
    symlinkSync(victim, path);
    const sink = new FileSink(path);
    sink.write('row\n');
    expect(() => sink.flushSync()).toThrow(`cannot write ${path}: is a symbolic link (refusing to write through it)`);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('appends to a regular file and creates a missing one 0600', () => {
    const { dir } = scratch();
    const path = join(dir, 'out.txt');
    appendToFile(path, 'a\n');
    appendToFile(path, 'b\n');
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe('replaceFile (server.json, influxd.conf)', () => {
  it('swaps content in one step and leaves no temp file', () => {
    const { dir, victim } = scratch();
    const path = join(dir, 'server.json');
    symlinkSync(victim, path);
    replaceFile(path, '{"pid":1}');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(path, 'utf8')).toBe('{"pid":1}');
    expect(readdirSync(dir)).toEqual(['server.json']);
  });
});

describe('createOutputFile (export --out)', () => {
  function write(path: string, text: string, force?: boolean): void {
    const out = createOutputFile(path, { force });
    writeSync(out.fd, text);
    closeSync(out.fd);
    out.commit();
  }

  it('creates a new file', () => {
    const { dir } = scratch();
    write(join(dir, 'x.lp'), 'new\n');
    expect(readFileSync(join(dir, 'x.lp'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['x.lp']);
  });

  it('refuses an existing file or link without force, with a one-line message', () => {
    const { dir, victim } = scratch();
    const link = join(dir, 'link.lp');
    symlinkSync(victim, link);
    expect(() => createOutputFile(victim)).toThrow(`cannot write ${victim}: it already exists: pass --force to replace it`);
    expect(() => createOutputFile(link)).toThrow(`cannot write ${link}: it already exists (a symbolic link): pass --force to replace it`);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('with force replaces a link itself, never its target', () => {
    const { dir, victim } = scratch();
    const link = join(dir, 'link.lp');
    symlinkSync(victim, link);
    write(link, 'exported\n', true);
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, 'utf8')).toBe('exported\n');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('leaves an old file untouched and no partial file when the run is discarded', () => {
    const { dir, victim } = scratch();
    const out = createOutputFile(victim, { force: true });
    writeSync(out.fd, 'half');
    closeSync(out.fd);
    out.discard();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readdirSync(dir)).toEqual([]);
    const fresh = join(dir, 'fresh.lp');
    const out2 = createOutputFile(fresh);
    out2.discard();
    closeSync(out2.fd);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not clobber a file that appeared during the run', () => {
    const { dir } = scratch();
    const path = join(dir, 'race.lp');
    const out = createOutputFile(path);
    writeFileSync(path, 'theirs\n');
    closeSync(out.fd);
    expect(() => out.commit()).toThrow(/created by someone else during the run: pass --force/);
    expect(readFileSync(path, 'utf8')).toBe('theirs\n');
    expect(readdirSync(dir)).toEqual(['race.lp']);
  });

  it('writes into /dev/null without trying to replace it', () => {
    const out = createOutputFile('/dev/null');
    writeSync(out.fd, 'x');
    closeSync(out.fd);
    out.commit();
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});
