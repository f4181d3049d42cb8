/**
 * The one black-box harness: a temporary data directory, set up through the real CLI, a real
 * recording upstream process and tokengate itself (`tokengate serve` as a child process, or
 * in-process), started before a suite's tests and stopped after them.
 *
 * @example
 * describe('refusals', () => {
 *   let admin: { id: string; token: string };
 *   const box = useBlackBox({
 *     setup: (b) => {
 *       assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
 *       admin = b.createToken(['--label', 'admin', '--user', 'root']);
 *     },
 *   });
 *   test('…', async () => fetch(`${box.url}/rest/api/space`, …));
 * });
 */
import { after, before } from 'node:test';
import { type CliOptions, type CliResult, createTokenWithCli, runCli } from './cli.js';
import { type RunningGateway, startInProcessGateway } from './in-process.js';
import {
  type RunningTokengate,
  type RunningUpstream,
  startRecordingUpstream,
  startTokengate,
  tempDir,
} from './processes.js';

export interface BlackBoxOptions {
  /** Runs with the data directory ready, before anything starts: users and tokens through the CLI. */
  readonly setup?: (box: BlackBoxData) => void | Promise<void>;
  /**
   * How tokengate runs: `process` (`tokengate serve`, the default), `in-process` (startGateway in
   * this process, for an injected clock) or `none` (the test starts its own).
   */
  readonly server?: 'process' | 'in-process' | 'none';
  /** Whether a recording upstream runs (default true); tokengate forwards to it. */
  readonly upstream?: boolean;
  /** More `serve` arguments (process). */
  readonly args?: readonly string[];
  /** The server's environment (process) or configuration environment (in-process). */
  readonly env?: NodeJS.ProcessEnv;
  /** Configuration overrides (in-process). */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** The server's clock (in-process). */
  readonly now?: () => number;
  /** Prefix of the temporary data directory. */
  readonly dirPrefix?: string;
}

/** The data directory and the CLI over it (available in `setup` and in tests). */
export interface BlackBoxData {
  readonly dataDir: string;
  /** Runs `tokengate ARGS… --data-dir DIR` to completion. */
  cli(args: string[], options?: Omit<CliOptions, 'dataDir'>): CliResult;
  /** `token create --json ARGS…` with the CLI; its id and secret. Throws on failure. */
  createToken(args: string[]): { id: string; token: string };
}

export interface BlackBox extends BlackBoxData {
  /** The recording upstream (unless `upstream: false`). */
  readonly upstream: RunningUpstream;
  /** The `tokengate serve` process (server `process`). */
  readonly gate: RunningTokengate;
  /** The in-process gateway (server `in-process`). */
  readonly gateway: RunningGateway;
  /** The base URL of tokengate, `http://127.0.0.1:PORT`. */
  readonly url: string;
}

/** Registers `before` and `after` hooks of the current suite that start and stop a black box. */
export function useBlackBox(options: BlackBoxOptions = {}): BlackBox {
  // Made in `before`, not here: a skipped suite still runs its body but never its hooks.
  let dir: { path: string; remove: () => void } | undefined;
  let upstream: RunningUpstream | undefined;
  let gate: RunningTokengate | undefined;
  let gateway: RunningGateway | undefined;
  const server = options.server ?? 'process';
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the black box has no ${what} (not started, or not asked for)`);
    return value;
  };
  const dataDir = (): string => started(dir, 'data directory').path;
  const data: BlackBoxData = {
    get dataDir() {
      return dataDir();
    },
    cli: (args, cliOptions = {}) => runCli(args, { ...cliOptions, dataDir: dataDir() }),
    createToken: (args) => createTokenWithCli(dataDir(), args),
  };

  before(async () => {
    dir = tempDir(options.dirPrefix);
    await options.setup?.(data);
    if (options.upstream !== false) upstream = await startRecordingUpstream();
    if (server === 'process') {
      gate = await startTokengate({ dataDir: dir.path, upstream: upstream?.url, args: options.args, env: options.env });
    } else if (server === 'in-process') {
      gateway = await startInProcessGateway({
        dataDir: dir.path,
        upstream: upstream?.url,
        overrides: options.overrides,
        env: options.env,
        now: options.now,
      });
    }
  });

  after(async () => {
    await gate?.stop();
    await gateway?.close();
    await upstream?.stop();
    dir?.remove();
  });

  return {
    get dataDir() {
      return dataDir();
    },
    cli: data.cli,
    createToken: data.createToken,
    get upstream() {
      return started(upstream, 'upstream');
    },
    get gate() {
      return started(gate, 'tokengate serve process');
    },
    get gateway() {
      return started(gateway, 'in-process gateway');
    },
    get url() {
      return started(gate?.url ?? gateway?.url, 'server');
    },
  };
}
