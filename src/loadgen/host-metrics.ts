// Samples this host the way Telegraf's default inputs (cpu, disk, diskio, kernel, mem, processes, swap, system) do, and
// renders Telegraf's line protocol: the same measurement, tag and field names and field types
// (integers for counts and bytes, floats for percentages and load), so queries and dashboards
// written for Telegraf work unchanged. Linux reads /proc; elsewhere what `os` offers.
import { readFileSync, readdirSync, statfsSync, existsSync } from 'node:fs';
import os from 'node:os';
import { finiteFields, pointLine } from '../write/line-protocol.js';
import {
  diskioEntries,
  diskioRates,
  formatUptime,
  int,
  kernelFields,
  memFields,
  parseMeminfo,
  physicalCpus,
  processStates,
  swapFields,
  utmpUsers,
  type DiskioEntry,
  type Fields,
} from './host/proc-parse.js';

export interface Sample {
  measurement: string;
  tags: Record<string, string>;
  fields: Fields;
}

export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

function readCpuTimes(): Map<string, CpuTimes> {
  const out = new Map<string, CpuTimes>();
  if (existsSync('/proc/stat')) {
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      if (!line.startsWith('cpu')) continue;
      const [name, ...v] = line.trim().split(/\s+/);
      const n = v.map(Number);
      out.set(name === 'cpu' ? 'cpu-total' : name!, {
        user: n[0] ?? 0,
        nice: n[1] ?? 0,
        system: n[2] ?? 0,
        idle: n[3] ?? 0,
        iowait: n[4] ?? 0,
        irq: n[5] ?? 0,
        softirq: n[6] ?? 0,
        steal: n[7] ?? 0,
        guest: n[8] ?? 0,
        guestNice: n[9] ?? 0,
      });
    }
    return out;
  }
  const total: CpuTimes = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0 };
  os.cpus().forEach((c, i) => {
    const t = { ...total, user: c.times.user, nice: c.times.nice, system: c.times.sys, idle: c.times.idle, irq: c.times.irq };
    out.set(`cpu${i}`, t);
    for (const k of ['user', 'nice', 'system', 'idle', 'irq'] as const) total[k] += t[k];
  });
  out.set('cpu-total', total);
  return out;
}

function busyTotal(t: CpuTimes): number {
  // guest and guest_nice are already inside user and nice.
  return t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
}

/** Telegraf's cpu input (percpu and totalcpu): usage_* as percentages of the interval. */
export class CpuSampler {
  // No reading yet: the first sample only takes one, as Telegraf's first gather writes no cpu point.
  private last = new Map<string, CpuTimes>();

  constructor(private readonly read: () => Map<string, CpuTimes> = readCpuTimes) {}

  sample(): Sample[] {
    const now = this.read();
    const out: Sample[] = [];
    const names = [...now.keys()].sort((a, b) => (a === 'cpu-total' ? 1 : b === 'cpu-total' ? -1 : Number(a.slice(3)) - Number(b.slice(3))));
    for (const name of names) {
      const c = now.get(name)!;
      const p = this.last.get(name);
      if (!p) continue;
      const d = busyTotal(c) - busyTotal(p);
      if (d <= 0) continue;
      const pct = (x: number): number => (100 * x) / d;
      out.push({
        measurement: 'cpu',
        tags: { cpu: name },
        fields: {
          usage_user: pct(c.user - p.user - (c.guest - p.guest)),
          usage_system: pct(c.system - p.system),
          usage_idle: pct(c.idle - p.idle),
          usage_nice: pct(c.nice - p.nice - (c.guestNice - p.guestNice)),
          usage_iowait: pct(c.iowait - p.iowait),
          usage_irq: pct(c.irq - p.irq),
          usage_softirq: pct(c.softirq - p.softirq),
          usage_steal: pct(c.steal - p.steal),
          usage_guest: pct(c.guest - p.guest),
          usage_guest_nice: pct(c.guestNice - p.guestNice),
        },
      });
    }
    this.last = now;
    return out;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // not Linux, or not readable here
  }
}

export function memSample(): Sample {
  const text = readText('/proc/meminfo');
  if (text === undefined) {
    const total = os.totalmem();
    const free = os.freemem();
    return {
      measurement: 'mem',
      tags: {},
      fields: { total: int(total), free: int(free), available: int(free), used: int(total - free), used_percent: (100 * (total - free)) / total, available_percent: (100 * free) / total },
    };
  }
  return { measurement: 'mem', tags: {}, fields: memFields(parseMeminfo(text)) };
}

/** Telegraf's swap input (Linux): sizes and bytes swapped in/out since boot. */
export function swapSample(): Sample[] {
  const text = readText('/proc/meminfo');
  return text === undefined ? [] : [{ measurement: 'swap', tags: {}, fields: swapFields(parseMeminfo(text), readText('/proc/vmstat') ?? '') }];
}

/** Telegraf's kernel input (Linux only, as in Telegraf). */
export function kernelSample(): Sample[] {
  const stat = readText('/proc/stat');
  return stat === undefined ? [] : [{ measurement: 'kernel', tags: {}, fields: kernelFields(stat, readText('/proc/sys/kernel/random/entropy_avail')) }];
}

/** Telegraf's diskio input (Linux): one point per block device with I/O, tagged with its name (and wwid where sysfs has one). */
export class DiskioSampler {
  private last = new Map<string, DiskioEntry['counts']>();
  private lastAt = 0;

  sample(): Sample[] {
    const at = performance.now();
    const entries = diskioEntries(readText('/proc/diskstats') ?? '');
    const out = entries.map((d): Sample => {
      const wwid = readText(`/sys/block/${d.name}/wwid`)?.trim();
      const prev = this.last.get(d.name);
      const fields = prev ? { ...d.fields, ...diskioRates(prev, d.counts, Math.round(at - this.lastAt)) } : d.fields;
      return { measurement: 'diskio', tags: wwid ? { name: d.name, wwid } : { name: d.name }, fields };
    });
    this.last = new Map(entries.map((d) => [d.name, d.counts]));
    this.lastAt = at;
    return out;
  }
}

/** Each CPU's core_cpus_list (thread_siblings_list on older kernels): one distinct list per physical core. */
function siblingLists(): string[] {
  for (const file of ['core_cpus_list', 'thread_siblings_list']) {
    let cpus: string[] = [];
    try {
      cpus = readdirSync('/sys/devices/system/cpu').filter((e) => /^cpu\d+$/.test(e));
    } catch {
      /* no sysfs */
    }
    const lists = cpus.map((c) => readText(`/sys/devices/system/cpu/${c}/topology/${file}`)).filter((x): x is string => x !== undefined);
    if (lists.length) return lists;
  }
  return [];
}

export function systemSample(): Sample {
  const [l1, l5, l15] = os.loadavg();
  const up = Math.floor(os.uptime());
  const fields: Fields = { load1: l1!, load5: l5!, load15: l15! };
  // n_users and n_unique_users only where utmp is readable, as Telegraf does.
  let utmp: Buffer | undefined;
  try {
    utmp = readFileSync('/var/run/utmp');
  } catch {
    /* no utmp (containers) or not permitted */
  }
  if (utmp) {
    const u = utmpUsers(utmp);
    fields.n_users = int(u.sessions);
    fields.n_unique_users = int(u.unique);
  }
  const logical = os.cpus().length;
  Object.assign(fields, {
    n_cpus: int(logical),
    n_physical_cpus: int(physicalCpus(siblingLists(), readText('/proc/cpuinfo') ?? '', logical)),
    uptime: int(up),
    uptime_format: formatUptime(up),
  });
  return { measurement: 'system', tags: {}, fields };
}

// Telegraf's default ignore_fs, plus autofs, which it always skips (a statfs would trigger the mount).
const IGNORED_FS = new Set(['tmpfs', 'devtmpfs', 'devfs', 'iso9660', 'overlay', 'aufs', 'squashfs', 'autofs']);

interface Mount {
  device: string;
  path: string;
  fstype: string;
  mode: string;
}

/** /proc/self/mounts as Telegraf's disk input reads it: every mount but the ignored types; a later mount on a path hides an earlier one. */
export function parseMounts(text: string): Mount[] {
  const byPath = new Map<string, Mount>();
  for (const line of text.split('\n')) {
    const [dev, rawPath, fstype, opts = ''] = line.split(' ');
    if (!dev || !rawPath || !fstype || IGNORED_FS.has(fstype)) continue;
    const path = rawPath.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    const o = opts.split(',');
    const mode = o.includes('rw') ? 'rw' : o.includes('ro') ? 'ro' : 'unknown';
    byPath.delete(path);
    byPath.set(path, { device: dev === 'none' ? fstype : dev.replaceAll('/dev/', ''), path, fstype, mode });
  }
  return [...byPath.values()];
}

export function diskSamples(): Sample[] {
  const out: Sample[] = [];
  let mounts = parseMounts(readText('/proc/self/mounts') ?? '');
  // Off Linux, or nothing left: report the root file system rather than nothing.
  if (!mounts.length) mounts = [{ device: 'rootfs', path: '/', fstype: 'rootfs', mode: 'rw' }];
  for (const m of mounts) {
    try {
      const s = statfsSync(m.path);
      if (s.blocks === 0) continue; // proc, sysfs, cgroup…: Telegraf skips file systems of size 0
      const total = s.blocks * s.bsize;
      const free = s.bavail * s.bsize;
      const used = (s.blocks - s.bfree) * s.bsize;
      out.push({
        measurement: 'disk',
        tags: { device: m.device, fstype: m.fstype, mode: m.mode, path: m.path },
        fields: {
          free: int(free),
          inodes_free: int(s.ffree),
          inodes_total: int(s.files),
          inodes_used: int(s.files - s.ffree),
          inodes_used_percent: s.files > 0 ? (100 * (s.files - s.ffree)) / s.files : 0,
          total: int(total),
          used: int(used),
          used_percent: used + free > 0 ? (100 * used) / (used + free) : 0,
        },
      });
    } catch {
      /* unmounted or not permitted: skip, as Telegraf does */
    }
  }
  return out;
}

export function processesSample(): Sample {
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    /* not Linux */
  }
  const stats = entries.map((pid) => readText(`/proc/${pid}/stat`)).filter((x): x is string => x !== undefined); // gone meanwhile: skipped
  return { measurement: 'processes', tags: {}, fields: processStates(stats) };
}

/** One line of line protocol, `host` and the global tags added (a plugin's own tag wins), NaN/Inf fields left out, as Telegraf writes it. */
export function toLine(s: Sample, host: string, timeMs: number, globalTags: Record<string, string> = {}): string {
  const tags = Object.fromEntries(Object.entries({ host, ...globalTags, ...s.tags }).map(([k, v]) => [k, v || 'unknown']));
  return pointLine(s.measurement, tags, finiteFields(s.fields), timeMs);
}
