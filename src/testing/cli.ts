/**
 * The real CLI (`tokengate …`) for black-box tests, run to completion as its own process: blocking
 * (`runCli`, for set-up) or not (`runCliAsync`, for tests that keep a server answering meanwhile).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cliNodeArgs, ROOT } from './paths.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Appended as `--data-dir DIR`. */
  readonly dataDir?: string;
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
}

const TIMEOUT_MS = 60_000;

function fullArgs(args: readonly string[], options: CliOptions): string[] {
  return cliNodeArgs(options.dataDir === undefined ? args : [...args, '--data-dir', options.dataDir]);
}

/** Runs `tokengate ARGS… [--data-dir DIR]` to completion. */
export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, fullArgs(args, options), {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `tokengate ARGS… [--data-dir DIR]` to completion without blocking the event loop. */
export function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, fullArgs(args, options), {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.stdin.end(options.input ?? '');
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr });
    });
  });
}

/** Creates a token with the real CLI (`token create --json …`) and returns its id and secret; throws on failure. */
export function createTokenWithCli(dataDir: string, args: string[]): { id: string; token: string } {
  const result = runCli(['token', 'create', '--json', ...args], { dataDir });
  if (result.status !== 0) throw new Error(`token create failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as { id: string; token: string };
}

/** Asserts a failed run: the exit code, and exactly one line on stderr matching `pattern`. */
export function assertOneLineError(result: CliResult, status: number, pattern: RegExp): void {
  assert.equal(result.status, status, `exit code; stderr: ${result.stderr}`);
  assert.match(result.stderr, /^tokengate: [^\n]+\n$/, `one line on stderr: ${JSON.stringify(result.stderr)}`);
  assert.match(result.stderr, pattern);
  assert.equal(result.stdout, '');
}

/** Asserts success and returns stdout. */
export function assertOk(result: CliResult): string {
  assert.equal(result.status, 0, `exit code; stderr: ${result.stderr}`);
  return result.stdout;
}
