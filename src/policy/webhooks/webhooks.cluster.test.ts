/**
 * Black-box: two `tokengate serve` nodes (real processes) on one PostgreSQL database, both with
 * the same webhook receiver. The outbox and its leases make each event one node's to deliver:
 * every event arrives exactly once, whichever node it was made on. Skipped without PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  dropSchema,
  freshSchema,
  postgresSkipReason,
  urlWithSchema,
} from '../../store/postgres/postgres-test-db.test-helpers.js';
import { adminTokenWithCli, type ClusterNode, eventually, sleep, startNodes } from '../../testing/cluster.js';
import { basic, call } from '../../testing/http.js';
import { type RunningUpstream, startRecordingUpstream } from '../../testing/processes.js';
import {
  accepted,
  startWebhookReceiver,
  validSignature,
  type WebhookReceiver,
} from '../../testing/webhook-receiver.js';

const TOOLS = '/rest/extender/1.0/tokenTools';
const SECRET = 'cluster-receiver-secret';
const skip = await postgresSkipReason();

describe('webhooks on two nodes sharing PostgreSQL', { skip }, () => {
  const schema = freshSchema();
  let receiver: WebhookReceiver | undefined;
  let upstream: RunningUpstream | undefined;
  let nodes: ClusterNode[] = [];
  let adminBasic = '';

  before(async () => {
    receiver = await startWebhookReceiver();
    upstream = await startRecordingUpstream();
    const env: NodeJS.ProcessEnv = {
      TOKENGATE_DATABASE_URL: urlWithSchema(schema),
      TOKENGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      TOKENGATE_LOG_LEVEL: 'warn',
      TOKENGATE_WEBHOOK_URL: receiver.url,
      TOKENGATE_WEBHOOK_SECRET: SECRET,
    };
    adminBasic = basic('admin', await adminTokenWithCli(env));
    nodes = await startNodes(['hook-a', 'hook-b'], upstream.url, env);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await upstream?.stop();
    await receiver?.stop();
    await dropSchema(schema);
  });

  test('each token.created is delivered exactly once, by one of the nodes', async () => {
    const hooks = receiver as WebhookReceiver;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const on = nodes[i % 2] as ClusterNode;
      const created = await call(on.url, `${TOOLS}/set`, { auth: adminBasic, body: { label: `cluster ${i}` } });
      assert.equal(created.status, 200, JSON.stringify(created.json));
      ids.push(created.json.id as string);
    }
    await eventually('every event delivered', 20_000, async () =>
      ids.every((id) => accepted(hooks, 'token.created', id).length > 0),
    );
    // both nodes poll every second: give each several more rounds to deliver a duplicate
    await sleep(4000);
    for (const id of ids) {
      const events = hooks.received.filter((e) => e.json?.type === 'token.created' && e.json?.token?.id === id);
      assert.equal(events.length, 1, `token.created of ${id}`);
      const [event] = events;
      assert.ok(event && validSignature(event.raw, event.headers['x-tokengate-signature'], SECRET));
    }
  });
});
