/**
 * Black-box: per-user upstream credentials. A user's own credential replaces the fixed one on
 * that user's token calls; set with the CLI (stdin) or the admin API; never shown, logged or
 * audited; kept encrypted at rest.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const ALICE_PAT = 'NjA1MzI2ODk0MzQ3OkFsaWNlcyBwZXJzb25hbCBhY2Nlc3MgdG9rZW4';
const BOB_PASSWORD = 'bobs-upstream-password-9f3a';
const FIXED = 'service-account-token-77';

describe('gateway: per-user upstream credentials', () => {
  const dir = tempDir();
  let upstream: RunningUpstream;
  let gate: RunningTokengate;
  let admin: { id: string; token: string };
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };

  before(async () => {
    for (const args of [['root', '--admin'], ['alice'], ['bob'], ['carol']]) {
      assert.equal(runCli(['user', 'add', ...args], { dataDir: dir.path }).status, 0);
    }
    admin = createTokenWithCli(dir.path, ['--label', 'root', '--user', 'root']);
    alice = createTokenWithCli(dir.path, ['--label', 'alice', '--user', 'alice']);
    bob = createTokenWithCli(dir.path, ['--label', 'bob', '--user', 'bob']);
    const set = runCli(['user', 'upstream-credential', 'alice', '--type', 'bearer'], {
      dataDir: dir.path,
      input: `${ALICE_PAT}\n`,
    });
    assert.equal(set.status, 0, set.stderr);
    assert.ok(!set.stdout.includes(ALICE_PAT) && !set.stderr.includes(ALICE_PAT));
    upstream = await startRecordingUpstream();
    gate = await startTokengate({
      dataDir: dir.path,
      upstream: upstream.url,
      env: { TOKENGATE_UPSTREAM_TOKEN: FIXED },
    });
  });

  after(async () => {
    await gate?.stop();
    await upstream?.stop();
    dir.remove();
  });

  const upstreamAuthorizationOf = async (user: string, token: string): Promise<string | undefined> => {
    await upstream.clear();
    const response = await fetch(`${gate.url}/rest/api/user/current`, {
      headers: { authorization: basic(user, token) },
    });
    assert.equal(response.status, 200);
    const [received] = await upstream.records();
    return received?.headers.authorization as string | undefined;
  };

  test("a user's own credential reaches the upstream; users without one use the fixed credential", async () => {
    assert.equal(await upstreamAuthorizationOf('alice', alice.token), `Bearer ${ALICE_PAT}`);
    assert.equal(await upstreamAuthorizationOf('bob', bob.token), `Bearer ${FIXED}`);
  });

  test('the admin API: a user sets and clears their own; only an administrator sets somebody else’s', async () => {
    const post = (user: string, token: string, body: unknown, method = 'POST') =>
      fetch(`${gate.url}/rest/extender/1.0/tokenTools/upstreamCredential`, {
        method,
        headers: { authorization: basic(user, token), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const own = await post('bob', bob.token, { type: 'basic', value: `bob:${BOB_PASSWORD}` });
    assert.equal(own.status, 200);
    assert.ok(!(await own.text()).includes(BOB_PASSWORD), 'the value is never shown again');
    assert.equal(
      await upstreamAuthorizationOf('bob', bob.token),
      `Basic ${Buffer.from(`bob:${BOB_PASSWORD}`).toString('base64')}`,
    );

    const others = await post('bob', bob.token, { userName: 'alice', type: 'bearer', value: 'x'.repeat(20) });
    assert.equal(others.status, 403);
    assert.equal(((await others.json()) as { code: string }).code, 'forbidden');
    const invalid = await post('bob', bob.token, { type: 'basic', value: 'no-colon' });
    assert.equal(invalid.status, 400);
    assert.ok(!(await invalid.text()).includes('no-colon'), 'an error never repeats the value');

    const byAdmin = await post('root', admin.token, { userName: 'carol', type: 'bearer', value: 'carols-pat-123456' });
    assert.equal(byAdmin.status, 200);

    const cleared = await post('bob', bob.token, {}, 'DELETE');
    assert.equal(cleared.status, 200);
    assert.equal(((await cleared.json()) as { removed: boolean }).removed, true);
    assert.equal(await upstreamAuthorizationOf('bob', bob.token), `Bearer ${FIXED}`);
  });

  test('perUserCredentials=required: a token call of a user without one gets 403 saying so', async () => {
    const strict = await startTokengate({
      dataDir: dir.path,
      upstream: upstream.url,
      env: { TOKENGATE_UPSTREAM_TOKEN: FIXED, TOKENGATE_UPSTREAM_PER_USER: 'required' },
    });
    try {
      await upstream.clear();
      const refused = await fetch(`${strict.url}/rest/api/space`, {
        headers: { authorization: basic('bob', bob.token) },
      });
      assert.equal(refused.status, 403);
      const body = (await refused.json()) as { code: string; message: string };
      assert.equal(body.code, 'upstream_credential_required');
      assert.match(body.message, /bob.*no upstream credential/);
      assert.deepEqual(await upstream.records(), []);
      const allowed = await fetch(`${strict.url}/rest/api/space`, {
        headers: { authorization: basic('alice', alice.token) },
      });
      assert.equal(allowed.status, 200);
      // tokengate's own admin API needs no upstream credential
      const own = await fetch(`${strict.url}/rest/extender/1.0/tokenTools/get`, {
        headers: { authorization: basic('bob', bob.token) },
      });
      assert.equal(own.status, 200);
    } finally {
      await strict.stop();
    }
  });

  test('the CLI clears it; the values are in no log, no audit record and not in plain text on disk', async () => {
    const cleared = runCli(['user', 'upstream-credential', 'alice', '--clear'], { dataDir: dir.path });
    assert.equal(cleared.status, 0, cleared.stderr);
    assert.match(cleared.stdout, /removed/);
    assert.equal(await upstreamAuthorizationOf('alice', alice.token), `Bearer ${FIXED}`);
    const usage = runCli(['user', 'upstream-credential', 'alice', '--type', 'digest'], { dataDir: dir.path });
    assert.equal(usage.status, 2);

    const audit = runCli(['audit', '--json', '--max', '1000'], { dataDir: dir.path });
    assert.equal(audit.status, 0, audit.stderr);
    const everything = [gate.output(), audit.stdout, audit.stderr].join('\n');
    for (const secret of [ALICE_PAT, BOB_PASSWORD, 'carols-pat-123456']) {
      assert.ok(!everything.includes(secret), 'a credential reached a log or the audit');
      for (const name of readdirSync(dir.path)) {
        if (name.endsWith('.key')) continue;
        const bytes = readFileSync(join(dir.path, name));
        assert.ok(!bytes.includes(secret), `${name} holds a credential in plain text`);
      }
    }
    assert.match(audit.stdout, /upstream credential \(basic\) set for bob/);
  });
});
