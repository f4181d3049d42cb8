/**
 * Real REST servers nobody here wrote, started and stopped by black-box tests: a RabbitMQ node of
 * the test's own with the management plugin (its HTTP API, UI and login), and the CNCF
 * distribution container registry (Debian's `docker-registry`) with htpasswd logins. Both are
 * installed by `.ci/run`; a test skips with the reason when a program is missing.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
export const DOCKER_REGISTRY = '/usr/bin/docker-registry';
export const HTPASSWD = '/usr/bin/htpasswd';

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, timeoutMs: number, ready: () => Promise<boolean>, log: () => string) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} did not start in ${timeoutMs} ms:\n${log().slice(-3000)}`);
}

function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { child, output: () => output };
}

/** Stops a detached process group: SIGTERM, then SIGKILL after `graceMs`. */
function stopGroup(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}

export interface RunningRabbitMq {
  /** The management HTTP API (and UI) origin. */
  readonly url: string;
  /** Calls the management API as the built-in administrator (set-up only). */
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Starts a RabbitMQ node of its own (node name, ports, data and cookie in `dir`) with the
 * management plugin, next to any system node. Takes some 10 s.
 */
export async function startRabbitMq(dir: string): Promise<RunningRabbitMq> {
  const [amqp, management, dist] = [await freePort(), await freePort(), await freePort()];
  for (const sub of ['home', 'mnesia', 'log']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_management].\n');
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${amqp}`,
      `management.tcp.port = ${management}`,
      'management.tcp.ip = 127.0.0.1',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'env.conf'), '');
  const name = `tgtest${amqp}@localhost`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    RABBITMQ_NODENAME: name,
    RABBITMQ_NODE_PORT: String(amqp),
    RABBITMQ_DIST_PORT: String(dist),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'env.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
    ERL_EPMD_ADDRESS: '127.0.0.1',
  };
  const started = spawnLogged(RABBITMQ_SERVER, [], env);
  const url = `http://127.0.0.1:${management}`;
  const guest = `Basic ${Buffer.from('guest:guest').toString('base64')}`;
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: guest, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  try {
    await waitFor('RabbitMQ', 60_000, async () => (await admin('GET', '/api/whoami')).status === 200, started.output);
  } catch (err) {
    await stopGroup(started.child, 5_000);
    throw err;
  }
  return { url, admin, stop: () => stopGroup(started.child, 20_000) };
}

export interface RunningRegistry {
  readonly url: string;
  /** The registry's own log (its access log names the authenticated user: `auth.user.name=…`). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts the distribution registry with filesystem storage in `dir` and htpasswd users (bcrypt). */
export async function startRegistry(dir: string, users: Readonly<Record<string, string>>): Promise<RunningRegistry> {
  const port = await freePort();
  mkdirSync(join(dir, 'data'), { recursive: true });
  const htpasswd = Object.entries(users)
    .map(([user, password]) => execFileSync(HTPASSWD, ['-Bbn', user, password], { encoding: 'utf8' }).trim())
    .join('\n');
  writeFileSync(join(dir, 'htpasswd'), `${htpasswd}\n`);
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: info',
      '  formatter: text',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  secret: tokengate-test',
      'auth:',
      '  htpasswd:',
      '    realm: test-registry',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
  );
  const started = spawnLogged(DOCKER_REGISTRY, ['serve', join(dir, 'config.yml')], { PATH: process.env.PATH });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('docker-registry', 20_000, async () => (await fetch(`${url}/v2/`)).status === 401, started.output);
  } catch (err) {
    await stopGroup(started.child, 2_000);
    throw err;
  }
  return { url, log: started.output, stop: () => stopGroup(started.child, 5_000) };
}

/** Pushes a minimal image (a config blob and a schema 2 manifest, no layers) as `user`. */
export async function pushImage(registry: string, authorization: string, name: string, tag: string): Promise<void> {
  const { createHash } = await import('node:crypto');
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  const digest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const start = await fetch(`${registry}/v2/${name}/blobs/uploads/`, { method: 'POST', headers: { authorization } });
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location') ?? '', registry);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { authorization, 'content-type': 'application/octet-stream' },
    body: config,
  });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest },
    layers: [],
  });
  const pushed = await fetch(`${registry}/v2/${name}/manifests/${tag}`, {
    method: 'PUT',
    headers: { authorization, 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' },
    body: manifest,
  });
  if (pushed.status !== 201) throw new Error(`manifest push: ${pushed.status} ${await pushed.text()}`);
}

/** The reason a test of a real server must be skipped, or false when its programs are there. */
export function missing(...programs: string[]): string | false {
  const absent = programs.filter((p) => !existsSync(p));
  return absent.length === 0 ? false : `not installed: ${absent.join(', ')} (.ci/run installs them)`;
}
