import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem, type } from 'node:os';

/** What the numbers were measured on; saved with every result. */
export interface MachineDescription {
  readonly date: string;
  /** CPUs this process may run on (what `nproc` prints). */
  readonly nproc: number;
  readonly cpusOnline: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine shows here. */
  readonly loadAverage: readonly number[];
  readonly kernel: string;
  readonly node: string;
  readonly nginx: string | null;
  readonly wrk: string | null;
  readonly taskset: boolean;
  readonly gitCommit: string | null;
}

/** The CPUs this process may use, from /proc/self/status (`0-1`, `2,4-5`); null when unknown. */
export function allowedCpus(): number[] | null {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
    if (list === undefined) return null;
    const result: number[] = [];
    for (const part of list.split(',')) {
      const [from, to] = part.split('-').map(Number);
      if (from === undefined || !Number.isInteger(from)) return null;
      const last = to ?? from;
      for (let cpu = from; cpu <= last && result.length < 4096; cpu++) result.push(cpu);
    }
    return result;
  } catch {
    return null;
  }
}

function firstLine(command: string, args: readonly string[]): string | null {
  const out = spawnSync(command, args, { encoding: 'utf8', timeout: 5_000 });
  if (out.error !== undefined) return null;
  const text = `${out.stdout ?? ''}\n${out.stderr ?? ''}`.trim();
  return text.split('\n')[0]?.trim() || null;
}

/** nginx prints `nginx version: nginx/1.22.1` on stderr. */
export function nginxVersion(): string | null {
  const line = firstLine('nginx', ['-v']);
  return line === null ? null : line.replace(/^nginx version:\s*/, '');
}

/** wrk -v prints `wrk 4.1.0 [epoll] Copyright …` and its usage. */
export function wrkVersion(): string | null {
  const line = firstLine('wrk', ['-v']);
  return line === null ? null : line.replace(/\s*Copyright.*$/, '');
}

export function hasCommand(command: string, args: readonly string[] = ['--version']): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 5_000 }).error === undefined;
}

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

function gitCommit(cwd: string): string | null {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', timeout: 5_000 });
  if (head.error !== undefined || head.status !== 0) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd,
    encoding: 'utf8',
    timeout: 5_000,
  });
  return `${head.stdout.trim()}${dirty.status === 0 && dirty.stdout.trim() !== '' ? '+dirty' : ''}`;
}

export function describeMachine(repoDir: string): MachineDescription {
  const gib = (bytes: number) => Math.round((bytes / 2 ** 30) * 10) / 10;
  return {
    date: new Date().toISOString(),
    nproc: allowedCpus()?.length ?? cpus().length,
    cpusOnline: cpus().length,
    cpuModel: cpuModel(),
    memoryGiB: gib(totalmem()),
    freeMemoryGiB: gib(freemem()),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    kernel: `${type()} ${release()}`,
    node: process.version,
    nginx: nginxVersion(),
    wrk: wrkVersion(),
    taskset: hasCommand('taskset', ['--version']),
    gitCommit: gitCommit(repoDir),
  };
}
