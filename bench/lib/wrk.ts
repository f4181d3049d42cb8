import { existsSync } from 'node:fs';
import type { ProcessGroup } from './processes.js';

/** What one wrk run measured. Latencies in milliseconds. */
export interface WrkResult {
  readonly requests: number;
  readonly durationS: number;
  readonly reqPerSec: number;
  readonly latencyMs: {
    readonly min: number;
    readonly mean: number;
    readonly stdev: number;
    readonly max: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly p999: number;
  };
  readonly errors: {
    readonly connect: number;
    readonly read: number;
    readonly write: number;
    /** Responses that were not 2xx/3xx. */
    readonly status: number;
    readonly timeout: number;
  };
}

/** The request wrk sends, as bench/wrk/request.lua reads it from its environment. */
export interface WrkRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly authorization: string | null;
  readonly bodyFile: string | null;
}

export interface WrkRun {
  readonly request: WrkRequest;
  readonly durationS: number;
  readonly connections: number;
  /** Mean pause before each request on a connection, in ms (null: as fast as possible). */
  readonly meanDelayMs: number | null;
  readonly cpu: string | null;
  readonly script: string;
}

function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`wrk output: ${what} is not a number`);
  return value;
}

function obj(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new Error(`wrk output: ${what} is missing`);
  return value as Record<string, unknown>;
}

/**
 * Reads the `BENCH_RESULT {…}` line that bench/wrk/request.lua's done() prints.
 * @throws Error when the line is missing or malformed (with the start of the output)
 */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (line === undefined) throw new Error(`wrk printed no BENCH_RESULT line:\n${stdout.slice(0, 800)}`);
  const raw = obj(JSON.parse(line.slice('BENCH_RESULT '.length)) as unknown, 'result');
  const latency = obj(raw.latencyUs, 'latencyUs');
  const errors = obj(raw.errors, 'errors');
  const requests = num(raw.requests, 'requests');
  const durationS = num(raw.durationUs, 'durationUs') / 1e6;
  const ms = (key: string) => num(latency[key], `latencyUs.${key}`) / 1000;
  return {
    requests,
    durationS,
    reqPerSec: durationS > 0 ? requests / durationS : 0,
    latencyMs: {
      min: ms('min'),
      mean: ms('mean'),
      stdev: ms('stdev'),
      max: ms('max'),
      p50: ms('p50'),
      p90: ms('p90'),
      p99: ms('p99'),
      p999: ms('p999'),
    },
    errors: {
      connect: num(errors.connect, 'errors.connect'),
      read: num(errors.read, 'errors.read'),
      write: num(errors.write, 'errors.write'),
      status: num(errors.status, 'errors.status'),
      timeout: num(errors.timeout, 'errors.timeout'),
    },
  };
}

/** Socket errors plus non-2xx answers. */
export function errorCount(result: WrkResult): number {
  const e = result.errors;
  return e.connect + e.read + e.write + e.status + e.timeout;
}

/** Runs wrk once (one thread, pinned with taskset when `cpu` is given) and parses its result. */
export async function runWrk(processes: ProcessGroup, run: WrkRun): Promise<WrkResult> {
  // wrk runs on without its script (plain GET, no auth) when the file is missing: refuse instead.
  if (!existsSync(run.script)) throw new Error(`wrk script ${run.script} is missing`);
  if (run.request.bodyFile !== null && !existsSync(run.request.bodyFile)) {
    throw new Error(`request body ${run.request.bodyFile} is missing`);
  }
  const url = new URL(run.request.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`refusing to load ${url.host}: only 127.0.0.1 is a target`);
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_METHOD: run.request.method };
  delete env.BENCH_AUTH;
  delete env.BENCH_BODY_FILE;
  delete env.BENCH_DELAY_MS;
  if (run.request.authorization !== null) env.BENCH_AUTH = run.request.authorization;
  if (run.request.bodyFile !== null) env.BENCH_BODY_FILE = run.request.bodyFile;
  if (run.meanDelayMs !== null) env.BENCH_DELAY_MS = run.meanDelayMs.toFixed(3);
  const args = [
    '-t1',
    `-c${run.connections}`,
    `-d${run.durationS}s`,
    '--timeout',
    '10s',
    '-s',
    run.script,
    run.request.url,
  ];
  const { code, stdout, stderr } = await processes.run('wrk', args, {
    timeoutMs: (run.durationS + 30) * 1000,
    env,
    cpu: run.cpu,
  });
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${(stderr || stdout).trim().slice(0, 800)}`);
  try {
    return parseWrkOutput(stdout);
  } catch (err) {
    // wrk runs on without the script when it fails to load; its reason is on stderr.
    throw new Error(
      `${(err as Error).message}${stderr.trim() === '' ? '' : `\nwrk stderr: ${stderr.trim().slice(0, 800)}`}`,
    );
  }
}
