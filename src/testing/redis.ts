/** The Redis tests use (127.0.0.1:6379 unless TOKENGATE_TEST_REDIS_URL), a key prefix per test, and clean-up. */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createClient } from 'redis';

export const TEST_REDIS_URL = process.env.TOKENGATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function newClient() {
  return createClient({ url: TEST_REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
}

/** A client of the test Redis, connected; null when Redis is not reachable. */
async function connect(): Promise<ReturnType<typeof newClient> | null> {
  const client = newClient();
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch {
    return null;
  }
}

/** Why Redis tests are skipped (not reachable), or false. */
export async function redisSkipReason(): Promise<string | false> {
  const client = await connect();
  if (client === null) return `Redis is not reachable at ${TEST_REDIS_URL}`;
  client.destroy();
  return false;
}

/** A key prefix of its own for one test (`tg-test-<random>:`). */
export function freshKeyPrefix(): string {
  return `tg-test-${randomBytes(6).toString('hex')}:`;
}

/** The keys under `prefix` with their values. */
export async function redisKeys(prefix: string): Promise<Map<string, string>> {
  const client = await connect();
  if (client === null) throw new Error(`Redis is not reachable at ${TEST_REDIS_URL}`);
  try {
    const found = new Map<string, string>();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      for (const key of keys) found.set(key, (await client.get(key)) ?? '');
    }
    return found;
  } finally {
    client.destroy();
  }
}

/** The time left to live of `key` in ms (-2: no such key, -1: no expiry). */
export async function redisPttl(key: string): Promise<number> {
  const client = await connect();
  if (client === null) throw new Error(`Redis is not reachable at ${TEST_REDIS_URL}`);
  try {
    return await client.pTTL(key);
  } finally {
    client.destroy();
  }
}

/** Deletes every key under `prefix`. */
export async function dropKeys(prefix: string): Promise<void> {
  const keys = [...(await redisKeys(prefix)).keys()];
  if (keys.length === 0) return;
  const client = await connect();
  if (client === null) return;
  try {
    await client.del(keys);
  } finally {
    client.destroy();
  }
}

/** A `redis://` URL of a local port nothing listens on (bound, then closed). */
export async function closedPortRedisUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `redis://127.0.0.1:${port}`;
}
