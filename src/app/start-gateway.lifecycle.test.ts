/**
 * Black-box lifecycle: graceful shutdown with a call in flight, and expiry with an injected
 * clock (in-process server on a free port, real upstream process, real SQLite file).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import { basic } from '../testing/http.js';
import { startInProcessGateway } from '../testing/in-process.js';
import { startTokengate } from '../testing/processes.js';

describe('gateway lifecycle', () => {
  const box = useBlackBox({
    server: 'none',
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'carol', '--admin']).status, 0);
    },
  });

  test('SIGTERM lets a call in flight finish, then exits 0', async () => {
    const token = box.createToken(['--label', 'slow', '--user', 'carol']);
    const gate = await startTokengate({ dataDir: box.dataDir, upstream: box.upstream.url });
    const inFlight = fetch(`${gate.url}/rest/test/slow?ms=700`, {
      headers: { authorization: basic('carol', token.token) },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = gate.stop('SIGTERM');
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.equal(await exited, 0);
  });

  test('a token expires at its validUntil (clock injected into an in-process server)', async () => {
    const token = box.createToken(['--label', 'short', '--user', 'carol', '--days', '1']);
    let now = Date.now();
    const gate = await startInProcessGateway({ dataDir: box.dataDir, upstream: box.upstream.url, now: () => now });
    try {
      const headers = { authorization: basic('carol', token.token) };
      assert.equal((await fetch(`${gate.url}/rest/api/space`, { headers })).status, 200);
      now += 86_400_000 + 1000;
      const expired = await fetch(`${gate.url}/rest/api/space`, { headers });
      assert.equal(expired.status, 401);
      assert.match(((await expired.json()) as { message: string }).message, /expired/);
    } finally {
      await gate.close();
    }
  });
});
