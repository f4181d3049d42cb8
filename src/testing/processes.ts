/**
 * Real processes for black-box tests, on free ports of 127.0.0.1: the recording upstream and
 * `tokengate serve`, plus temporary data directories.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliNodeArgs, ROOT, serveArgs } from './paths.js';

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'tokengate-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

interface Spawned {
  readonly child: ChildProcess;
  output(): string;
}

/** Spawns `node ARGS…` from the root, collecting stdout and stderr into one output. */
function spawnNode(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { child, output: () => output };
}

interface Started extends Spawned {
  readonly match: RegExpExecArray;
}

/** Spawns a process and waits until its output matches `ready`. */
function startProcess(args: string[], ready: RegExp, env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<Started> {
  const spawned = spawnNode(args, env);
  const { child } = spawned;
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not start in time: ${args.join(' ')}\n${spawned.output()}`));
    }, timeoutMs);
    // tokengate logs `listening on …` on stderr; the recording upstream prints on stdout
    const check = () => {
      const match = ready.exec(spawned.output());
      if (match) {
        clearTimeout(timer);
        resolvePromise({ ...spawned, match });
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited with ${code} before it was ready: ${args.join(' ')}\n${spawned.output()}`));
    });
  });
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise(code);
    });
    child.kill(signal);
  });
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RunningUpstream {
  readonly url: string;
  records(): Promise<ReceivedRequest[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the recording upstream (src/testing/recording-upstream.ts) as its own process. */
export async function startRecordingUpstream(): Promise<RunningUpstream> {
  const started = await startProcess(
    ['--import', 'tsx', 'src/testing/recording-upstream.ts'],
    /upstream listening on (\d+)/,
    {},
  );
  const url = `http://127.0.0.1:${started.match[1]}`;
  return {
    url,
    records: async () => (await (await fetch(`${url}/__records`)).json()) as ReceivedRequest[],
    clear: async () => {
      await fetch(`${url}/__records`, { method: 'DELETE' });
    },
    stop: async () => {
      await stopProcess(started.child);
    },
  };
}

export interface RunningTokengate {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ServeOptions {
  readonly dataDir: string;
  readonly upstream?: string;
  /** More `serve` arguments (`--workers 2`, …). */
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** How long it may take to print that it listens (default 20 s). */
  readonly startTimeoutMs?: number;
}

/** Starts `tokengate serve` on a free port. */
export async function startTokengate(options: ServeOptions): Promise<RunningTokengate> {
  const args = cliNodeArgs(serveArgs(options.dataDir, options.upstream, options.args));
  const started = await startProcess(
    args,
    /listening on (https?):\/\/127\.0\.0\.1:(\d+)/,
    options.env ?? {},
    options.startTimeoutMs,
  );
  const port = Number(started.match[2]);
  return {
    url: `${started.match[1]}://127.0.0.1:${port}`,
    port,
    child: started.child,
    output: started.output,
    stop: (signal) => stopProcess(started.child, signal),
  };
}

/**
 * Runs `tokengate serve` expecting it to stop by itself, e.g. a node that must refuse to start.
 * Resolves with its exit code (null when it was killed), its output (stdout + stderr), and
 * whether it printed that it was listening; one still running after `timeoutMs` is stopped
 * (SIGTERM, then SIGKILL).
 */
export function runServeUntilExit(
  options: ServeOptions,
  timeoutMs = 20_000,
): Promise<{ code: number | null; output: string; listened: boolean; timedOut: boolean }> {
  const { child, output } = spawnNode(
    cliNodeArgs(serveArgs(options.dataDir, options.upstream, options.args)),
    options.env ?? {},
  );
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  }, timeoutMs);
  return new Promise((resolvePromise) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output: output(), listened: /listening on http:/.test(output()), timedOut });
    });
  });
}
