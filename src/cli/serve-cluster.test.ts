/**
 * Black-box: `tokengate serve --workers 2` on one SQLite file — two processes on one port, each a
 * node of its own, sharing only the database.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import { sleep } from '../testing/cluster.js';
import { basic } from '../testing/http.js';

const TOOLS = '/rest/extender/1.0/tokenTools';

describe('serve --workers 2', () => {
  let admin: { authorization: string };
  const box = useBlackBox({
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
      admin = { authorization: basic('root', b.createToken(['--label', 'admin', '--user', 'root']).token) };
    },
    args: ['--workers', '2'],
    env: { TOKENGATE_NODE_ID: 'wk' },
  });

  test('both workers serve one port, count every call, and a deletion reaches both', async () => {
    assert.match(box.gate.output(), /listening on http:\/\/127\.0\.0\.1:\d+ \(2 workers\)/);
    const token = box.createToken(['--label', 'worker-calls', '--user', 'root']);
    const headers = { authorization: basic('root', token.token) };
    const calls = 60;
    const statuses = await Promise.all(
      Array.from({ length: calls }, () => fetch(`${box.url}/rest/api/space`, { headers }).then((r) => r.status)),
    );
    assert.deepEqual(new Set(statuses), new Set([200]));

    // Every call is recorded once, and both workers (nodes wk-w1, wk-w2) took some.
    let nodes = new Set<string>();
    for (let attempt = 0; attempt < 50; attempt++) {
      const response = await fetch(`${box.url}${TOOLS}/audit?tokenId=${token.id}&maxResults=1000`, { headers: admin });
      const body = (await response.json()) as { entries: { node: string; decision: string }[] };
      // the token's calls; the CLI's own record of creating the token (decision admin) is not one
      const tokenCalls = body.entries.filter((entry) => entry.decision !== 'admin');
      nodes = new Set(tokenCalls.map((entry) => entry.node));
      if (tokenCalls.length === calls) break;
      await sleep(100);
    }
    assert.deepEqual([...nodes].sort(), ['wk-w1', 'wk-w2']);

    const deleted = await fetch(`${box.url}${TOOLS}/delete`, {
      method: 'DELETE',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ id: token.id }),
    });
    assert.equal(deleted.status, 200);
    const deadline = Date.now() + 1000;
    let refusedInARow = 0;
    while (refusedInARow < 10) {
      assert.ok(Date.now() < deadline, 'the deletion reaches both workers within one second');
      const status = (await fetch(`${box.url}/rest/api/space`, { headers })).status;
      refusedInARow = status === 401 ? refusedInARow + 1 : 0;
    }
  });

  test('SIGTERM stops every worker gracefully (exit 0)', async () => {
    assert.equal(await box.gate.stop('SIGTERM'), 0);
    assert.equal((await fetch(`${box.url}/healthz`).catch(() => null))?.status, undefined);
  });
});
