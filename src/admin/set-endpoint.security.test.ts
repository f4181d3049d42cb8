import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../store/models.js';
import { type EndpointHarness, httpError, startEndpointHarness } from './admin-endpoint.test-helpers.js';
import { setEndpoint } from './set-endpoint.js';

describe('POST /rest/extender/1.0/tokenTools/set (what other users may not do)', () => {
  let h: EndpointHarness;

  before(async () => {
    h = await startEndpointHarness();
  });
  after(() => h.close());

  test('only administrators change settings: 403 whatever the values, and nothing changes', async () => {
    for (const body of [{ auditLog: false }, { authType: 'bearer' }, { authType: 'nonsense' }, { usageDetails: 'x' }]) {
      await assert.rejects(
        h.call(setEndpoint, h.bob, { body }),
        httpError('forbidden', 'only administrators can change settings'),
        JSON.stringify(body),
      );
    }
    assert.deepEqual(await h.services.store.getSettings(), DEFAULT_SETTINGS);
    assert.deepEqual(h.actions, []);
  });

  test('a user creates tokens for themselves only', async () => {
    await assert.rejects(
      h.call(setEndpoint, h.bob, { body: { label: 'x', userName: 'admin' } }),
      httpError('forbidden'),
    );
    const own = await h.ok<{ user: string }>(setEndpoint, h.bob, { body: { label: 'mine' } });
    assert.equal(own.user, 'bob');
  });

  test('the new secret is answered once and kept out of the recorded action text', async () => {
    const answer = await h.ok<{ token: string }>(setEndpoint, h.bob, { body: { label: 'ci' } });
    const action = h.actions.at(-1);
    assert.ok(action !== undefined && !action.action.includes(answer.token));
    assert.deepEqual(action.extraSecrets, [answer.token]);
  });
});
