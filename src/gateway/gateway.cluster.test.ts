/**
 * Black-box: three `tokengate serve` nodes (real processes, own data directories, distinct node
 * ids) share one PostgreSQL database (a fresh schema). What a user of a load-balanced deployment
 * would notice: a token made on one node works on the others at once, a revoked token and a
 * changed setting take effect everywhere within one second, usage counters and the audit log add
 * up exactly, the failed-authentication limit is shared, and a node in the other secure mode is
 * refused. Skipped when PostgreSQL is not reachable.
 *
 * The nodes trust one proxy hop, so each scenario sends its own `X-Forwarded-For` client address
 * and the small failure limit of one scenario never blocks another.
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
import {
  addressSource,
  adminTokenWithCli,
  type ClusterNode,
  cliOk,
  percentile,
  runServeUntilExit,
  sleep,
  startNodes,
} from '../testing/cluster.js';
import { basic, call } from '../testing/http.js';
import { type RunningUpstream, startRecordingUpstream } from '../testing/processes.js';

const TOOLS = '/rest/extender/1.0/tokenTools';
/** Failed authentications allowed per client address per window, on every node. */
const FAILURE_LIMIT = 5;
/** One hour, so a window boundary almost never falls inside a scenario (and one that would is waited out). */
const FAILURE_WINDOW_MS = 3_600_000;
/** What the README promises for revocations and settings changes. */
const PROPAGATION_LIMIT_MS = 1000;

const skip = await postgresSkipReason();

describe('several nodes on one PostgreSQL database', { skip }, () => {
  const schema = freshSchema();
  const env: NodeJS.ProcessEnv = {
    TOKENGATE_DATABASE_URL: urlWithSchema(schema),
    TOKENGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TOKENGATE_TRUSTED_PROXY_HOPS: '1',
    TOKENGATE_AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT),
    TOKENGATE_AUTH_FAILURE_WINDOW_MS: String(FAILURE_WINDOW_MS),
    TOKENGATE_LOG_LEVEL: 'warn',
  };
  const nextIp = addressSource();
  let upstream: RunningUpstream | undefined;
  let nodes: ClusterNode[] = [];
  let adminBasic = '';
  let adminBearer = '';

  /** Node 0, 1, 2 (A, B, C). */
  const node = (index: number): ClusterNode => {
    const found = nodes[index % nodes.length];
    assert.ok(found, 'the nodes are running');
    return found;
  };

  /**
   * Creates a token bound to a user of its own through `on`'s admin API: failures are also
   * counted per claimed user, so each test's refused calls stay out of the others' counts.
   */
  let users = 0;
  const createToken = async (on: ClusterNode, label: string) => {
    users += 1;
    const userName = `ansible${users}`;
    await cliOk(['user', 'add', userName], env);
    const created = await call(on.url, `${TOOLS}/set`, { auth: adminBasic, body: { label, userName } });
    assert.equal(created.status, 200, `create on ${on.nodeId}: ${JSON.stringify(created.json)}`);
    const secret = created.json.token as string;
    return { id: created.json.id as string, secret, userName, auth: basic(userName, secret) };
  };

  /** The token's public view, read through `on`'s admin API. */
  const readToken = async (on: ClusterNode, id: string) => {
    const listed = await call(on.url, `${TOOLS}/get?maxResults=1000`, { auth: adminBasic });
    assert.equal(listed.status, 200, JSON.stringify(listed.json));
    return (listed.json.tokens as { id: string; counter: number; token?: string }[]).find((t) => t.id === id);
  };

  /**
   * Calls `path` on `on` every ~10 ms until the answer is `status`; resolves with the ms from `since`
   * (performance.now()) to that answer, or throws when it did not come within `timeoutMs`.
   */
  const timeUntil = async (
    on: ClusterNode,
    status: number,
    options: { auth: string; ip: string },
    since: number,
    timeoutMs = 3000,
  ): Promise<number> => {
    const seen: number[] = [];
    for (;;) {
      const answer = await call(on.url, '/rest/api/space', options);
      const elapsed = performance.now() - since;
      if (answer.status === status) return elapsed;
      seen.push(answer.status);
      if (elapsed > timeoutMs) {
        throw new Error(`${on.nodeId} still answered ${answer.status} after ${Math.round(elapsed)} ms (seen ${seen})`);
      }
      await sleep(10);
    }
  };

  before(async () => {
    upstream = await startRecordingUpstream();
    const adminToken = await adminTokenWithCli(env, ['ansible'], 'cluster admin');
    adminBasic = basic('admin', adminToken);
    adminBearer = `Bearer ${adminToken}`;
    nodes = await startNodes(['node-a', 'node-b', 'node-c'], upstream.url, env);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await upstream?.stop();
    await dropSchema(schema);
  });

  test('a token created through node A works at once on nodes B and C', async () => {
    assert.ok(upstream);
    await upstream.clear();
    const token = await createToken(node(0), 'made on A');
    const onB = await call(node(1).url, '/rest/api/space?via=b', { auth: token.auth });
    assert.equal(onB.status, 200, JSON.stringify(onB.json));
    const onC = await call(node(2).url, '/rest/api/space?via=c', { auth: token.auth });
    assert.equal(onC.status, 200, JSON.stringify(onC.json));

    const received = (await upstream.records()).filter((r) => r.url.startsWith('/rest/api/space?via='));
    assert.deepEqual(
      received.map((r) => r.url),
      ['/rest/api/space?via=b', '/rest/api/space?via=c'],
    );
    for (const r of received) {
      assert.equal(r.headers['x-forwarded-user'], token.userName);
      assert.equal(r.headers.authorization, undefined, 'the token is not forwarded');
    }
  });

  test('a token deleted on one node is refused (401) on every node within one second', async (t) => {
    const rounds = 20;
    /** ms from the delete answer to the first 401, on the two nodes that did not delete it. */
    const others: number[] = [];
    /** the same on the node that deleted it. */
    const deleters: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const deleter = node(round + 1);
      const token = await createToken(node(round), `revoked ${round}`);
      const ip = nextIp();
      // warm up: the token is now cached on every node
      for (const n of nodes) {
        const warm = await call(n.url, '/rest/api/space', { auth: token.auth, ip });
        assert.equal(warm.status, 200, `warm-up on ${n.nodeId}: ${JSON.stringify(warm.json)}`);
      }
      const deleted = await call(deleter.url, `${TOOLS}/delete`, {
        auth: adminBasic,
        method: 'DELETE',
        body: { id: token.id },
      });
      const since = performance.now();
      assert.equal(deleted.status, 200, JSON.stringify(deleted.json));
      const times = await Promise.all(nodes.map((n) => timeUntil(n, 401, { auth: token.auth, ip }, since)));
      nodes.forEach((n, i) => {
        (n === deleter ? deleters : others).push(times[i] ?? Number.NaN);
      });
    }
    const figures = (values: number[]) =>
      `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms, ` +
      `max ${Math.max(...values).toFixed(1)} ms (${values.length} samples)`;
    t.diagnostic(`revocation on the other nodes: ${figures(others)}`);
    t.diagnostic(`revocation on the deleting node: ${figures(deleters)}`);
    assert.equal(others.length, rounds * 2);
    for (const ms of [...others, ...deleters]) assert.ok(ms <= PROPAGATION_LIMIT_MS, `took ${ms.toFixed(1)} ms`);
  });

  test('the node that answered a delete refuses the token from its very next call', async () => {
    // tokenTools/delete and `token delete` promise to revoke "at once"; the node that said "deleted"
    // must not accept the token afterwards, even for a few milliseconds
    const rounds = 60;
    const accepted: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const deleter = node(round);
      const token = await createToken(node(round + 1), `deleted here ${round}`);
      const ip = nextIp();
      assert.equal((await call(deleter.url, '/rest/api/space', { auth: token.auth, ip })).status, 200, 'warm-up');
      const deleted = await call(deleter.url, `${TOOLS}/delete`, {
        auth: adminBasic,
        method: 'DELETE',
        body: { id: token.id },
      });
      assert.equal(deleted.status, 200, JSON.stringify(deleted.json));
      const next = await call(deleter.url, '/rest/api/space', { auth: token.auth, ip });
      if (next.status !== 401) accepted.push(`round ${round} on ${deleter.nodeId}: ${next.status}`);
    }
    assert.deepEqual(accepted, [], `the deleting node still answered after "deleted" (${accepted.length}/${rounds})`);
  });

  test('usage counters and audit records of concurrent calls over three nodes add up exactly', async () => {
    const calls = 300;
    const concurrency = 12;
    const token = await createToken(node(0), 'counted');
    const statuses: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < calls) {
        const k = next++;
        const answer = await fetch(`${node(k).url}/rest/api/space?call=${k}`, {
          headers: { authorization: token.auth },
        });
        await answer.arrayBuffer();
        statuses[k] = answer.status;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    assert.equal(statuses.length, calls);
    assert.ok(
      statuses.every((s) => s === 200),
      `every call answered 200: ${[...new Set(statuses)]}`,
    );

    // the audit batches (audit.batchMs, 100 ms) are written in the background: wait for them
    const deadline = performance.now() + 10_000;
    let counter = -1;
    while (performance.now() < deadline) {
      counter = (await readToken(node(1), token.id))?.counter ?? -1;
      if (counter >= calls) break;
      await sleep(100);
    }
    await sleep(1000); // ten batch windows more: nothing may be counted twice
    assert.equal((await readToken(node(2), token.id))?.counter, calls, `counter read on node C (was ${counter})`);
    assert.equal((await readToken(node(0), token.id))?.counter, calls, 'counter read on node A');

    const audit = await call(node(2).url, `${TOOLS}/audit?tokenId=${token.id}&decision=allowed&maxResults=1000`, {
      auth: adminBasic,
    });
    assert.equal(audit.status, 200, JSON.stringify(audit.json));
    assert.equal(audit.json.total, calls, 'allowed audit records of the token');
    const perNode = new Map<string, number>();
    for (const entry of audit.json.entries as { node: string; path: string }[]) {
      perNode.set(entry.node, (perNode.get(entry.node) ?? 0) + 1);
      assert.equal(entry.path, '/rest/api/space');
    }
    assert.deepEqual(
      Object.fromEntries([...perNode].sort()),
      { 'node-a': calls / 3, 'node-b': calls / 3, 'node-c': calls / 3 },
      'records name the node that served each call (round-robin)',
    );
  });

  test('the failed-authentication limit is shared: spreading guesses over the nodes gains nothing', async () => {
    const edge = FAILURE_WINDOW_MS - (Date.now() % FAILURE_WINDOW_MS);
    if (edge < 10_000) await sleep(edge + 100); // never straddle a window boundary

    // one client, guesses in turn on A, B, C
    const ip = nextIp();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let k = 0; k < 3 * FAILURE_LIMIT + 3; k++) {
      const answer = await call(node(k).url, '/rest/api/space', {
        auth: basic('ansible', `wrong-token-${k}-xxxxxxxx`),
        ip,
      });
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter ??= answer.headers.get('retry-after');
    }
    const first429 = statuses.indexOf(429);
    assert.deepEqual(statuses.slice(0, FAILURE_LIMIT), Array(FAILURE_LIMIT).fill(401), `statuses: ${statuses}`);
    assert.ok(
      first429 >= 0 && first429 + 1 <= FAILURE_LIMIT + 2,
      `429 from attempt ${first429 + 1} on (limit ${FAILURE_LIMIT}); statuses: ${statuses}`,
    );
    assert.ok(
      statuses.slice(first429).every((s) => s === 429),
      `every later guess, on every node, is 429: ${statuses}`,
    );
    assert.ok(retryAfter !== null && Number(retryAfter) >= 1, `Retry-After: ${retryAfter}`);

    // many guesses at once from another client, over the three nodes: still only the limit get through
    const burstIp = nextIp();
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, k) =>
        call(node(k).url, '/rest/api/space', { auth: basic('ansible', `wrong-burst-${k}-xxxxxxxx`), ip: burstIp }),
      ),
    );
    const burstStatuses = burst.map((b) => b.status);
    assert.equal(burstStatuses.filter((s) => s === 401).length, FAILURE_LIMIT, `burst statuses: ${burstStatuses}`);
    assert.equal(burstStatuses.filter((s) => s === 429).length, 30 - FAILURE_LIMIT, `burst statuses: ${burstStatuses}`);

    // other clients are not affected
    const token = await createToken(node(0), 'innocent');
    for (const n of nodes) {
      assert.equal((await call(n.url, '/rest/api/space', { auth: token.auth, ip: nextIp() })).status, 200);
    }
  });

  test('a node in secure mode is refused while standard nodes run; the running nodes keep working', async () => {
    assert.ok(upstream);
    const token = await createToken(node(0), 'before the secure node');
    const refused = await runServeUntilExit(upstream.url, {
      ...env,
      TOKENGATE_NODE_ID: 'node-secure',
      TOKENGATE_SECURE_MODE: 'true',
    });
    assert.equal(refused.timedOut, false, `the secure node kept running:\n${refused.output}`);
    assert.equal(refused.listened, false, `the secure node listened:\n${refused.output}`);
    assert.ok(refused.code !== null && refused.code !== 0, `exit code ${refused.code}:\n${refused.output}`);
    assert.match(refused.output, /stop every node/, refused.output);
    assert.match(refused.output, /node-[abc]/, 'names a running node');

    for (const n of nodes) {
      const answer = await call(n.url, '/rest/api/space', { auth: token.auth });
      assert.equal(answer.status, 200, `${n.nodeId}: ${JSON.stringify(answer.json)}`);
    }
    // nothing was wiped: the standard nodes still show the kept secret to an administrator
    assert.equal((await readToken(node(1), token.id))?.token, token.secret);
    const settings = await call(node(2).url, `${TOOLS}/settings`, { auth: adminBasic });
    assert.equal(settings.json?.settings?.secureMode, false);
  });

  test('a setting changed on one node is enforced by the others within one second', async (t) => {
    const token = await createToken(node(0), 'settings');
    const ip = nextIp();
    for (const n of nodes) assert.equal((await call(n.url, '/rest/api/space', { auth: token.auth, ip })).status, 200);

    const changed = await call(node(0).url, `${TOOLS}/set`, { auth: adminBasic, body: { authType: 'bearer' } });
    const since = performance.now();
    assert.equal(changed.status, 200, JSON.stringify(changed.json));
    try {
      const times = await Promise.all(
        [node(1), node(2)].map((n) => timeUntil(n, 401, { auth: token.auth, ip }, since)),
      );
      t.diagnostic(`authType change reached B and C after ${times.map((ms) => `${ms.toFixed(1)} ms`).join(', ')}`);
      for (const ms of times) assert.ok(ms <= PROPAGATION_LIMIT_MS, `took ${ms.toFixed(1)} ms`);

      for (const n of [node(1), node(2)]) {
        const refusedBasic = await call(n.url, '/rest/api/space', { auth: token.auth, ip: nextIp() });
        assert.equal(refusedBasic.status, 401);
        assert.match(String(refusedBasic.headers.get('www-authenticate')), /^Bearer/);
        const viaBearer = await call(n.url, '/rest/api/space', { auth: `Bearer ${token.secret}`, ip });
        assert.equal(viaBearer.status, 200, `${n.nodeId}: ${JSON.stringify(viaBearer.json)}`);
        const settings = await call(n.url, `${TOOLS}/settings`, { auth: adminBearer });
        assert.equal(settings.json?.settings?.authType, 'bearer');
      }
    } finally {
      const restored = await call(node(0).url, `${TOOLS}/set`, { auth: adminBearer, body: { authType: 'basic' } });
      assert.equal(restored.status, 200, JSON.stringify(restored.json));
    }
  });
});
