/**
 * Black-box: rate limits counted in the real Redis (127.0.0.1:6379, a key prefix of this test's
 * own). Two `tokengate serve` nodes (real processes) on one PostgreSQL database share Redis: the
 * N+1st call inside the window is 429 with the headers whichever node gets it, and the count is
 * Redis's (its key holds it). A node whose Redis is a closed port refuses rate-limited calls with
 * 503 rate_limit_store_unavailable, recorded, and nothing reaches the upstream; tokens without a
 * rate limit still work. Skipped when PostgreSQL or Redis is not reachable.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  dropSchema,
  freshSchema,
  postgresSkipReason,
  urlWithSchema,
} from '../store/postgres/postgres-test-db.test-helpers.js';
import { adminTokenWithCli, type ClusterNode, eventually, startNodes } from '../testing/cluster.js';
import { basic, call } from '../testing/http.js';
import { type RunningUpstream, startRecordingUpstream } from '../testing/processes.js';
import {
  closedPortRedisUrl,
  dropKeys,
  freshKeyPrefix,
  redisKeys,
  redisSkipReason,
  TEST_REDIS_URL,
} from '../testing/redis.js';

const TOOLS = '/rest/extender/1.0/tokenTools';
const skip = (await postgresSkipReason()) || (await redisSkipReason());

/** Waits out the end of the current hour when it is near, so an hourly window holds for a scenario. */
async function awayFromHourBoundary(): Promise<void> {
  const left = 3_600_000 - (Date.now() % 3_600_000);
  if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('rate limits counted in Redis, two nodes on PostgreSQL', { skip }, () => {
  const schema = freshSchema();
  const prefix = freshKeyPrefix();
  const env: NodeJS.ProcessEnv = {
    TOKENGATE_DATABASE_URL: urlWithSchema(schema),
    TOKENGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TOKENGATE_LOG_LEVEL: 'warn',
    TOKENGATE_REDIS_URL: TEST_REDIS_URL,
    TOKENGATE_REDIS_KEY_PREFIX: prefix,
  };
  let upstream: RunningUpstream | undefined;
  let nodes: ClusterNode[] = [];
  let adminBasic = '';

  const create = async (on: ClusterNode, body: Record<string, unknown>) => {
    const created = await call(on.url, `${TOOLS}/set`, { auth: adminBasic, body: { userName: 'ansible', ...body } });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    return { id: created.json.id as string, auth: basic('ansible', created.json.token as string) };
  };

  before(async () => {
    upstream = await startRecordingUpstream();
    adminBasic = basic('admin', await adminTokenWithCli(env, ['ansible']));
    const down = await closedPortRedisUrl();
    nodes = await startNodes(
      // the same database, but node-down's Redis is a port nothing listens on
      ['node-a', 'node-b', { id: 'node-down', env: { TOKENGATE_REDIS_URL: down } }],
      upstream.url,
      env,
    );
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await upstream?.stop();
    await dropSchema(schema);
    await dropKeys(prefix);
  });

  const node = (id: string) => {
    const found = nodes.find((n) => n.nodeId === id);
    assert.ok(found, id);
    return found;
  };

  test('the 5th call of a 4/hour token is 429 with the headers on either node; Redis holds the count', async () => {
    await awayFromHourBoundary();
    const [a, b] = [node('node-a'), node('node-b')];
    const token = await create(a, { label: 'four an hour', rateLimit: '4/hour' });
    for (let i = 0; i < 4; i++) {
      const on = i % 2 === 0 ? a : b;
      const answer = await call(on.url, '/rest/api/space', { auth: token.auth });
      assert.equal(answer.status, 200, `call ${i + 1} on ${on.nodeId}`);
      assert.equal(answer.headers.get('ratelimit-limit'), '4');
      assert.equal(answer.headers.get('ratelimit-remaining'), String(3 - i), `call ${i + 1} on ${on.nodeId}`);
    }
    for (const on of [a, b]) {
      const refused = await call(on.url, '/rest/api/space', { auth: token.auth });
      assert.equal(refused.status, 429, `on ${on.nodeId}`);
      assert.equal(refused.json.code, 'rate_limited');
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
      assert.equal(refused.headers.get('ratelimit-limit'), '4');
      assert.equal(refused.headers.get('ratelimit-remaining'), '0');
      assert.equal(refused.headers.get('ratelimit-reset'), String(retryAfter));
    }
    const windowStart = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const keys = await redisKeys(prefix);
    assert.equal(keys.get(`${prefix}rate:${token.id}:${windowStart}`), '6', [...keys.keys()].join(', '));
  });

  test('Redis unreachable: a rate-limited call is 503 rate_limit_store_unavailable, recorded, never forwarded', async () => {
    const down = node('node-down');
    const limited = await create(node('node-a'), { label: 'limited, Redis down', rateLimit: '100/minute' });
    const free = await create(node('node-a'), { label: 'no limit' });
    await (upstream as RunningUpstream).clear();
    const refused = await call(down.url, '/rest/api/space?marker=redis-down', { auth: limited.auth });
    assert.equal(refused.status, 503, JSON.stringify(refused.json));
    assert.equal(refused.json.code, 'rate_limit_store_unavailable');
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.doesNotMatch(JSON.stringify(refused.json), /127\.0\.0\.1|redis:\/\//);
    const unlimited = await call(down.url, '/rest/api/space?marker=no-limit', { auth: free.auth });
    assert.equal(unlimited.status, 200, 'a token without a rate limit does not need Redis');
    const forwarded = (await (upstream as RunningUpstream).records()).map((r) => r.url);
    assert.deepEqual(forwarded, ['/rest/api/space?marker=no-limit']);
    await eventually('the 503 in the audit log', 10_000, async () => {
      const audit = await call(down.url, `${TOOLS}/audit?tokenId=${limited.id}`, { auth: adminBasic });
      const entries = audit.json.entries as { decision: string; reason: string }[];
      return entries.some((e) => e.decision === 'error' && /rate-limit store \(Redis\)/.test(e.reason));
    });
  });
});
