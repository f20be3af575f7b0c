// Telegraf's field names, types and units from fixture copies of /proc files (taken from a dev
// machine; meminfo and vmstat edited so swap and huge pages are non-zero).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diskioEntries, diskioRates, formatUptime, kernelFields, memFields, parseMeminfo, physicalCpus, processStates, swapFields, utmpUsers } from '../../src/loadgen/host/proc-parse.js';
import { CpuSampler, parseMounts, toLine, type CpuTimes } from '../../src/loadgen/host-metrics.js';
import { parseGlobalTags } from '../../src/cli/collect-command.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/proc/${name}`, import.meta.url), 'utf8');
const KiB = 1024;

describe('mem (Linux fields)', () => {
  const f = memFields(parseMeminfo(fixture('meminfo')));
  it('has every Linux field of Telegraf, integers in bytes and float percentages', () => {
    expect(Object.keys(f).sort()).toEqual([
      'active',
      'available',
      'available_percent',
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
      'used_percent',
      'vmalloc_chunk',
      'vmalloc_total',
      'vmalloc_used',
      'write_back',
      'write_back_tmp',
    ]);
    expect(f.huge_page_size).toEqual({ int: 2048 * KiB });
    expect(f.huge_pages_total).toEqual({ int: 4 }); // a count, not kB
    expect(f.huge_pages_free).toEqual({ int: 3 });
    expect(f.vmalloc_total).toEqual({ int: 34359738367 * KiB });
    expect(f.vmalloc_used).toEqual({ int: 17708 * KiB });
    expect(f.write_back_tmp).toEqual({ int: 12 * KiB });
    expect(f.high_free).toEqual({ int: 0 });
    // used = total - available, the `used` of free (procps-ng 4) and of Telegraf 1.37+.
    const used = (24683748 - 23771252) * KiB;
    expect(f.used).toEqual({ int: used });
    expect(f.used_percent).toBeCloseTo((100 * used) / (24683748 * KiB), 10);
    expect(f.available_percent).toBeCloseTo((100 * 23771252) / 24683748, 10);
    expect(f.cached).toEqual({ int: (2049688 + 204664) * KiB }); // Cached + SReclaimable
  });
  it('without MemAvailable (kernels before 3.14): used = total - free - buffers - cached', () => {
    const g = memFields(parseMeminfo(fixture('meminfo').replace(/^MemAvailable:.*\n/m, '')));
    expect(g.used).toEqual({ int: (24683748 - 21798916 - 33324 - 2049688 - 204664) * KiB });
    expect(g.available).toEqual({ int: (21798916 + 2049688 + 204664) * KiB });
  });
});

describe('cpu', () => {
  it('writes nothing on the first sample and percentages of the interval from the second, guest outside user', () => {
    let tick = 0;
    const times = (): Map<string, CpuTimes> => {
      tick++;
      const t = { user: 60 * tick, nice: 0, system: 20 * tick, idle: 20 * tick, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 10 * tick, guestNice: 0 };
      return new Map([['cpu-total', t]]);
    };
    const cpu = new CpuSampler(times);
    expect(cpu.sample()).toEqual([]);
    const [s] = cpu.sample();
    expect(s!.tags).toEqual({ cpu: 'cpu-total' });
    expect(s!.fields).toMatchObject({ usage_user: 50, usage_guest: 10, usage_system: 20, usage_idle: 20 });
  });
});

describe('swap', () => {
  it('reports sizes from meminfo and bytes swapped from vmstat pages', () => {
    const f = swapFields(parseMeminfo(fixture('meminfo')), fixture('vmstat'));
    expect(f).toEqual({
      free: { int: 786432 * KiB },
      in: { int: 10 * 4096 },
      out: { int: 20 * 4096 },
      total: { int: 1048576 * KiB },
      used: { int: 262144 * KiB },
      used_percent: 25,
    });
  });
});

describe('kernel', () => {
  it('reads /proc/stat counters and entropy_avail as integers', () => {
    expect(kernelFields(fixture('stat'), '256\n')).toEqual({
      boot_time: { int: 1796396336 },
      context_switches: { int: 25058667 },
      interrupts: { int: 8429706 },
      processes_forked: { int: 180996 },
      entropy_avail: { int: 256 },
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
    expect(d.map((x) => x.name)).toEqual(['vda']); // zram0's counters are all zero: skipped, as gopsutil does
    expect(d[0]!.fields).toEqual({
      reads: { int: 56930 },
      merged_reads: { int: 16187 },
      read_bytes: { int: 2758578 * 512 },
      read_time: { int: 15967 },
      writes: { int: 163506 },
      merged_writes: { int: 162838 },
      write_bytes: { int: 12601272 * 512 },
      write_time: { int: 156772 },
      iops_in_progress: { int: 0 },
      io_time: { int: 83920 },
      weighted_io_time: { int: 241493 },
    });
  });
  it('derives io_await, io_svctm and io_util from two samples, none after a wrap', () => {
    const prev = { rw: 1000, rwTime: 5000, ioTime: 2000 };
    expect(diskioRates(prev, { rw: 1100, rwTime: 5300, ioTime: 2050 }, 10_000)).toEqual({ io_await: 3, io_svctm: 0.5, io_util: 0.5 });
    expect(diskioRates(prev, prev, 10_000)).toEqual({ io_util: 0 }); // no I/O: no per-I/O times
    expect(diskioRates(prev, { rw: 10, rwTime: 5300, ioTime: 2050 }, 10_000)).toEqual({});
  });
});

describe('processes', () => {
  const stat = (pid: number, state: string, threads: number): string => `${pid} (a) b) ${state} 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 ${threads} 0 100 0 0`;
  it('counts states and threads as Telegraf does on Linux; parked only when a process is', () => {
    const f = processStates([stat(1, 'S', 1), stat(2, 'R', 4), stat(3, 'I', 1), stat(4, 'D', 1), stat(5, 'Z', 1), stat(6, 't', 1), stat(7, 'K', 1)]);
    expect(f).toEqual({
      blocked: { int: 1 },
      dead: { int: 0 },
      idle: { int: 1 },
      paging: { int: 0 },
      running: { int: 1 },
      sleeping: { int: 1 },
      stopped: { int: 1 },
      total: { int: 7 },
      total_threads: { int: 10 },
      unknown: { int: 1 },
      zombies: { int: 1 },
    });
    expect(processStates([stat(1, 'P', 1), stat(2, 'P', 1)]).parked).toEqual({ int: 2 });
  });
});

describe('disk', () => {
  it("takes every mount but Telegraf's ignored types, devices without /dev/, 'none' as the fstype, rw/ro from the options", () => {
    const mounts = parseMounts(
      [
        '/dev/vda / ext4 rw,relatime 0 0',
        'proc /proc proc rw,nosuid 0 0',
        'tmpfs /dev/shm tmpfs rw 0 0',
        'server:/export /mnt/my\\040share nfs4 ro,relatime 0 0',
        'none /sys/kernel/tracing tracefs rw 0 0',
        'systemd-1 /auto autofs rw 0 0',
        '/dev/vdb /data xfs rw 0 0',
        '/dev/vdc /data ext4 ro 0 0',
      ].join('\n'),
    );
    expect(mounts).toEqual([
      { device: 'vda', path: '/', fstype: 'ext4', mode: 'rw' },
      { device: 'proc', path: '/proc', fstype: 'proc', mode: 'rw' },
      { device: 'server:/export', path: '/mnt/my share', fstype: 'nfs4', mode: 'ro' },
      { device: 'tracefs', path: '/sys/kernel/tracing', fstype: 'tracefs', mode: 'rw' },
      { device: 'vdc', path: '/data', fstype: 'ext4', mode: 'ro' },
    ]);
  });
});

describe('system', () => {
  it('counts physical cores as gopsutil does: distinct sysfs sibling lists, else cpu cores per package', () => {
    expect(physicalCpus(['0-1', '0-1', '2-3', '2-3'], '', 4)).toBe(2);
    expect(physicalCpus(['0', '1'], '', 2)).toBe(2);
    expect(physicalCpus([], fixture('cpuinfo'), 2)).toBe(2);
    const twoPackages = 'processor : 0\nphysical id : 0\ncpu cores : 4\n\nprocessor : 1\nphysical id : 1\ncpu cores : 4\n\nprocessor : 2\nphysical id : 1\ncpu cores : 4\n';
    expect(physicalCpus([], twoPackages, 3)).toBe(8);
    expect(physicalCpus([], 'processor : 0\n', 1)).toBe(1);
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
