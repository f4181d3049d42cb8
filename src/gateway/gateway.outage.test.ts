/**
 * Black-box: losing the database. Two `tokengate serve` nodes on a PostgreSQL cluster of the
 * test's own (initdb + pg_ctl in a temporary directory, never the shared server); the cluster is
 * stopped and started again while the nodes serve.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { type ClusterNode, cliOk, eventually, startNode } from '../testing/cluster.js';
import { basic } from '../testing/http.js';
import { type RunningUpstream, startRecordingUpstream } from '../testing/processes.js';
import {
  createThrowawayPostgres,
  type ThrowawayPostgres,
  throwawayPostgresSkipReason,
} from '../testing/throwaway-postgres.js';

const GRACE_MS = 4000;
const skip = throwawayPostgresSkipReason();

interface Health {
  status: string;
  database: { state: string };
}

describe('losing the database (throwaway PostgreSQL cluster)', { skip }, () => {
  let cluster: ThrowawayPostgres;
  let upstream: RunningUpstream;
  const nodes: ClusterNode[] = [];
  let env: NodeJS.ProcessEnv;

  before(async () => {
    cluster = await createThrowawayPostgres();
    env = {
      TOKENGATE_DATABASE_URL: cluster.url,
      TOKENGATE_DATABASE_OUTAGE_GRACE_MS: String(GRACE_MS),
      TOKENGATE_AUDIT_BATCH_MS: '20',
      // every node and the CLI of a cluster share its encryption key (a CLI without it is refused)
      TOKENGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    await cliOk(['user', 'add', 'carol', '--admin'], env);
    upstream = await startRecordingUpstream();
    for (const nodeId of ['outage-1', 'outage-2']) nodes.push(await startNode(nodeId, upstream.url, env));
  });

  after(async () => {
    for (const node of nodes) {
      const child = node.gate.child;
      const crashed = child.exitCode !== null && child.exitCode !== 0;
      if (crashed) process.stderr.write(`node exited with ${child.exitCode}:\n${node.gate.output()}\n`);
      await node.stop();
    }
    await upstream?.stop();
    cluster?.remove();
  });

  test('cached tokens work within the grace period, then 503; back when the database is; nothing lost', async () => {
    const token = JSON.parse(
      await cliOk(['token', 'create', '--json', '--label', 'failover', '--user', 'carol'], env),
    ) as {
      id: string;
      token: string;
    };
    const headers = { authorization: basic('carol', token.token) };
    let allowed = 0;
    const call = async (node: ClusterNode, auth = headers): Promise<Response> => {
      const response = await fetch(`${node.url}/rest/api/space`, { headers: auth });
      if (response.status === 200 && auth === headers) allowed++;
      return response;
    };
    const health = async (node: ClusterNode): Promise<{ code: number; body: Health }> => {
      const response = await fetch(`${node.url}/healthz`);
      return { code: response.status, body: (await response.json()) as Health };
    };

    for (const node of nodes) {
      assert.equal((await call(node)).status, 200);
      assert.deepEqual((await health(node)).body.database.state, 'up');
    }

    cluster.stop();
    const stoppedAt = Date.now();
    await eventually('both nodes notice the database is gone', 3000, async () => {
      const states = await Promise.all(nodes.map(async (node) => (await health(node)).body.database.state));
      return states.every((state) => state === 'degraded');
    });
    // Within the grace period: cached, still-valid tokens keep working on every node…
    for (const node of nodes) {
      const response = await call(node);
      assert.equal(response.status, 200, await response.text());
      assert.equal((await health(node)).code, 200);
    }
    // …while what needs the database waits: an unknown token and a new token get 503, not 500.
    const unknown = await call(nodes[1] as ClusterNode, {
      authorization: basic('carol', 'tgp_notAToken0123456789'),
    });
    assert.equal(unknown.status, 503);
    assert.match(((await unknown.json()) as { message: string }).message, /database/);
    const create = await fetch(`${nodes[0]?.url}/rest/extender/1.0/tokenTools/set`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'during the outage', userName: 'carol' }),
    });
    assert.equal(create.status, 503);
    assert.ok(Date.now() - stoppedAt < GRACE_MS, 'the checks above ran within the grace period');

    // Past the grace period every token call fails closed, and /healthz says so. Each node judges
    // the database by its own change feed, so they cross the grace period a few ms apart: wait
    // until every node refuses, not only the first to notice.
    await eventually('calls are refused past the grace period on every node', GRACE_MS + 4000, async () => {
      const codes = await Promise.all(nodes.map(async (node) => (await call(node)).status));
      return codes.every((code) => code === 503);
    });
    const refused = await call(nodes[1] as ClusterNode);
    assert.equal(refused.status, 503);
    assert.match(((await refused.json()) as { message: string }).message, /grace period/);
    const down = await health(nodes[1] as ClusterNode);
    assert.equal(down.code, 503);
    assert.equal(down.body.database.state, 'down');

    cluster.start();
    await eventually('both nodes serve again', 15_000, async () => {
      const codes = await Promise.all(nodes.map(async (node) => (await call(node)).status));
      return codes.every((code) => code === 200);
    });
    for (const node of nodes) assert.equal((await health(node)).body.database.state, 'up');

    // Nothing lost: after a graceful stop, every allowed call is in the audit log and the counter.
    for (const node of nodes) assert.equal(await node.stop(), 0);
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const audit = await client.query<{ n: string }>(
        `select count(*) as n from audit where token_id = $1 and decision = 'allowed'`,
        [token.id],
      );
      const counter = await client.query<{ counter: string }>('select counter from tokens where id = $1', [token.id]);
      const refusedRows = await client.query<{ n: string }>(
        `select count(*) as n from audit where token_id = $1 and decision = 'error' and reason like '%grace period%'`,
        [token.id],
      );
      assert.equal(Number(audit.rows[0]?.n), allowed, 'one allowed audit record per successful call');
      assert.equal(Number(counter.rows[0]?.counter), allowed, 'the usage counter counts every successful call');
      assert.ok(Number(refusedRows.rows[0]?.n) >= 2, 'the refused calls are in the audit log too');
    } finally {
      await client.end();
    }
  });
});
