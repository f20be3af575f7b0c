// Telegraf's field names, types and units from fixture copies of /proc files (taken from a dev
// machine; meminfo and vmstat edited so swap and huge pages are non-zero).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  diskioEntries, formatUptime, kernelFields, memFields, parseMeminfo, physicalCpus, swapFields, utmpUsers,
} from '../../src/loadgen/host/proc-parse.js';
import { toLine } from '../../src/loadgen/host-metrics.js';
import { parseGlobalTags } from '../../src/cli/collect-command.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/proc/${name}`, import.meta.url), 'utf8');
const KiB = 1024;

describe('mem (Linux fields)', () => {
  const f = memFields(parseMeminfo(fixture('meminfo')));
  it('has every Linux field of Telegraf, integers in bytes and float percentages', () => {
    expect(Object.keys(f).sort()).toEqual([
      'active', 'available', 'available_percent', 'buffered', 'cached', 'commit_limit', 'committed_as', 'dirty', 'free',
      'high_free', 'high_total', 'huge_page_size', 'huge_pages_free', 'huge_pages_total', 'inactive', 'low_free', 'low_total',
      'mapped', 'page_tables', 'shared', 'slab', 'sreclaimable', 'sunreclaim', 'swap_cached', 'swap_free', 'swap_total',
      'total', 'used', 'used_percent', 'vmalloc_chunk', 'vmalloc_total', 'vmalloc_used', 'write_back', 'write_back_tmp',
    ]);
    expect(f.huge_page_size).toEqual({ int: 2048 * KiB });
    expect(f.huge_pages_total).toEqual({ int: 4 }); // a count, not kB
    expect(f.huge_pages_free).toEqual({ int: 3 });
    expect(f.vmalloc_total).toEqual({ int: 34359738367 * KiB });
    expect(f.vmalloc_used).toEqual({ int: 17708 * KiB });
    expect(f.write_back_tmp).toEqual({ int: 12 * KiB });
    expect(f.high_free).toEqual({ int: 0 });
    // used = total - free - buffers - (cached + sreclaimable)
    const used = (24683748 - 21798916 - 33324 - 2049688 - 204664) * KiB;
    expect(f.used).toEqual({ int: used });
    expect(f.used_percent).toBeCloseTo((100 * used) / (24683748 * KiB), 10);
    expect(typeof f.available_percent).toBe('number');
  });
});

describe('swap', () => {
  it('reports sizes from meminfo and bytes swapped from vmstat pages', () => {
    const f = swapFields(parseMeminfo(fixture('meminfo')), fixture('vmstat'));
    expect(f).toEqual({
      free: { int: 786432 * KiB }, in: { int: 10 * 4096 }, out: { int: 20 * 4096 },
      total: { int: 1048576 * KiB }, used: { int: 262144 * KiB }, used_percent: 25,
    });
  });
});

describe('kernel', () => {
  it('reads /proc/stat counters and entropy_avail as integers', () => {
    expect(kernelFields(fixture('stat'), '256\n')).toEqual({
      boot_time: { int: 1796396336 }, context_switches: { int: 25058667 }, interrupts: { int: 8429706 },
      processes_forked: { int: 180996 }, entropy_avail: { int: 256 },
    });
  });
  it('adds disk_pages_in/out only where the kernel has a page line', () => {
    const f = kernelFields('page 5741 1808\nctxt 3\n', undefined);
    expect(f.disk_pages_in).toEqual({ int: 5741 });
    expect(f.disk_pages_out).toEqual({ int: 1808 });
    expect('entropy_avail' in f).toBe(false);
  });
});

describe('diskio', () => {
  it('maps /proc/diskstats columns to Telegraf names, sectors to bytes', () => {
    const d = diskioEntries(fixture('diskstats'));
    expect(d.map((x) => x.name)).toEqual(['vda', 'zram0']);
    expect(d[0]!.fields).toEqual({
      reads: { int: 56930 }, merged_reads: { int: 16187 }, read_bytes: { int: 2758578 * 512 }, read_time: { int: 15967 },
      writes: { int: 163506 }, merged_writes: { int: 162838 }, write_bytes: { int: 12601272 * 512 }, write_time: { int: 156772 },
      iops_in_progress: { int: 0 }, io_time: { int: 83920 }, weighted_io_time: { int: 241493 },
    });
  });
});

describe('system', () => {
  it('counts physical cores from cpuinfo', () => {
    expect(physicalCpus(fixture('cpuinfo'))).toBe(2);
    expect(physicalCpus('processor : 0\nphysical id : 0\ncore id : 0\nprocessor : 1\nphysical id : 0\ncore id : 0\n')).toBe(1);
  });
  it('formats uptime as Telegraf does: no days part on the first day', () => {
    expect(formatUptime(3720)).toBe(' 1:02');
    expect(formatUptime(86400 + 11 * 3600 + 7 * 60)).toBe('1 day, 11:07');
    expect(formatUptime(14 * 86400 + 11 * 3600 + 7 * 60 + 59)).toBe('14 days, 11:07');
  });
  it('counts USER_PROCESS utmp records and distinct users', () => {
    const rec = (type: number, user: string): Buffer => {
      const b = Buffer.alloc(384);
      b.writeInt16LE(type, 0);
      b.write(user, 44, 'utf8');
      return b;
    };
    const buf = Buffer.concat([rec(2, 'reboot'), rec(7, 'ann'), rec(7, 'ann'), rec(7, 'bob'), rec(8, 'carl')]);
    expect(utmpUsers(buf)).toEqual({ sessions: 3, unique: 2 });
  });
});

describe('global tags', () => {
  it('adds --tag pairs and host to every line, tags sorted, a plugin tag winning', () => {
    const tags = parseGlobalTags(['dc=eu-1', 'role=db', 'name=x']);
    const line = toLine({ measurement: 'diskio', tags: { name: 'vda' }, fields: { reads: { int: 5 } } }, 'h1', 1000, tags);
    expect(line).toBe('diskio,dc=eu-1,host=h1,name=vda,role=db reads=5i 1000');
    expect(() => parseGlobalTags(['dc'])).toThrow(/invalid --tag "dc": use key=value/);
  });
});
