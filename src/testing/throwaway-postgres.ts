/**
 * A PostgreSQL cluster of a test's own, made with `initdb` in a temporary directory and started
 * and stopped with `pg_ctl`, so a test can take the database away without touching the shared
 * server. PostgreSQL refuses to run as root; as root the binaries run as the `postgres` user.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  start(): void;
  /** Fast shutdown: open connections are terminated, as in a failover. */
  stop(): void;
  /** Stops the cluster and removes its directory. */
  remove(): void;
}

/** Directory of the PostgreSQL server binaries (initdb, pg_ctl), or null. */
function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

function postgresUid(): { uid: number; gid: number } | null {
  const result = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (result.status !== 0 || group.status !== 0) return null;
  return { uid: Number(result.stdout.trim()), gid: Number(group.stdout.trim()) };
}

/** Why a throwaway cluster cannot be made here, or false. */
export function throwawayPostgresSkipReason(): string | false {
  if (binDir() === null) return 'PostgreSQL server binaries (initdb, pg_ctl) are not installed';
  if (process.getuid?.() === 0 && postgresUid() === null) return 'running as root without a postgres user';
  return false;
}

async function freePort(): Promise<number> {
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

/** Makes (initdb) and starts a new cluster on a free port. */
export async function createThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir();
  if (bin === null) throw new Error('PostgreSQL server binaries not found');
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUid() : null;
  const dir = mkdtempSync(join(tmpdir(), 'tokengate-pg-'));
  const data = join(dir, 'data');
  if (owner !== null) chownSync(dir, owner.uid, owner.gid);
  const port = await freePort();
  const run = (program: string, args: string[]): void => {
    const command = owner !== null ? 'runuser' : join(bin, program);
    const full = owner !== null ? ['-u', 'postgres', '--', join(bin, program), ...args] : args;
    const result = spawnSync(command, full, { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) {
      throw new Error(`${program} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
    }
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => {
      start();
      running = true;
    },
    stop: () => {
      stop();
      running = false;
    },
    remove: () => {
      if (running) {
        try {
          stop();
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
