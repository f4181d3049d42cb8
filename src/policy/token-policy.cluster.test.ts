/**
 * Black-box: two `tokengate serve` nodes (real processes) on one PostgreSQL database. A token's
 * rate limit and quota are counted in the database, so they hold across nodes: calls spread over
 * both nodes get exactly N through per window, and exactly the quota in all. Skipped when
 * PostgreSQL is not reachable.
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
import { adminTokenWithCli, type ClusterNode, startNodes } from '../testing/cluster.js';
import { basic, call } from '../testing/http.js';
import { type RunningUpstream, startRecordingUpstream } from '../testing/processes.js';

const TOOLS = '/rest/extender/1.0/tokenTools';
const skip = await postgresSkipReason();

describe('token policy on two nodes sharing PostgreSQL', { skip }, () => {
  const schema = freshSchema();
  const env: NodeJS.ProcessEnv = {
    TOKENGATE_DATABASE_URL: urlWithSchema(schema),
    TOKENGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TOKENGATE_LOG_LEVEL: 'warn',
  };
  let upstream: RunningUpstream | undefined;
  let nodes: ClusterNode[] = [];
  let adminBasic = '';

  const create = async (body: Record<string, unknown>) => {
    const [first] = nodes;
    assert.ok(first);
    const created = await call(first.url, `${TOOLS}/set`, { auth: adminBasic, body: { userName: 'ansible', ...body } });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    return { id: created.json.id as string, auth: basic('ansible', created.json.token as string) };
  };

  before(async () => {
    upstream = await startRecordingUpstream();
    adminBasic = basic('admin', await adminTokenWithCli(env, ['ansible']));
    nodes = await startNodes(['node-a', 'node-b'], upstream.url, env);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await upstream?.stop();
    await dropSchema(schema);
  });

  test('the 5th call of a 4/hour token is 429 with the headers, whichever node gets it', async () => {
    const left = 3_600_000 - (Date.now() % 3_600_000);
    if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    const token = await create({ label: 'four an hour', rateLimit: '4/hour' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const on = nodes[i % 2] as ClusterNode;
      const answer = await call(on.url, '/rest/api/space', { auth: token.auth });
      statuses.push(answer.status);
      assert.equal(answer.headers.get('ratelimit-remaining'), String(3 - i), `call ${i + 1} on ${on.nodeId}`);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200]);
    for (const on of nodes) {
      const refused = await call(on.url, '/rest/api/space', { auth: token.auth });
      assert.equal(refused.status, 429, `on ${on.nodeId}`);
      assert.equal(refused.json.code, 'rate_limited');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal(refused.headers.get('ratelimit-limit'), '4');
      assert.equal(refused.headers.get('ratelimit-remaining'), '0');
      assert.equal(refused.headers.get('ratelimit-reset'), refused.headers.get('retry-after'));
    }
  });

  test('a quota of 30 holds exactly under 100 concurrent calls spread over both nodes', async () => {
    const token = await create({ label: 'thirty', quota: 30 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call((nodes[i % 2] as ClusterNode).url, '/rest/api/space', { auth: token.auth }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 30, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 403).length, 70);
    assert.ok(results.filter((r) => r.status === 403).every((r) => r.json.code === 'quota_exhausted'));
  });
});
