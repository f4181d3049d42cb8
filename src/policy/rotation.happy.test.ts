/**
 * Black-box: rotation through the admin API of a real tokengate (in-process, for an injected
 * clock), a real upstream and a real SQLite database; and through the CLI. Both secrets work
 * during the grace period, only the new one after; a grace of 0 revokes the old one at once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useBlackBox } from '../testing/black-box.js';
import { runCliAsync } from '../testing/cli.js';
import { basic, call } from '../testing/http.js';

const TOOLS = '/rest/extender/1.0/tokenTools';
let offset = 0;
const clock = () => Date.now() + offset;

describe('token rotation with a grace period', () => {
  let admin: { id: string; token: string };
  const box = useBlackBox({
    server: 'in-process',
    now: clock,
    setup: (b) => {
      assert.equal(b.cli(['user', 'add', 'root', '--admin']).status, 0);
      assert.equal(b.cli(['user', 'add', 'ansible']).status, 0);
      admin = b.createToken(['--label', 'admin', '--user', 'root']);
    },
  });

  test('both secrets work during the grace, only the new one after; the new token keeps every field', async () => {
    const auth = basic('root', admin.token);
    const created = await call(box.url, `${TOOLS}/set`, {
      auth,
      body: {
        label: 'deploy',
        userName: 'ansible',
        daysUntilExpiry: 30,
        limitTo: '[GET].*/rest/api/space.*',
        rateLimit: '100/minute',
        quota: 1000,
        allowedIps: '127.0.0.1',
      },
    });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const oldAuth = basic('ansible', created.json.token);

    const rotated = await call(box.url, `${TOOLS}/rotate`, { auth, body: { id: created.json.id, graceMinutes: 10 } });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.json));
    assert.notEqual(rotated.json.id, created.json.id);
    assert.notEqual(rotated.json.token, created.json.token);
    assert.equal(rotated.json.rotatedFrom, created.json.id);
    for (const field of ['label', 'user', 'limitTo', 'validUntil', 'rateLimit', 'quota', 'allowedIps'] as const) {
      assert.deepEqual(rotated.json[field], created.json[field], field);
    }
    const newAuth = basic('ansible', rotated.json.token);

    assert.equal((await call(box.url, '/rest/api/space', { auth: oldAuth })).status, 200, 'old, during the grace');
    assert.equal((await call(box.url, '/rest/api/space', { auth: newAuth })).status, 200, 'new, during the grace');

    offset += 10 * 60_000 + 1000;
    const late = await call(box.url, '/rest/api/space', { auth: oldAuth });
    assert.equal(late.status, 401, 'old, after the grace');
    assert.equal(late.json.code, 'token_expired');
    assert.equal((await call(box.url, '/rest/api/space', { auth: newAuth })).status, 200, 'new, after the grace');
  });

  test('during the grace the two secrets share one rate limit and one quota: a rotation never grants more calls', async () => {
    const auth = basic('root', admin.token);
    const space = (who: string) => call(box.url, '/rest/api/space', { auth: basic('ansible', who) });
    const rotate = async (id: string) => {
      const rotated = await call(box.url, `${TOOLS}/rotate`, { auth, body: { id, graceMinutes: 10 } });
      assert.equal(rotated.status, 200, JSON.stringify(rotated.json));
      return rotated.json as { id: string; token: string; quotaRemaining: number | null };
    };

    const limited = await call(box.url, `${TOOLS}/set`, {
      auth,
      body: { label: 'rate', userName: 'ansible', rateLimit: '3/day' },
    });
    assert.equal((await space(limited.json.token)).status, 200);
    const limitedNew = await rotate(limited.json.id);
    assert.equal((await space(limited.json.token)).status, 200, 'old: the 2nd call of the window');
    assert.equal((await space(limitedNew.token)).status, 200, 'new: the 3rd');
    const over = await space(limitedNew.token);
    assert.equal(over.status, 429, 'new: the 4th call of the shared window');
    assert.equal(over.headers.get('ratelimit-remaining'), '0');
    assert.equal((await space(limited.json.token)).status, 429, 'old: over the same window');

    const counted = await call(box.url, `${TOOLS}/set`, {
      auth,
      body: { label: 'quota', userName: 'ansible', quota: 3 },
    });
    assert.equal((await space(counted.json.token)).status, 200);
    const countedNew = await rotate(counted.json.id);
    assert.equal(countedNew.quotaRemaining, 2, 'the calls used carry over');
    assert.equal((await space(counted.json.token)).status, 200);
    assert.equal((await space(countedNew.token)).status, 200);
    for (const secret of [countedNew.token, counted.json.token]) {
      const refused = await space(secret);
      assert.equal(refused.status, 403);
      assert.equal(refused.json.code, 'quota_exhausted');
    }
    const again = await rotate(countedNew.id);
    assert.equal(again.quotaRemaining, 0, 'a rotation of a rotation starts from the shared count');
    assert.equal((await space(again.token)).status, 403);
  });

  test('graceMinutes 0 revokes the old secret at once; bad input is a 400', async () => {
    const auth = basic('root', admin.token);
    const created = await call(box.url, `${TOOLS}/set`, { auth, body: { label: 'now', userName: 'ansible' } });
    const rotated = await call(box.url, `${TOOLS}/rotate`, { auth, body: { id: created.json.id, graceMinutes: 0 } });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.json));
    assert.equal((await call(box.url, '/rest/api/space', { auth: basic('ansible', created.json.token) })).status, 401);
    assert.equal((await call(box.url, '/rest/api/space', { auth: basic('ansible', rotated.json.token) })).status, 200);

    const bad = await call(box.url, `${TOOLS}/rotate`, { auth, body: { id: rotated.json.id, graceMinutes: -5 } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /graceMinutes/);
    const missing = await call(box.url, `${TOOLS}/rotate`, { auth, body: { id: 'no-such-token' } });
    assert.equal(missing.status, 404);
  });

  test('tokengate token rotate ID --grace-minutes N prints the new secret', async () => {
    // the server runs in this process: the CLI must not block its event loop
    const made = JSON.parse(
      (
        await runCliAsync(['token', 'create', '--json', '--label', 'cli rotated', '--user', 'ansible'], {
          dataDir: box.dataDir,
        })
      ).stdout,
    ) as { id: string };
    // ids are base64url and may start with '-': `--` ends the options
    const result = await runCliAsync([
      'token',
      'rotate',
      '--grace-minutes',
      '0',
      '--json',
      '--data-dir',
      box.dataDir,
      '--',
      made.id,
    ]);
    assert.equal(result.status, 0, result.stderr);
    const rotated = JSON.parse(result.stdout) as { id: string; token: string; label: string; rotatedFrom: string };
    assert.equal(rotated.label, 'cli rotated');
    assert.equal(rotated.rotatedFrom, made.id);
    assert.equal((await call(box.url, '/rest/api/space', { auth: basic('ansible', rotated.token) })).status, 200);
  });
});
