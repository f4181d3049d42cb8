import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a started process shows that it is ready. */
export type Readiness =
  /** A line of its output (stdout or stderr) matches. */
  | { readonly kind: 'line'; readonly pattern: RegExp }
  /** 127.0.0.1:port accepts a TCP connection. */
  | { readonly kind: 'port'; readonly port: number };

export interface StartOptions {
  /** Short name for messages (`upstream`, `nginx`, …). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Pin to this CPU list with `taskset -c` (null: not pinned). */
  readonly cpu: string | null;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Its stdout and stderr go to this file (no pipe to drain while measuring). */
  readonly logFile: string;
  readonly ready: Readiness;
  readonly timeoutMs: number;
}

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** The readiness line's match (null for port readiness). */
  readonly match: RegExpExecArray | null;
}

const POLL_MS = 50;

/** The last `lines` lines of a log file, for error messages. */
export function logTail(file: string, lines = 12): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(exited(child)), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Sends `signal` to the process group led by `child` (each child is started as its own group). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/**
 * Every process the benchmark starts, so that all of them are stopped on exit, on an error and on
 * SIGINT. Each child leads its own process group (nginx's worker, esbuild helpers… go with it).
 */
export class ProcessGroup {
  readonly #children = new Set<ChildProcess>();

  /** Starts a long-running process and waits (bounded) until it is ready. @throws Error with its output */
  async start(options: StartOptions): Promise<Started> {
    const fd = openSync(options.logFile, 'a');
    let child: ChildProcess;
    try {
      const [command, args] =
        options.cpu === null
          ? [options.command, [...options.args]]
          : ['taskset', ['-c', options.cpu, options.command, ...options.args]];
      child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', fd, fd],
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    this.#track(child);
    let spawnError: Error | null = null;
    child.once('error', (err) => {
      spawnError = err;
    });

    const deadline = Date.now() + options.timeoutMs;
    while (Date.now() < deadline) {
      if (spawnError !== null) throw new Error(`${options.name}: could not start: ${(spawnError as Error).message}`);
      if (options.ready.kind === 'line') {
        const match = options.ready.pattern.exec(readLog(options.logFile));
        if (match !== null) return { name: options.name, child, logFile: options.logFile, match };
      } else if (await portAccepts(options.ready.port)) {
        return { name: options.name, child, logFile: options.logFile, match: null };
      }
      if (exited(child)) {
        throw new Error(
          `${options.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${logTail(options.logFile)}`,
        );
      }
      await sleep(POLL_MS);
    }
    await this.stop(child);
    throw new Error(`${options.name} was not ready within ${options.timeoutMs} ms:\n${logTail(options.logFile)}`);
  }

  /** Runs a short command to completion (bounded), capturing its output. */
  run(
    command: string,
    args: readonly string[],
    options: {
      readonly timeoutMs: number;
      readonly env?: NodeJS.ProcessEnv;
      readonly cwd?: string;
      readonly cpu?: string | null;
    },
  ): Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }> {
    const cpu = options.cpu ?? null;
    const [cmd, argv] = cpu === null ? [command, [...args]] : ['taskset', ['-c', cpu, command, ...args]];
    const child = spawn(cmd, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.#track(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signalGroup(child, 'SIGKILL');
        reject(new Error(`${command} did not finish within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`${command}: ${e.message}`));
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        this.#children.delete(child);
        resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
    });
  }

  /** SIGTERM to the child's group, SIGKILL after `graceMs`. */
  async stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
    if (!exited(child)) {
      signalGroup(child, 'SIGTERM');
      if (!(await waitExit(child, graceMs))) {
        signalGroup(child, 'SIGKILL');
        await waitExit(child, 2_000);
      }
    }
    signalGroup(child, 'SIGKILL'); // stragglers of the group (e.g. an nginx worker)
    this.#children.delete(child);
  }

  /** Stops every child still running, in parallel. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#children].map((child) => this.stop(child)));
  }

  /** Process group ids of every tracked child (each child leads its own group). */
  groupIds(): number[] {
    return [...this.#children].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
  }

  /** Last resort on process exit: SIGKILL to every group, synchronously. */
  killAllSync(): void {
    for (const child of this.#children) signalGroup(child, 'SIGKILL');
    this.#children.clear();
  }

  /** Tracked until stop() (its group may outlive it), or until close for run(). */
  #track(child: ChildProcess): void {
    this.#children.add(child);
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
