import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type EndpointHarness, httpError, startEndpointHarness } from './admin-endpoint.test-helpers.js';
import { deleteEndpoint } from './delete-endpoint.js';

describe('DELETE /rest/extender/1.0/tokenTools/delete', () => {
  let h: EndpointHarness;

  before(async () => {
    h = await startEndpointHarness();
  });
  after(() => h.close());

  test('deletes the token and records who did it', async () => {
    const { record } = await h.services.tokens.create({ label: 'old ci' }, h.admin);
    assert.deepEqual(await h.ok(deleteEndpoint, h.admin, { body: { id: record.id } }), { status: 'ok' });
    assert.equal(await h.services.store.findTokenById(record.id), undefined);
    assert.deepEqual(h.actions.at(-1), { action: 'token deleted', tokenId: record.id, tokenLabel: 'old ci' });
  });

  test('a bad body is a 400 that says what is wrong, and nothing is deleted', async () => {
    const { record } = await h.services.tokens.create({ label: 'kept' }, h.admin);
    const cases: [unknown, string | RegExp][] = [
      [[record.id], 'the request body must be a JSON object'],
      [record.id, 'the request body must be a JSON object'],
      [null, 'the request body must be a JSON object'],
      [{}, 'id is required: the id of the token to delete'],
      [{ id: '' }, 'id is required: the id of the token to delete'],
      [{ id: 5 }, 'id is required: the id of the token to delete'],
      [{ id: record.id, force: true }, 'unknown field: "force"'],
    ];
    for (const [body, message] of cases) {
      await assert.rejects(
        h.call(deleteEndpoint, h.admin, { body }),
        httpError(message === 'the request body must be a JSON object' ? 'invalid_json' : 'invalid_input', message),
      );
    }
    assert.ok(await h.services.store.findTokenById(record.id));
    await assert.rejects(h.call(deleteEndpoint, h.admin, { body: { id: 'nope' } }), httpError('token_not_found'));
  });

  test('other users delete their own tokens only', async () => {
    const { record: admins } = await h.services.tokens.create({ label: 'admin only' }, h.admin);
    await assert.rejects(h.call(deleteEndpoint, h.bob, { body: { id: admins.id } }), httpError('token_not_found'));
    assert.ok(await h.services.store.findTokenById(admins.id));
    const { record: bobs } = await h.services.tokens.create({ label: 'mine' }, h.bob);
    await h.ok(deleteEndpoint, h.bob, { body: { id: bobs.id } });
    assert.equal(await h.services.store.findTokenById(bobs.id), undefined);
  });
});
