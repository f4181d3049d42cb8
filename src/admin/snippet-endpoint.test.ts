import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type EndpointHarness, httpError, PUBLIC_URL, startEndpointHarness } from './admin-endpoint.test-helpers.js';
import { snippetContract } from './snippet-contract.js';
import { snippetEndpoint } from './snippet-endpoint.js';

describe('GET /rest/extender/1.0/tokenTools/snippet', () => {
  let h: EndpointHarness;
  let bobsId: string;
  let bobsSecret: string;
  let adminsId: string;

  before(async () => {
    h = await startEndpointHarness();
    const bobs = await h.services.tokens.create({ label: 'bob ci' }, h.bob);
    bobsId = bobs.record.id;
    bobsSecret = bobs.secret;
    adminsId = (await h.services.tokens.create({ label: 'admin ci' }, h.admin)).record.id;
  });
  after(() => h.close());

  const snippet = async (actor: 'admin' | 'bob', query: Record<string, string>) =>
    snippetContract.responses[200].schema.parse(
      await h.ok(snippetEndpoint, actor === 'admin' ? h.admin : h.bob, { query }),
    );

  test('curl by default, for /rest/api/space, with the secret for administrators (standard mode)', async () => {
    const answer = await snippet('admin', { id: bobsId });
    assert.equal(answer.lang, 'curl');
    assert.equal(answer.authType, 'basic');
    assert.equal(answer.secretIncluded, true);
    assert.ok(answer.code.includes(`${PUBLIC_URL}/rest/api/space`));
    assert.ok(answer.code.includes(bobsSecret));
    assert.equal(answer.auth, 'basic');
    assert.deepEqual(answer.request, {
      method: 'GET',
      path: '/rest/api/space',
      query: [],
      body: null,
      line: 0,
      allowed: true,
      problem: null,
    });
  });

  test('a restricted token: a call its rules allow, and a Postman collection', async () => {
    const limited = await h.services.tokens.create(
      { label: 'poster', limitTo: '[POST].*\\/rest/api/content [JsonData::type==page]' },
      h.bob,
    );
    const answer = await snippet('admin', { id: limited.record.id, lang: 'postman' });
    assert.deepEqual(answer.request.body, { type: 'page' });
    assert.equal(answer.request.method, 'POST');
    assert.equal(JSON.parse(answer.code).item[0].request.method, 'POST');
  });

  test('lang in any case, and the path asked for', async () => {
    const answer = await snippet('admin', { id: bobsId, lang: 'PYTHON', path: '/rest/api/content/42' });
    assert.equal(answer.lang, 'python');
    assert.ok(answer.code.includes('/rest/api/content/42'));
  });

  test('bad parameters are a 400 that names them', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'id is required'],
      [{ id: '' }, 'id is required'],
      [{ id: bobsId, lang: 'ruby' }, 'lang must be one of curl, javascript, python, postman'],
      [{ id: bobsId, path: '/api/x' }, 'path must start with /rest/'],
    ];
    for (const [query, message] of cases) {
      await assert.rejects(
        h.call(snippetEndpoint, h.admin, { query }),
        httpError(message === 'the request body must be a JSON object' ? 'invalid_json' : 'invalid_input', message),
      );
    }
    await assert.rejects(h.call(snippetEndpoint, h.admin, { query: { id: 'nope' } }), httpError('token_not_found'));
  });

  test('other users get a placeholder instead of their secret, and nothing for tokens not theirs', async () => {
    const own = await snippet('bob', { id: bobsId });
    assert.equal(own.secretIncluded, false);
    assert.ok(!own.code.includes(bobsSecret));
    // another user's token answers like an unknown id (no oracle for which ids exist)
    await assert.rejects(h.call(snippetEndpoint, h.bob, { query: { id: adminsId } }), httpError('token_not_found'));
  });
});
