import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyDown, historyUp, searchNext, searchResult, searchType, startNav, startSearch, suggestFromHistory } from '../../src/shell/history-nav.js';
import { HistoryStore } from '../../src/shell/history-store.js';
import { redactForHistory } from '../../src/ui/engine.js';
import { decodeKeepingBytes, encodeKeepingBytes } from '../../src/write/raw-text.js';

const H = ['SHOW DATABASES', 'SELECT * FROM cpu', 'use db', 'SELECT mean(v) FROM mem', 'SHOW MEASUREMENTS'];

describe('history navigation', () => {
  it('finds nothing when no entry starts with the typed text', () => {
    expect(historyUp(H, startNav(H), 'draft')).toBeNull();
  });

  it('filters by the typed prefix', () => {
    let nav = startNav(H);
    const a = historyUp(H, nav, 'SELECT')!;
    expect(a.text).toBe('SELECT mean(v) FROM mem');
    const b = historyUp(H, a.nav, a.text)!;
    expect(b.text).toBe('SELECT * FROM cpu');
    expect(historyUp(H, b.nav, b.text)).toBeNull();
    const c = historyDown(H, b.nav, b.text)!;
    expect(c.text).toBe('SELECT mean(v) FROM mem');
    const d = historyDown(H, c.nav, c.text)!;
    expect(d.text).toBe('SELECT');
    nav = d.nav;
    expect(nav.index).toBe(H.length);
  });

  it('with an empty line visits every entry, newest first', () => {
    const a = historyUp(H, startNav(H), '')!;
    expect(a.text).toBe('SHOW MEASUREMENTS');
    expect(historyUp(H, a.nav, a.text)!.text).toBe('SELECT mean(v) FROM mem');
  });

  it('Ctrl-R searches backwards incrementally, case-insensitively', () => {
    let s = startSearch(H, 'typed');
    s = searchType(H, s, 'f');
    expect(searchResult(H, s)).toBe('SELECT mean(v) FROM mem');
    s = searchType(H, s, 'fr');
    expect(searchResult(H, s)).toBe('SELECT mean(v) FROM mem');
    s = searchNext(H, s);
    expect(searchResult(H, s)).toBe('SELECT * FROM cpu');
    s = searchNext(H, s);
    expect(searchResult(H, s)).toBe('SELECT * FROM cpu');
    s = searchType(H, s, 'nothing');
    expect(s.match).toBe(-1);
    expect(searchResult(H, s)).toBe('typed');
  });

  it('suggests the rest of the newest matching entry', () => {
    expect(suggestFromHistory(H, 'SELECT *')).toBe(' FROM cpu');
    expect(suggestFromHistory(H, '')).toBe('');
    expect(suggestFromHistory(H, 'nope')).toBe('');
  });
});

describe('history file', () => {
  it('is 1.x compatible: one line each, redacted, no auth, no repeats, 0600, 1000 entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hist-'));
    const path = join(dir, '.influx_history');
    writeFileSync(path, Array.from({ length: 1005 }, (_, i) => `SELECT ${i}`).join('\n') + '\n');
    const h = new HistoryStore(path, redactForHistory);
    h.load();
    expect(h.entries.length).toBe(1000);
    expect(h.entries[0]).toBe('SELECT 5');
    h.add("CREATE USER bob WITH PASSWORD 'hunter2'");
    h.add('auth bob hunter2');
    h.add("SET PASSWORD FOR bob = 'secret'");
    h.add('SELECT *\nFROM cpu');
    h.add('SELECT * FROM cpu');
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('auth');
    expect(text).toContain('CREATE USER bob WITH PASSWORD [REDACTED]');
    expect(text).toContain('SET PASSWORD FOR bob = [REDACTED]');
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBe(1000);
    expect(lines[lines.length - 1]).toBe('SELECT * FROM cpu');
    expect(lines.filter((l) => l === 'SELECT * FROM cpu').length).toBe(1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('keeps bytes that are not UTF-8 as they are: typed entries, 1.x entries, and recalled ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hist-'));
    const path = join(dir, '.influx_history');
    const old = Buffer.from('INSERT m,t=old\xe9 v=1\n', 'latin1'); // written by 1.x, Latin-1 bytes
    writeFileSync(path, old);
    const h = new HistoryStore(path, redactForHistory);
    h.load();
    // The shell carries a typed byte 0xff 0xfe the way scripts do (write/raw-text.ts).
    const typed = Buffer.concat([Buffer.from('INSERT m,t=new'), Buffer.from([0xff, 0xfe]), Buffer.from(' v=1')]);
    h.add(decodeKeepingBytes(typed));
    const bytes = readFileSync(path);
    expect(bytes.equals(Buffer.concat([old, typed, Buffer.from('\n')])), bytes.toString('latin1')).toBe(true);
    expect(bytes.includes(Buffer.from('\ufffd'))).toBe(false);
    // A later session recalls them and sends the same bytes.
    const next = new HistoryStore(path, redactForHistory);
    next.load();
    expect(next.entries.map((e) => encodeKeepingBytes(e).toString('latin1'))).toEqual([old.toString('latin1').trimEnd(), typed.toString('latin1')]);
  });
});
