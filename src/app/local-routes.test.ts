/**
 * Black-box: tokengate's own routes on a running gateway (in-process, free port, real SQLite
 * file): /healthz, /metrics only when enabled, every other path outside the protected prefix a
 * 404. (The OpenAPI document's path lies under the protected prefix, so today the gateway takes
 * it as a token call before the local routes see it; issue 13 serves it to anyone.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunningGateway, startInProcessGateway } from '../testing/in-process.js';
import { tempDir } from '../testing/processes.js';

function start(dataDir: string, metrics: boolean): Promise<RunningGateway> {
  return startInProcessGateway({ dataDir, overrides: { metrics: { enabled: metrics }, logLevel: 'error' } });
}

describe('local routes', () => {
  const dir = tempDir();
  let gate: RunningGateway;

  before(async () => {
    gate = await start(dir.path, false);
  });

  after(async () => {
    await gate?.close();
    dir.remove();
  });

  test('GET /healthz: 200 with the database state and the node', async () => {
    const response = await fetch(`${gate.url}/healthz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; database: { kind: string; state: string } };
    assert.equal(body.status, 'ok');
    assert.deepEqual([body.database.kind, body.database.state], ['sqlite', 'up']);
  });

  test('/metrics with metrics off, and any other path outside /rest/: 404 in the one error shape', async () => {
    for (const path of ['/metrics', '/nothing-here', '/rest']) {
      const response = await fetch(`${gate.url}${path}`);
      assert.equal(response.status, 404, path);
      const body = (await response.json()) as { status: string; message: string };
      assert.equal(body.status, 'error');
      assert.match(body.message, /tokengate serves only \/rest\/\*/);
    }
  });
});
