/**
 * Black-box: the failure limiter. Page sign-ins are reserved before the slow password check (no
 * race past the limit), and failures claiming one user never lock out another user's valid
 * token from the same address. Real server, real upstream, real database; every client is on
 * 127.0.0.1, so every client here shares one address (as behind a NAT).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTokenWithCli, runCli } from '../testing/cli.js';
import { basic } from '../testing/http.js';
import {
  type RunningTokengate,
  type RunningUpstream,
  startRecordingUpstream,
  startTokengate,
  tempDir,
} from '../testing/processes.js';

const LIMIT = 20;
const PASSWORD = 'correct horse battery staple';

function count(statuses: readonly number[], status: number): number {
  return statuses.filter((s) => s === status).length;
}

describe('failure limiter: per claimed user and address, reserved before verifying', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let gate: RunningTokengate;
  let alice: { id: string; token: string };

  const signIn = async (username: string, password: string): Promise<number> => {
    const response = await fetch(`${gate.url}/tokengate/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: gate.url, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ username, password }),
    });
    await response.arrayBuffer();
    return response.status;
  };

  const get = async (authorization: string): Promise<number> => {
    const response = await fetch(`${gate.url}/rest/api/space`, { headers: { authorization } });
    await response.arrayBuffer();
    return response.status;
  };

  before(async () => {
    for (const name of ['root', 'admin2', 'admin3', 'victim']) {
      const added = runCli(['user', 'add', name, '--admin', '--password-stdin'], {
        dataDir: dir.path,
        input: PASSWORD,
      });
      assert.equal(added.status, 0, added.stderr);
    }
    assert.equal(runCli(['user', 'add', 'alice'], { dataDir: dir.path }).status, 0);
    alice = createTokenWithCli(dir.path, ['--label', 'alice cron', '--user', 'alice']);
    upstream = await startRecordingUpstream();
    gate = await startTokengate({
      dataDir: dir.path,
      upstream: upstream.url,
      // one window of a day (from UTC midnight): no test straddles two
      env: { TOKENGATE_AUTH_FAILURE_LIMIT: String(LIMIT), TOKENGATE_AUTH_FAILURE_WINDOW_MS: '86400000' },
    });
  });

  after(async () => {
    await gate?.stop();
    await upstream?.stop();
    dir.remove();
  });

  test('100 concurrent wrong sign-ins: exactly the limit are verified, then even the right password waits', async () => {
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => signIn('root', `wrong password ${i}`)));
    assert.equal(count(statuses, 401), LIMIT, `statuses: ${statuses}`);
    assert.equal(count(statuses, 429), 100 - LIMIT, `statuses: ${statuses}`);
    assert.equal(await signIn('root', PASSWORD), 429);
    // another administrator signs in from the same address
    assert.equal(await signIn('admin2', PASSWORD), 200);
  });

  test('100 concurrent wrong sign-ins and the right one: never more than the limit of wrong ones verified', async () => {
    const attempts = Array.from({ length: 100 }, (_, i) => signIn('admin3', `wrong password ${i}`));
    attempts.splice(50, 0, signIn('admin3', PASSWORD));
    const statuses = await Promise.all(attempts);
    const right = statuses[50];
    const wrong = statuses.filter((_, i) => i !== 50);
    assert.ok(right === 200 || right === 429, `the right one: ${right}`);
    assert.equal(count(wrong, 200), 0);
    assert.equal(count(wrong, 401) + count(wrong, 429), 100);
    // a right password that got a reservation gives it back when it is verified: the wrong ones
    // verified are the limit, or one fewer when the right one was verified before all had reserved
    if (right === 429) assert.equal(count(wrong, 401), LIMIT, `statuses: ${statuses}`);
    else assert.ok(count(wrong, 401) === LIMIT || count(wrong, 401) === LIMIT - 1, `statuses: ${statuses}`);
    assert.equal(await signIn('admin3', 'one more wrong password'), 429);
  });

  test('a valid token keeps working while another client fails 1,000 times against another user', async () => {
    const statuses: number[] = [];
    let valid = 0;
    for (let round = 0; round < 100; round++) {
      const burst = Array.from({ length: 10 }, (_, i) => get(basic('victim', `wrong-token-${round}-${i}-xxxxxxxx`)));
      const [mine, ...theirs] = await Promise.all([get(basic('alice', alice.token)), ...burst]);
      statuses.push(...theirs);
      assert.equal(mine, 200, `alice's valid token refused in round ${round}`);
      valid++;
    }
    assert.equal(valid, 100);
    assert.equal(statuses.length, 1000);
    // the attacker is stopped near the limit (calls in flight when it was reached still count)
    assert.ok(count(statuses, 401) >= LIMIT && count(statuses, 401) <= LIMIT + 10, `401s: ${count(statuses, 401)}`);
    assert.equal(count(statuses, 401) + count(statuses, 429), 1000);
    // the victim's own sign-in on the page is a separate counter
    assert.equal(await signIn('victim', PASSWORD), 200);
  });

  test('sequential failures against one user: exactly the limit get 401, then 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < LIMIT + 5; i++) {
      const response = await fetch(`${gate.url}/rest/api/space`, {
        headers: { authorization: basic('nobody-here', `guess-${i}-xxxxxxxxxxxx`) },
      });
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.status === 429) retryAfter ??= response.headers.get('retry-after');
    }
    assert.deepEqual(statuses, [...Array(LIMIT).fill(401), ...Array(5).fill(429)]);
    assert.ok(Number(retryAfter) >= 1);
    assert.equal(await get(basic('alice', alice.token)), 200);
  });
});
