/**
 * Black-box: the cluster start race. Two `tokengate serve` nodes (real processes, own data
 * directories) start at the same moment on an empty PostgreSQL schema, twenty times; each time a
 * token made through one node must work on the other. The digest key is created once, by the
 * migrations under their lock, so the nodes can never hold different keys. Skipped when
 * PostgreSQL is not reachable.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
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
const ROUNDS = 20;
/** Starting is not what is tested here: a busy machine may take long to start two nodes at once. */
const START_TIMEOUT_MS = 90_000;

const skip = await postgresSkipReason();

describe('two nodes started together on an empty database', { skip }, () => {
  test(`agree on the digest key, ${ROUNDS} fresh databases out of ${ROUNDS}`, { timeout: 600_000 }, async () => {
    const upstream: RunningUpstream = await startRecordingUpstream();
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const schema = freshSchema();
        const env: NodeJS.ProcessEnv = {
          TOKENGATE_DATABASE_URL: urlWithSchema(schema),
          TOKENGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          TOKENGATE_LOG_LEVEL: 'warn',
        };
        let nodes: ClusterNode[] = [];
        try {
          nodes = await startNodes([`r${round}-a`, `r${round}-b`], upstream.url, env, START_TIMEOUT_MS);
          const [a, b] = nodes as [ClusterNode, ClusterNode];
          const adminToken = await adminTokenWithCli(env);
          const made = await call(a.url, `${TOOLS}/set`, {
            auth: basic('admin', adminToken),
            body: { label: 'on a', userName: 'admin' },
          });
          assert.equal(made.status, 200, `round ${round}: create on A: ${JSON.stringify(made.json)}`);
          const onB = await call(b.url, '/rest/api/space', { auth: basic('admin', made.json.token) });
          assert.equal(
            onB.status,
            200,
            `round ${round}: a token made on A gets ${onB.status} on B: ${JSON.stringify(onB.json)}`,
          );
          const adminOnA = await call(a.url, `${TOOLS}/get`, { auth: basic('admin', adminToken) });
          assert.equal(adminOnA.status, 200, `round ${round}: the CLI's token gets ${adminOnA.status} on A`);
        } finally {
          await Promise.all(nodes.map((n) => n.stop()));
          await dropSchema(schema);
        }
      }
    } finally {
      await upstream.stop();
    }
  });
});
