/**
 * Helpers for black-box tests: real processes on free ports (the upstream, tokengate itself),
 * the real CLI, and temporary data directories.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/cli/main.ts');

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'tokengate-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

interface Started {
  readonly child: ChildProcess;
  readonly match: RegExpExecArray;
  output(): string;
}

/** Spawns a process and waits until a line of its stdout matches `ready`. */
function startProcess(args: string[], ready: RegExp, env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not start in time: ${args.join(' ')}\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, match, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited with ${code} before it was ready: ${args.join(' ')}\n${output}`));
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
  const started = await startProcess(['src/testing/recording-upstream.ts'], /upstream listening on (\d+)/, {});
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

/** Starts `tokengate serve` on a free port. */
export async function startTokengate(options: {
  dataDir: string;
  upstream?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<RunningTokengate> {
  const args = [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', options.dataDir];
  if (options.upstream !== undefined) args.push('--upstream', options.upstream);
  args.push(...(options.args ?? []));
  const started = await startProcess(args, /listening on http:\/\/127\.0\.0\.1:(\d+)/, options.env ?? {});
  const port = Number(started.match[1]);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child: started.child,
    output: started.output,
    stop: (signal) => stopProcess(started.child, signal),
  };
}

/** Runs the real CLI (`tokengate …`) to completion. */
export function runCli(
  args: string[],
  options: { dataDir?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): { status: number | null; stdout: string; stderr: string } {
  const full = [...args];
  if (options.dataDir !== undefined) full.push('--data-dir', options.dataDir);
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...full], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `Authorization: Basic …` for USER:TOKEN. */
export function basic(user: string, token: string): string {
  return `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
}

/** Creates a token with the real CLI (`token create --json …`) and returns its id and secret; throws on failure. */
export function createTokenWithCli(dataDir: string, args: string[]): { id: string; token: string } {
  const result = runCli(['token', 'create', '--json', ...args], { dataDir });
  if (result.status !== 0) throw new Error(`token create failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as { id: string; token: string };
}
