/** Black-box helpers for the CLI tests: the real `tokengate` process, run asynchronously. */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/cli/main.ts');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tokengate ARGS… --data-dir DIR` to completion without blocking the event loop. */
export function runCliAsync(
  args: string[],
  options: { dataDir?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  const full = options.dataDir === undefined ? args : [...args, '--data-dir', options.dataDir];
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...full], {
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
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr });
    });
  });
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
