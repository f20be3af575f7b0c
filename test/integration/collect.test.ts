// `influxsh collect` against the real influxd: Telegraf's measurements, field names and types,
// a sample at the start and at the end of --duration, and a summary that matches what is stored.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueDb } from '../helpers/influx.js';
import { privateInflux, type PrivateInflux } from '../e2e/transfer-server.js';

let P: PrivateInflux;
beforeAll(async () => {
  P = await privateInflux();
});
afterAll(async () => {
  await P?.stop();
});

const F = 'float';
const I = 'integer';
const S = 'string';
const ints = (...names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, I]));

// Telegraf's input plugin READMEs (Linux): every field collect writes, and its type.
const TELEGRAF: Record<string, Record<string, string>> = {
  cpu: Object.fromEntries(['user', 'system', 'idle', 'nice', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guest_nice'].map((n) => [`usage_${n}`, F])),
  disk: { ...ints('free', 'inodes_free', 'inodes_total', 'inodes_used', 'total', 'used'), inodes_used_percent: F, used_percent: F },
  // io_util from the second sample on; io_await and io_svctm only when some I/O happened in between (checked apart).
  diskio: {
    ...ints('reads', 'writes', 'read_bytes', 'write_bytes', 'read_time', 'write_time', 'io_time', 'weighted_io_time', 'iops_in_progress', 'merged_reads', 'merged_writes'),
    io_util: F,
  },
  kernel: ints('boot_time', 'context_switches', 'interrupts', 'processes_forked', ...(existsSync('/proc/sys/kernel/random/entropy_avail') ? ['entropy_avail'] : [])),
  mem: {
    ...ints(
      'active',
      'available',
      'buffered',
      'cached',
      'commit_limit',
      'committed_as',
      'dirty',
      'free',
      'high_free',
      'high_total',
      'huge_page_size',
      'huge_pages_free',
      'huge_pages_total',
      'inactive',
      'low_free',
      'low_total',
      'mapped',
      'page_tables',
      'shared',
      'slab',
      'sreclaimable',
      'sunreclaim',
      'swap_cached',
      'swap_free',
      'swap_total',
      'total',
      'used',
      'vmalloc_chunk',
      'vmalloc_total',
      'vmalloc_used',
      'write_back',
      'write_back_tmp',
    ),
    available_percent: F,
    used_percent: F,
  },
  // parked only while some process is parked (checked apart).
  processes: ints('blocked', 'dead', 'idle', 'paging', 'running', 'sleeping', 'stopped', 'total', 'total_threads', 'unknown', 'zombies'),
  swap: { ...ints('free', 'in', 'out', 'total', 'used'), used_percent: F },
  system: {
    load1: F,
    load5: F,
    load15: F,
    ...ints('n_cpus', 'n_physical_cpus', 'uptime', ...(existsSync('/var/run/utmp') ? ['n_users', 'n_unique_users'] : [])),
    uptime_format: S,
  },
};

describe('influxsh collect', () => {
  let db: string;
  let run: { code: number | null; stderr: string };
  beforeAll(async () => {
    db = uniqueDb('tg');
    // Interval longer than the run: only the start and end samples.
    run = await P.run(['collect', '--database', db, '--interval', '10s', '-d', '2s', '--tag', 'dc=eu-1', '--tag', 'role=db']);
  });

  it('samples at the start and at the end of --duration, and the summary counts what is stored', async () => {
    expect(run.code, run.stderr).toBe(0);
    const m = /collect: (\d+) samples; (\d+) points written, 0 dropped, 0 rejected/.exec(run.stderr);
    expect(m, run.stderr).not.toBeNull();
    expect(Number(m![1])).toBe(2);
    const system = await P.q('SELECT count(uptime) FROM system', db);
    expect(system.results[0].series[0].values[0][1]).toBe(2);
    // The end sample has a cpu reading to compare with: usage fields are written once.
    const cpu = await P.q("SELECT count(usage_idle) FROM cpu WHERE cpu = 'cpu-total'", db);
    expect(cpu.results[0].series[0].values[0][1]).toBe(1);
    let stored = 0;
    for (const name of Object.keys(TELEGRAF)) {
      const r = await P.q(`SELECT * FROM ${name}`, db);
      stored += r.results[0].series?.[0]?.values.length ?? 0;
    }
    expect(stored).toBe(Number(m![2]));
  });

  it("writes Telegraf's default measurements with exactly its field names and types", async () => {
    const res = await P.q('SHOW FIELD KEYS', db);
    const types: Record<string, Record<string, string>> = {};
    for (const s of res.results[0].series) types[s.name] = Object.fromEntries(s.values);
    expect(Object.keys(types).sort()).toEqual(Object.keys(TELEGRAF).sort());
    const sometimes: Record<string, Record<string, string>> = { diskio: { io_await: F, io_svctm: F }, processes: { parked: I } };
    for (const [name, fields] of Object.entries(TELEGRAF)) {
      const seen = { ...types[name] };
      for (const [k, t] of Object.entries(sometimes[name] ?? {})) {
        if (k in seen) expect(seen[k], `${name}.${k}`).toBe(t);
        delete seen[k];
      }
      expect(seen, name).toEqual(fields);
    }
  });

  it("tags every point with host and the --tag pairs, and each plugin's own tags", async () => {
    for (const name of Object.keys(TELEGRAF)) {
      const keys = await P.q(`SHOW TAG KEYS FROM ${name}`, db);
      const own = { cpu: ['cpu'], disk: ['device', 'fstype', 'mode', 'path'], diskio: ['name'] }[name as 'cpu'] ?? [];
      // diskio's wwid only where sysfs has one (nvme, scsi).
      const seen = keys.results[0].series[0].values.map((v: string[]) => v[0]).filter((k: string) => !(name === 'diskio' && k === 'wwid'));
      expect(seen, name).toEqual(['dc', 'host', ...own, 'role'].sort());
    }
    const dc = await P.q('SHOW TAG VALUES FROM mem WITH KEY = "dc"', db);
    expect(dc.results[0].series[0].values).toEqual([['dc', 'eu-1']]);
  });

  it('answers the queries written for Telegraf', async () => {
    const cpu = await P.q("SELECT last(usage_idle) FROM cpu WHERE cpu = 'cpu-total'", db);
    const idle = cpu.results[0].series[0].values[0][1];
    expect(idle).toBeGreaterThanOrEqual(0);
    expect(idle).toBeLessThanOrEqual(100);
    const mem = await P.q('SELECT last(used_percent) FROM mem', db);
    const pct = mem.results[0].series[0].values[0][1];
    expect(pct).toBeGreaterThan(0);
    expect(pct).toBeLessThan(100);
    const up = await P.q('SELECT last(uptime), last(uptime_format) FROM system', db);
    const [, secs, text] = up.results[0].series[0].values[0];
    expect(secs).toBeGreaterThan(0);
    expect(text).toMatch(secs >= 86400 ? /^\d+ days?, [ \d]\d:\d\d$/ : /^[ \d]\d:\d\d$/);
  });

  it('exits 1 with one line when nothing was written', async () => {
    const r = await P.run(['collect', '--database', uniqueDb('tg'), '--retention-policy', 'nosuchrp', '--interval', '10s', '-d', '300ms']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/collect: 0 samples|collect: \d+ samples; 0 points written/);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^collect: nothing was written to .* database tg/);
  });

  it('rejects a malformed --tag as a usage error', async () => {
    const r = await P.run(['collect', '--tag', 'dc']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('invalid --tag "dc": use key=value');
  });
});
