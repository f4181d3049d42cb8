/**
 * The Redis rate-window counter against the real Redis (127.0.0.1:6379): counts per key and
 * window, atomically under concurrency from two clients, keys expire after their window, and a
 * Redis on a closed port fails at once with RateLimitStoreError. Skipped when Redis is not reachable.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Logger } from '../log/logger.js';
import {
  closedPortRedisUrl,
  dropKeys,
  freshKeyPrefix,
  redisKeys,
  redisPttl,
  redisSkipReason,
  TEST_REDIS_URL,
} from '../testing/redis.js';
import { RateLimitStoreError } from './rate-limit-store-error.js';
import { RedisRateCounter, reconnectDelayMs, redisLocation } from './redis-rate-counter.js';

const skip = await redisSkipReason();

/** A logger that keeps its lines (to check that no password is logged). */
function keptLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string, fields?: Record<string, unknown>) =>
    lines.push(JSON.stringify({ message, ...fields }));
  return { lines, error: keep, warn: keep, info: keep, debug: keep };
}

describe('Redis rate-window counter', { skip }, () => {
  const prefix = freshKeyPrefix();
  const counters: RedisRateCounter[] = [];
  const counter = async (url = TEST_REDIS_URL, log: Logger = keptLog()) => {
    const made = new RedisRateCounter({ url, keyPrefix: prefix, timeoutMs: 500, log });
    counters.push(made);
    await made.start();
    return made;
  };
  after(async () => {
    for (const each of counters) each.close();
    await dropKeys(prefix);
  });

  test('counts per key and fixed window; the key expires after its window', async () => {
    const redis = await counter();
    const t0 = 1_800_000_000_000; // a window start for 60 s windows
    assert.equal(await redis.countRateWindow('rate:a', 60_000, t0), 1);
    assert.equal(await redis.countRateWindow('rate:a', 60_000, t0 + 59_999), 2);
    assert.equal(await redis.countRateWindow('rate:a', 60_000, t0 + 60_000), 1, 'next window');
    assert.equal(await redis.countRateWindow('rate:b', 60_000, t0), 1, 'another token');
    const keys = await redisKeys(prefix);
    assert.equal(keys.get(`${prefix}rate:a:${t0}`), '2');
    assert.equal(keys.get(`${prefix}rate:a:${t0 + 60_000}`), '1');
    const ttl = await redisPttl(`${prefix}rate:a:${t0}`);
    assert.ok(ttl > 0 && ttl <= 61_000, `PTTL ${ttl}`);
  });

  test('several calls counted at once: the count after them; the first calls of a window set its expiry', async () => {
    const redis = await counter();
    const t0 = 1_800_000_000_000;
    assert.equal(await redis.countRateWindow('rate:e', 60_000, t0, 5), 5);
    assert.equal(await redis.countRateWindow('rate:e', 60_000, t0 + 1, 3), 8);
    assert.equal(await redis.countRateWindow('rate:e', 60_000, t0 + 2), 9);
    const ttl = await redisPttl(`${prefix}rate:e:${t0}`);
    assert.ok(ttl > 0 && ttl <= 61_000, `PTTL ${ttl}`);
  });

  test('two clients counting 200 calls at once get every count from 1 to 200 exactly once', async () => {
    const [one, two] = await Promise.all([counter(), counter()]);
    const now = 1_800_000_000_000;
    const counts = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        ((i % 2 === 0 ? one : two) as RedisRateCounter).countRateWindow('rate:c', 1000, now),
      ),
    );
    assert.deepEqual(
      [...counts].sort((x, y) => x - y),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
  });

  test('a Redis on a closed port fails at once with RateLimitStoreError; the password is never logged', async () => {
    const url = (await closedPortRedisUrl()).replace('redis://', 'redis://:hunter2@');
    const log = keptLog();
    const redis = await counter(url, log);
    await assert.rejects(redis.countRateWindow('rate:d', 1000, Date.now()), RateLimitStoreError);
    assert.ok(
      log.lines.some((line) => /Redis is not answering/.test(line)),
      log.lines.join('\n'),
    );
    assert.ok(
      log.lines.every((line) => !line.includes('hunter2')),
      log.lines.join('\n'),
    );
  });

  test('reconnection backs off from about 50 ms to at most 2 s; the location drops credentials', () => {
    assert.ok(reconnectDelayMs(0) >= 25 && reconnectDelayMs(0) <= 50);
    assert.ok(reconnectDelayMs(30) >= 1000 && reconnectDelayMs(30) <= 2000);
    assert.equal(redisLocation('redis://user:pw@cache:6380/2'), 'redis://cache:6380/2');
  });
});
