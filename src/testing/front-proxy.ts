/**
 * A real nginx or Caddy in front of the recording upstream for the decision tests: its own
 * configuration (src/decision/proxy-configs/, placeholders filled in) in a temporary directory,
 * on a free loopback port, started by the test and stopped by it. Never the system's instance.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** True when `command` runs here (`nginx -v`, `caddy version`). */
export function installed(command: string, args: readonly string[]): boolean {
  return spawnSync(command, [...args], { stdio: 'ignore' }).status === 0;
}

export interface RunningFrontProxy {
  /** `http://127.0.0.1:PORT`, what clients call. */
  readonly url: string;
  /** The proxy's log (error log, or its output), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface FrontProxyOptions {
  /** `host:port` of tokengate's decision endpoint. */
  readonly decision: string;
  /** `host:port` of the upstream. */
  readonly upstream: string;
}

/** `nogroup` where it exists (Debian), else `nobody`. */
function unprivilegedGroup(): string {
  try {
    return /^nogroup:/m.test(readFileSync('/etc/group', 'utf8')) ? 'nogroup' : 'nobody';
  } catch {
    return 'nobody';
  }
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return readFileSync(join(ROOT, 'src/decision/proxy-configs', template), 'utf8').replace(
    /\{\{([A-Z_]+)\}\}/g,
    (whole, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`${template}: unknown placeholder ${whole}`);
      return value;
    },
  );
}

/** Resolves once something accepts connections on 127.0.0.1:`port`. */
async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the proxy exited with ${child.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the proxy did not listen on ${port} in time:\n${log()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function launch(
  command: string,
  args: string[],
  port: number,
  dir: string,
  log: () => string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningFrontProxy> {
  const child = spawn(command, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const fullLog = () => `${output}\n${log()}`;
  try {
    await waitForPort(port, child, fullLog);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    log: fullLog,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts nginx with src/decision/proxy-configs/nginx-auth-request.conf (as root, its worker runs as nobody). */
export async function startNginx(options: FrontProxyOptions): Promise<RunningFrontProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'tokengate-nginx-'));
  const asRoot = process.getuid?.() === 0;
  const port = await freePort();
  const config = join(dir, 'nginx.conf');
  writeFileSync(
    config,
    fill('nginx-auth-request.conf', {
      USER_LINE: asRoot ? `user nobody ${unprivilegedGroup()};` : '# not root: the worker keeps this user',
      PREFIX: dir,
      LISTEN: `127.0.0.1:${port}`,
      DECISION: options.decision,
      UPSTREAM: options.upstream,
    }),
  );
  if (asRoot) chmodSync(dir, 0o755);
  const errorLog = join(dir, 'error.log');
  const log = () => {
    try {
      return readFileSync(errorLog, 'utf8');
    } catch {
      return '';
    }
  };
  return launch('nginx', ['-p', `${dir}/`, '-c', config, '-e', errorLog], port, dir, log);
}

/** Starts Caddy with src/decision/proxy-configs/caddy-forward-auth.Caddyfile (admin API off, no HTTPS). */
export async function startCaddy(options: FrontProxyOptions): Promise<RunningFrontProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'tokengate-caddy-'));
  const port = await freePort();
  const config = join(dir, 'Caddyfile');
  writeFileSync(
    config,
    fill('caddy-forward-auth.Caddyfile', {
      PREFIX: dir,
      HOST: '127.0.0.1',
      LISTEN: `127.0.0.1:${port}`,
      DECISION: options.decision,
      UPSTREAM: options.upstream,
    }),
  );
  // Caddy keeps its state under HOME / XDG directories: this run's own
  const env = { HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
  return launch('caddy', ['run', '--config', config, '--adapter', 'caddyfile'], port, dir, () => '', env);
}
