import { readdirSync, readFileSync } from 'node:fs';

/**
 * How much CPU the rest of the machine took while a run was measured: the machine is shared, and a
 * busy neighbour explains a slow round better than any guess. Linux only (/proc); null elsewhere.
 */
interface CpuSnapshot {
  /**
   * Busy ticks of all CPUs: user, nice, system and steal (another VM's use). irq and softirq are
   * left out: the kernel may account our own loopback traffic there rather than to our processes.
   */
  readonly busy: number;
  /** All ticks of all CPUs, idle included. */
  readonly all: number;
  readonly cpus: number;
  /** Ticks of the benchmark's own processes: this one (and its reaped children, e.g. wrk) and every live member of `groups`. */
  readonly ours: number;
  /** Ticks of the live members of each `target` group (the processes under test), in order. */
  readonly target: readonly number[];
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux architecture in use). */
const TICKS_PER_SECOND = 100;

function procStat(): { busy: number; all: number; cpus: number } {
  const text = readFileSync('/proc/stat', 'utf8');
  const fields = (text.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const cpus = text.split('\n').filter((line) => /^cpu\d+ /.test(line)).length;
  return {
    busy: user + nice + system + irq + softirq + steal,
    all: user + nice + system + idle + iowait + irq + softirq + steal,
    cpus,
  };
}

/** utime + stime (+ cutime + cstime when `withChildren`) from a /proc/PID/stat line; pgrp too. */
function processTicks(pid: string, withChildren: boolean): { pgrp: number; ticks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state): field N is rest[N - 3].
    const ticks = Number(rest[11]) + Number(rest[12]) + (withChildren ? Number(rest[13]) + Number(rest[14]) : 0);
    return { pgrp: Number(rest[2]), ticks };
  } catch {
    return null;
  }
}

/** utime + stime of process `pid` (all its threads), in ms of CPU; 0 when it cannot be read. */
export function processCpuMs(pid: number): number {
  const ticks = processTicks(String(pid), false)?.ticks ?? 0;
  return (ticks * 1000) / TICKS_PER_SECOND;
}

function snapshot(groups: readonly number[], targetGroups: readonly number[]): CpuSnapshot {
  const wanted = new Set(groups);
  let ours = processTicks('self', true)?.ticks ?? 0;
  const target = targetGroups.map(() => 0);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const info = processTicks(pid, false);
    if (info === null) continue;
    if (wanted.has(info.pgrp)) ours += info.ticks;
    const index = targetGroups.indexOf(info.pgrp);
    if (index >= 0) target[index] = (target[index] ?? 0) + info.ticks;
  }
  return { ...procStat(), ours, target };
}

/**
 * Runs `fn` and says how much CPU other processes used meanwhile, in percent of one CPU
 * (200 = both CPUs of a 2-CPU machine fully taken by others), and how many milliseconds of CPU
 * the process groups `targetGroups` (the processes under test: one, or nginx and tokengate) used,
 * in all and each (null without any).
 */
export async function withOtherCpu<T>(
  groups: () => readonly number[],
  fn: () => Promise<T>,
  targetGroups: readonly number[] = [],
): Promise<{
  readonly value: T;
  readonly otherCpuPercent: number | null;
  readonly targetCpuMs: number | null;
  readonly targetCpuMsEach: readonly number[] | null;
}> {
  let before: CpuSnapshot | null = null;
  try {
    before = snapshot(groups(), targetGroups);
  } catch {
    before = null;
  }
  const value = await fn();
  if (before === null) return { value, otherCpuPercent: null, targetCpuMs: null, targetCpuMsEach: null };
  try {
    const after = snapshot(groups(), targetGroups);
    const start = before.target;
    const targetCpuMsEach =
      targetGroups.length === 0
        ? null
        : after.target.map((ticks, i) => ((ticks - (start[i] ?? 0)) * 1000) / TICKS_PER_SECOND);
    const targetCpuMs = targetCpuMsEach === null ? null : targetCpuMsEach.reduce((a, b) => a + b, 0);
    const wall = (after.all - before.all) / Math.max(1, after.cpus);
    if (wall <= 0) return { value, otherCpuPercent: null, targetCpuMs, targetCpuMsEach };
    const other = after.busy - before.busy - (after.ours - before.ours);
    return { value, otherCpuPercent: Math.max(0, Math.round((other / wall) * 100)), targetCpuMs, targetCpuMsEach };
  } catch {
    return { value, otherCpuPercent: null, targetCpuMs: null, targetCpuMsEach: null };
  }
}
