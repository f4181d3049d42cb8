import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.js';
import type { ProcessGroup, Started } from './processes.js';

/** How tokengate is started for one row (rows 5-7 each get their own instance and data dir). */
export interface TokengateRowSetup {
  readonly name: string;
  readonly repoDir: string;
  readonly workDir: string;
  readonly upstreamUrl: string;
  readonly cpu: string | null;
  readonly limitTo: string;
  readonly auth: 'basic' | 'bearer';
  /** Extra TOKENGATE_* variables (row 7's body limit). */
  readonly env: Readonly<Record<string, string>>;
  /** More `token create` options for the bench token (row 9's `--rate-limit`). */
  readonly tokenArgs?: readonly string[];
}

export interface TokengateInstance {
  readonly url: string;
  /** The Authorization header value of the bench token. */
  readonly authorization: string;
  readonly started: Started;
}

const CLI = 'dist/cli/main.js';
const BENCH_USER = 'bench';
const ADMIN_USER = 'benchadmin';

/** The environment without the caller's TOKENGATE_* (a TOKENGATE_DATABASE_URL must not leak in). */
function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('TOKENGATE_')) env[name] = value;
  }
  return { ...env, ...extra };
}

function lastLine(text: string): string {
  return text.trim().split('\n').slice(-3).join(' / ').slice(0, 400);
}

/** Runs `npm run build`; returns null when it worked, else why not. */
export async function buildTokengate(processes: ProcessGroup, repoDir: string): Promise<string | null> {
  try {
    const out = await processes.run('npm', ['run', 'build', '--silent'], { cwd: repoDir, timeoutMs: 300_000 });
    return out.code === 0 ? null : `npm run build failed: ${lastLine(out.stdout + out.stderr)}`;
  } catch (err) {
    return `npm run build failed: ${(err as Error).message}`;
  }
}

/** Null when `node dist/cli/main.js help` works, else why not. */
export async function checkCli(processes: ProcessGroup, repoDir: string): Promise<string | null> {
  if (!existsSync(join(repoDir, CLI))) return `${CLI} is missing (run npm run build)`;
  const out = await processes.run(process.execPath, [CLI, 'help'], { cwd: repoDir, timeoutMs: 30_000 });
  return out.code === 0 ? null : `${CLI} help failed: ${lastLine(out.stderr + out.stdout)}`;
}

async function cli(
  processes: ProcessGroup,
  setup: TokengateRowSetup,
  dataDir: string,
  args: readonly string[],
): Promise<string> {
  const out = await processes.run(process.execPath, [CLI, ...args, '--data-dir', dataDir], {
    cwd: setup.repoDir,
    env: cleanEnv(setup.env),
    timeoutMs: 60_000,
  });
  if (out.code !== 0)
    throw new Error(`tokengate ${args.slice(0, 2).join(' ')} failed: ${lastLine(out.stderr + out.stdout)}`);
  return out.stdout;
}

function secretOf(json: string): string {
  const parsed = JSON.parse(json.trim().split('\n').pop() ?? '') as unknown;
  const token = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).token : undefined;
  if (typeof token !== 'string' || token === '') throw new Error('token create --json printed no "token" field');
  return token;
}

function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

/**
 * Prepares a data dir with the CLI (a user, an admin, a token bound to the user with `limitTo`),
 * starts `tokengate serve` pinned to `cpu`, and switches the settings on through the admin API:
 * Bearer accepted (`authType: both`), usage details and audit log on.
 */
export async function startTokengate(processes: ProcessGroup, setup: TokengateRowSetup): Promise<TokengateInstance> {
  const dataDir = join(setup.workDir, `${setup.name}-data`);
  mkdirSync(dataDir, { recursive: true });
  await cli(processes, setup, dataDir, ['user', 'add', BENCH_USER]);
  await cli(processes, setup, dataDir, ['user', 'add', ADMIN_USER, '--admin']);
  const secret = secretOf(
    await cli(processes, setup, dataDir, [
      'token',
      'create',
      '--label',
      'bench',
      '--user',
      BENCH_USER,
      '--limit-to',
      setup.limitTo,
      ...(setup.tokenArgs ?? []),
      '--json',
    ]),
  );
  const adminSecret = secretOf(
    await cli(processes, setup, dataDir, ['token', 'create', '--label', 'bench-admin', '--user', ADMIN_USER, '--json']),
  );

  const port = await freePort();
  const started = await processes.start({
    name: setup.name,
    command: process.execPath,
    args: [
      CLI,
      'serve',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--upstream',
      setup.upstreamUrl,
      '--data-dir',
      dataDir,
    ],
    cpu: setup.cpu,
    cwd: setup.repoDir,
    env: cleanEnv(setup.env),
    logFile: join(setup.workDir, `${setup.name}.log`),
    ready: { kind: 'line', pattern: /listening on (http:\/\/127\.0\.0\.1:\d+)/ },
    timeoutMs: 30_000,
  });
  const url = started.match?.[1] ?? `http://127.0.0.1:${port}`;

  const settings = { authType: setup.auth === 'bearer' ? 'both' : 'basic', usageDetails: true, auditLog: true };
  const response = await fetch(`${url}/rest/extender/1.0/tokenTools/set`, {
    method: 'POST',
    headers: { authorization: basic(ADMIN_USER, adminSecret), 'content-type': 'application/json' },
    body: JSON.stringify(settings),
    signal: AbortSignal.timeout(10_000),
  });
  const answer = await response.text();
  if (response.status !== 200) {
    throw new Error(
      `${setup.name}: setting ${JSON.stringify(settings)} answered ${response.status}: ${answer.slice(0, 300)}`,
    );
  }
  return {
    url,
    authorization: setup.auth === 'bearer' ? `Bearer ${secret}` : basic(BENCH_USER, secret),
    started,
  };
}
