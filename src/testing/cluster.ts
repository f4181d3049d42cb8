/**
 * Helpers for black-box tests of several `tokengate serve` nodes sharing one PostgreSQL
 * database: each node is a real process with its own data directory and node id; the database
 * URL, the encryption key and the rest of the configuration come from the environment.
 */
import { runCliAsync } from './cli.js';
import {
  type RunningTokengate,
  runServeUntilExit as runProcessUntilExit,
  startTokengate,
  tempDir,
} from './processes.js';

/** One running node of a cluster. */
export interface ClusterNode {
  /** Its node id (`TOKENGATE_NODE_ID`), as audit records name it. */
  readonly nodeId: string;
  readonly url: string;
  readonly gate: RunningTokengate;
  /** Stops the node (SIGTERM, graceful) and removes its data directory; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `tokengate serve` as node `nodeId`, with its own temporary data directory and `env`. */
export async function startNode(
  nodeId: string,
  upstream: string,
  env: NodeJS.ProcessEnv,
  startTimeoutMs?: number,
): Promise<ClusterNode> {
  const dir = tempDir(`tokengate-${nodeId}-`);
  try {
    const gate = await startTokengate({
      dataDir: dir.path,
      upstream,
      env: { ...env, TOKENGATE_NODE_ID: nodeId },
      ...(startTimeoutMs !== undefined && { startTimeoutMs }),
    });
    return {
      nodeId,
      url: gate.url,
      gate,
      stop: async () => {
        const code = await gate.stop('SIGTERM');
        dir.remove();
        return code;
      },
    };
  } catch (err) {
    dir.remove();
    throw err;
  }
}

/**
 * Runs the real CLI with `env` (database URL and keys) and a throw-away data directory; throws
 * with its output unless it exits 0. Returns its stdout.
 */
export async function cliOk(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const dir = tempDir('tokengate-cli-');
  try {
    // not blocking: the nodes' keep-alive sockets must see their idle time pass (a blocked test
    // reused a socket a node had closed meanwhile: "other side closed")
    const result = await runCliAsync(args, { dataDir: dir.path, env });
    if (result.status !== 0) {
      throw new Error(`tokengate ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.stdout}`);
    }
    return result.stdout;
  } finally {
    dir.remove();
  }
}

/**
 * Runs `tokengate serve` (own temporary data directory) expecting it to stop by itself, e.g. a
 * node that must refuse to start; see `runServeUntilExit` in processes.ts.
 */
export async function runServeUntilExit(
  upstream: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 20_000,
): Promise<{ code: number | null; output: string; listened: boolean; timedOut: boolean }> {
  const dir = tempDir('tokengate-refused-');
  try {
    return await runProcessUntilExit({ dataDir: dir.path, upstream, env }, timeoutMs);
  } finally {
    dir.remove();
  }
}

/** A source of client addresses, a new one per call: 10.1.1.1, 10.1.2.1, … */
export function addressSource(): () => string {
  let next = 0;
  return () => {
    next++;
    if (next > 250 * 250) throw new Error('out of test client addresses');
    return `10.${Math.floor(next / 250) + 1}.${next % 250}.1`;
  };
}

/** The nearest-rank percentile `p` (0–100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

/** Polls `check` every 100 ms until it returns true; throws after `timeoutMs`, naming `what`. */
export async function eventually(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`);
}

/** A node to start with {@link startNodes}: its id, and environment variables of its own. */
export interface NodeSpec {
  readonly id: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Starts the nodes at the same time, each with `env` and its own variables; when one fails to
 * start, stops those that did and throws its error (nothing is left running).
 */
export async function startNodes(
  specs: readonly (string | NodeSpec)[],
  upstream: string,
  env: NodeJS.ProcessEnv,
  startTimeoutMs?: number,
): Promise<ClusterNode[]> {
  const started = await Promise.allSettled(
    specs.map((spec) => {
      const { id, env: own } = typeof spec === 'string' ? { id: spec, env: {} } : spec;
      return startNode(id, upstream, { ...env, ...own }, startTimeoutMs);
    }),
  );
  const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw failed.reason;
  }
  return nodes;
}

/**
 * With the real CLI on the cluster's database: the administrator `admin`, the other (non-admin)
 * `users`, and a token of the admin's labelled `label`; returns that token's secret.
 */
export async function adminTokenWithCli(
  env: NodeJS.ProcessEnv,
  users: readonly string[] = [],
  label = 'admin',
): Promise<string> {
  await cliOk(['user', 'add', 'admin', '--admin'], env);
  for (const user of users) await cliOk(['user', 'add', user], env);
  const admin = JSON.parse(await cliOk(['token', 'create', '--json', '--label', label, '--user', 'admin'], env));
  return admin.token as string;
}
