/**
 * Black-box lifecycle: graceful shutdown with a call in flight, and expiry with an injected
 * clock (in-process server on a free port, real upstream process, real SQLite file).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../config/load-config.js';
import {
  basic,
  createTokenWithCli,
  type RunningUpstream,
  runCli,
  startRecordingUpstream,
  startTokengate,
  tempDir,
} from '../testing/processes.js';
import { startGateway } from './start-gateway.js';

describe('gateway lifecycle', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;

  before(async () => {
    assert.equal(runCli(['user', 'add', 'carol', '--admin'], { dataDir: dir.path }).status, 0);
    upstream = await startRecordingUpstream();
  });

  after(async () => {
    await upstream?.stop();
    dir.remove();
  });

  test('SIGTERM lets a call in flight finish, then exits 0', async () => {
    const token = createTokenWithCli(dir.path, ['--label', 'slow', '--user', 'carol']);
    const gate = await startTokengate({ dataDir: dir.path, upstream: upstream.url });
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
    const token = createTokenWithCli(dir.path, ['--label', 'short', '--user', 'carol', '--days', '1']);
    let now = Date.now();
    const loaded = loadConfig({
      env: {},
      overrides: { port: 0, host: '127.0.0.1', dataDir: dir.path, upstream: upstream.url },
    });
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.join('; '));
    const gate = await startGateway(loaded.config, { now: () => now });
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
