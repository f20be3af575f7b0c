// Pure parsers from the text of Linux /proc files to Telegraf's fields, so each plugin's names,
// types and units can be checked against fixture copies of those files.
export type Fields = Record<string, number | string | { int: number }>;

export const int = (n: number): { int: number } => ({ int: Math.round(n) });

/** /proc/meminfo as bytes (kB lines ×1024; HugePages_* stay counts). */
export function parseMeminfo(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const x = /^(\S+):\s+(\d+)(\s+kB)?/.exec(line);
    if (x) m.set(x[1]!, Number(x[2]) * (x[3] ? 1024 : 1));
  }
  return m;
}

/**
 * Telegraf's mem input on Linux (gopsutil 4.25.8+, Telegraf 1.37+): used = total - available, as
 * `free` (procps-ng 4) shows it; kernels without MemAvailable: total - free - buffers - cached.
 * cached includes SReclaimable.
 */
export function memFields(m: Map<string, number>): Fields {
  const g = (k: string): number => m.get(k) ?? 0;
  const total = g('MemTotal');
  const cached = g('Cached') + g('SReclaimable');
  const hasAvailable = m.has('MemAvailable');
  const available = hasAvailable ? g('MemAvailable') : g('MemFree') + cached;
  const used = hasAvailable ? total - available : total - g('MemFree') - g('Buffers') - cached;
  const pct = (x: number): number => (total > 0 ? (100 * x) / total : 0);
  return {
    active: int(g('Active')),
    available: int(available),
    available_percent: pct(available),
    buffered: int(g('Buffers')),
    cached: int(cached),
    commit_limit: int(g('CommitLimit')),
    committed_as: int(g('Committed_AS')),
    dirty: int(g('Dirty')),
    free: int(g('MemFree')),
    high_free: int(g('HighFree')),
    high_total: int(g('HighTotal')),
    huge_page_size: int(g('Hugepagesize')),
    huge_pages_free: int(g('HugePages_Free')),
    huge_pages_total: int(g('HugePages_Total')),
    inactive: int(g('Inactive')),
    low_free: int(g('LowFree')),
    low_total: int(g('LowTotal')),
    mapped: int(g('Mapped')),
    page_tables: int(g('PageTables')),
    shared: int(g('Shmem')),
    slab: int(g('Slab')),
    sreclaimable: int(g('SReclaimable')),
    sunreclaim: int(g('SUnreclaim')),
    swap_cached: int(g('SwapCached')),
    swap_free: int(g('SwapFree')),
    swap_total: int(g('SwapTotal')),
    total: int(total),
    used: int(used),
    used_percent: pct(used),
    vmalloc_chunk: int(g('VmallocChunk')),
    vmalloc_total: int(g('VmallocTotal')),
    vmalloc_used: int(g('VmallocUsed')),
    write_back: int(g('Writeback')),
    write_back_tmp: int(g('WritebackTmp')),
  };
}

function keyValues(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const [k, ...v] = line.trim().split(/\s+/);
    if (k) out.set(k, v.map(Number));
  }
  return out;
}

/** Telegraf's swap input: sizes from meminfo, in/out as bytes swapped since boot (pages × 4 KiB). */
export function swapFields(m: Map<string, number>, vmstat: string): Fields {
  const total = m.get('SwapTotal') ?? 0;
  const free = m.get('SwapFree') ?? 0;
  const used = total - free;
  const v = keyValues(vmstat);
  const pages = (k: string): number => (v.get(k)?.[0] ?? 0) * 4096;
  return {
    free: int(free),
    in: int(pages('pswpin')),
    out: int(pages('pswpout')),
    total: int(total),
    used: int(used),
    used_percent: total > 0 ? (100 * used) / total : 0,
  };
}

/** Telegraf's kernel input: /proc/stat counters (disk_pages_* only where the kernel has a `page` line). */
export function kernelFields(stat: string, entropyAvail: string | undefined): Fields {
  const s = keyValues(stat);
  const f: Fields = {
    boot_time: int(s.get('btime')?.[0] ?? 0),
    context_switches: int(s.get('ctxt')?.[0] ?? 0),
    interrupts: int(s.get('intr')?.[0] ?? 0),
    processes_forked: int(s.get('processes')?.[0] ?? 0),
  };
  const page = s.get('page');
  if (page) {
    f.disk_pages_in = int(page[0] ?? 0);
    f.disk_pages_out = int(page[1] ?? 0);
  }
  if (entropyAvail !== undefined && /^\d+/.test(entropyAvail.trim())) f.entropy_avail = int(Number(entropyAvail.trim()));
  return f;
}

export interface DiskioEntry {
  name: string;
  fields: Fields;
  /** Raw counters for the next sample's io_await, io_svctm and io_util. */
  counts: { rw: number; rwTime: number; ioTime: number };
}

/** Telegraf's diskio input: one entry per /proc/diskstats device whose counters are not all zero (gopsutil skips those). */
export function diskioEntries(diskstats: string): DiskioEntry[] {
  const out: DiskioEntry[] = [];
  for (const line of diskstats.split('\n')) {
    const p = line.trim().split(/\s+/);
    if (p.length < 14) continue;
    const n = p.map(Number);
    if (n.slice(3, 14).every((x) => x === 0)) continue;
    out.push({
      name: p[2]!,
      fields: {
        io_time: int(n[12]!),
        iops_in_progress: int(n[11]!),
        merged_reads: int(n[4]!),
        merged_writes: int(n[8]!),
        read_bytes: int(n[5]! * 512),
        read_time: int(n[6]!),
        reads: int(n[3]!),
        weighted_io_time: int(n[13]!),
        write_bytes: int(n[9]! * 512),
        write_time: int(n[10]!),
        writes: int(n[7]!),
      },
      counts: { rw: n[3]! + n[7]!, rwTime: n[6]! + n[10]!, ioTime: n[12]! },
    });
  }
  return out;
}

/**
 * Telegraf's diskio gauges from two samples `elapsedMs` apart: io_await and io_svctm (ms per I/O,
 * only when there was I/O), io_util (percent of the time busy); none after a counter wrapped.
 */
export function diskioRates(prev: DiskioEntry['counts'], cur: DiskioEntry['counts'], elapsedMs: number): Fields {
  const dRw = cur.rw - prev.rw;
  const dRwTime = cur.rwTime - prev.rwTime;
  const dIo = cur.ioTime - prev.ioTime;
  if (dRw < 0 || dRwTime < 0 || dIo < 0) return {};
  const f: Fields = {};
  if (dRw > 0) {
    f.io_await = dRwTime / dRw;
    f.io_svctm = dIo / dRw;
  }
  if (elapsedMs > 0) f.io_util = (100 * dIo) / elapsedMs;
  return f;
}

/**
 * Physical cores as gopsutil counts them: distinct sysfs core_cpus_list (or thread_siblings_list)
 * contents; else the sum of "cpu cores" per "physical id" in cpuinfo; else `logical`.
 */
export function physicalCpus(siblingLists: string[], cpuinfo: string, logical: number): number {
  const distinct = new Set(siblingLists.map((l) => l.trim()).filter(Boolean));
  if (distinct.size) return distinct.size;
  const coresPerPackage = new Map<string, number>();
  for (const block of cpuinfo.split(/\n\s*\n/)) {
    const id = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const cores = /^cpu cores\s*:\s*(\d+)/m.exec(block)?.[1];
    if (id !== undefined && cores !== undefined) coresPerPackage.set(id, Number(cores));
  }
  let sum = 0;
  for (const c of coresPerPackage.values()) sum += c;
  return sum || logical;
}

/**
 * Telegraf's processes input on Linux from the text of each /proc/PID/stat. `parked` is written
 * only when a process is parked, as Telegraf does (with the real count; Telegraf writes 1).
 */
export function processStates(stats: Iterable<string>): Fields {
  const f: Record<string, number> = { blocked: 0, dead: 0, idle: 0, paging: 0, running: 0, sleeping: 0, stopped: 0, total: 0, total_threads: 0, unknown: 0, zombies: 0 };
  let parked = 0;
  for (const stat of stats) {
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    f.total!++;
    f.total_threads! += Number(rest[17]) || 0;
    const key = STATE_FIELD[rest[0]?.[0] ?? ''];
    if (key === 'parked') parked++;
    else f[key ?? 'unknown']!++;
  }
  if (parked) f.parked = parked;
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [k, int(v)]));
}

const STATE_FIELD: Record<string, string> = { R: 'running', S: 'sleeping', D: 'blocked', Z: 'zombies', X: 'dead', T: 'stopped', t: 'stopped', W: 'paging', I: 'idle', P: 'parked' };

// glibc x86-64/aarch64 struct utmp: 384 bytes; ut_type (int16) at 0, ut_user[32] at 44.
const UTMP_SIZE = 384;
const USER_PROCESS = 7;

/** Logged-in sessions and distinct user names from the bytes of /var/run/utmp. */
export function utmpUsers(buf: Buffer): { sessions: number; unique: number } {
  const names = new Set<string>();
  let sessions = 0;
  for (let o = 0; o + UTMP_SIZE <= buf.length; o += UTMP_SIZE) {
    if (buf.readInt16LE(o) !== USER_PROCESS) continue;
    sessions++;
    const raw = buf.subarray(o + 44, o + 76);
    const end = raw.indexOf(0);
    names.add(raw.subarray(0, end < 0 ? raw.length : end).toString('utf8'));
  }
  return { sessions, unique: names.size };
}

/** Telegraf's uptime_format: "H:MM" with the hour space-padded, preceded by "N day(s), " from the first day on. */
export function formatUptime(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const clock = `${String(hours).padStart(2, ' ')}:${String(minutes).padStart(2, '0')}`;
  return days === 0 ? clock : `${days} day${days === 1 ? '' : 's'}, ${clock}`;
}
