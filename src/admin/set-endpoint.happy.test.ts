import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type EndpointHarness, httpError, startEndpointHarness } from './admin-endpoint.test-helpers.js';
import { setContract } from './set-contract.js';
import { setEndpoint } from './set-endpoint.js';

describe('POST /rest/extender/1.0/tokenTools/set (happy path)', () => {
  let h: EndpointHarness;

  before(async () => {
    h = await startEndpointHarness();
  });
  after(() => h.close());

  test('creates a token and answers it with its secret, once, in the contract shape', async () => {
    const answer = setContract.responses[200].schema.parse(
      await h.ok(setEndpoint, h.admin, {
        body: { label: 'ci', userName: 'bob', daysUntilExpiry: '30', limitTo: '[GET].*/rest/api/space.*' },
      }),
    );
    assert.ok('token' in answer);
    assert.equal(answer.label, 'ci');
    assert.equal(answer.user, 'bob');
    assert.equal(answer.validUntil, h.deps.now() + 30 * 86_400_000);
    const stored = await h.services.store.findTokenById(answer.id);
    assert.equal(stored?.label, 'ci');
    assert.equal(h.services.digest(answer.token), stored?.digest);
    assert.deepEqual(h.actions.at(-1), {
      action: 'token created for bob',
      tokenId: answer.id,
      tokenLabel: 'ci',
      extraSecrets: [answer.token],
    });
  });

  test('null or empty optional fields mean "not given"', async () => {
    const answer = await h.ok<{ user: string | null; validUntil: number; limitTo: string }>(setEndpoint, h.admin, {
      body: { label: 'plain', userName: null, daysUntilExpiry: null, limitTo: '', token: null },
    });
    assert.deepEqual([answer.user, answer.validUntil, answer.limitTo], [null, 0, '']);
  });

  test('administrators change settings (authType in any case); every node follows', async () => {
    const answer = setContract.responses[200].schema.parse(
      await h.ok(setEndpoint, h.admin, { body: { authType: 'BEARER', auditLog: false } }),
    );
    assert.deepEqual(answer, {
      status: 'ok',
      settings: {
        authType: 'bearer',
        extenderEndpointsOnly: false,
        usageDetails: true,
        auditLog: false,
        maxExpiryDays: h.services.config.maxExpiryDays,
        secureMode: false,
      },
    });
    assert.equal(h.deps.settings().authType, 'bearer');
    assert.equal((await h.services.store.getSettings()).auditLog, false);
    assert.deepEqual(h.actions.at(-1), { action: 'settings changed: authType=bearer, auditLog=false' });
  });

  test('maxExpiryDays is a setting every node and the CLI enforce; the stricter of it and the configuration applies', async () => {
    await h.ok(setEndpoint, h.admin, { body: { maxExpiryDays: 10 } });
    await assert.rejects(
      h.call(setEndpoint, h.admin, { body: { label: 'long', daysUntilExpiry: 11 } }),
      httpError('invalid_input', /at most 10/),
    );
    await h.ok(setEndpoint, h.admin, { body: { maxExpiryDays: null } });
    // the node's configuration still applies (it is the stricter now)
    const configured = h.services.config.maxExpiryDays;
    assert.equal(h.services.tokens.maxExpiryDays(), configured);
  });
});
