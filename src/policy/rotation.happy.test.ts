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
