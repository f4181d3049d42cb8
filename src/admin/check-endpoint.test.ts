import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type EndpointHarness, httpError, startEndpointHarness } from './admin-endpoint.test-helpers.js';
import { checkContract } from './check-contract.js';
import { checkEndpoint } from './check-endpoint.js';

const RULES = '[GET].*/rest/api/space.*\n[POST].*/rest/api/content[JsonData::type==page]';

describe('POST /rest/extender/1.0/tokenTools/check', () => {
  let h: EndpointHarness;
  let adminTokenId: string;

  before(async () => {
    h = await startEndpointHarness();
    adminTokenId = (await h.services.tokens.create({ label: 'scoped', limitTo: RULES }, h.admin)).record.id;
  });
  after(() => h.close());

  const check = async (body: unknown) =>
    checkContract.responses[200].schema.parse(await h.ok(checkEndpoint, h.admin, { body }));

  test('answers the verdict of the gateway engine, with the rule line or the failures', async () => {
    assert.deepEqual(await check({ limitTo: RULES, method: 'GET', url: '/rest/api/space/DEMO' }), {
      status: 'ok',
      valid: true,
      allowed: true,
      line: 1,
      failures: [],
    });
    const denied = await check({ id: adminTokenId, method: 'DELETE', url: '/rest/api/space/DEMO' });
    assert.ok(denied.valid && !denied.allowed && denied.line === null);
    assert.deepEqual(
      denied.failures.map((f) => [f.line, f.part]),
      [
        [1, 'method'],
        [2, 'method'],
      ],
    );
  });

  test('a JSON body, as a value or as its text, is matched like the gateway matches it', async () => {
    const call = { id: adminTokenId, method: 'POST', url: '/rest/api/content' };
    for (const body of [{ type: 'page' }, '{"type":"page"}']) {
      const answer = await check({ ...call, body });
      assert.ok(answer.valid && answer.allowed && answer.line === 2, JSON.stringify(answer));
    }
    const other = await check({ ...call, body: { type: 'blogpost' } });
    assert.ok(other.valid && !other.allowed);
  });

  test('a rule error is answered (not refused) with its line and column', async () => {
    const answer = await check({ limitTo: '[GET].*/ok\n[GET(/broken', method: 'GET', url: '/rest/x' });
    assert.equal(answer.valid, false);
    assert.ok(!answer.valid && answer.error.line === 2 && answer.error.column >= 1 && answer.error.message !== '');
  });

  test('a bad body is a 400 that says what is wrong', async () => {
    const call = { method: 'GET', url: '/rest/api/space' };
    const cases: [unknown, string | RegExp][] = [
      [[], 'the request body must be a JSON object'],
      [{ ...call, limitTo: '', colour: 1 }, 'unknown field: "colour"'],
      [call, 'send either id or limitTo'],
      [{ ...call, id: adminTokenId, limitTo: '' }, 'send either id or limitTo'],
      [{ ...call, id: 5, limitTo: 5 }, 'send either id or limitTo'],
      [{ limitTo: '', url: '/rest/x' }, 'method is required'],
      [{ limitTo: '', method: '', url: '/rest/x' }, 'method is required'],
      [{ limitTo: '', method: 'GET' }, 'url is required'],
      [{ ...call, id: 5 }, 'id must be a string'],
      [{ ...call, limitTo: ['x'] }, 'limitTo must be a string'],
      [{ ...call, limitTo: '', body: '{"a":' }, /^body: /],
      [{ limitTo: '', method: 'GET', url: 'http://[bad' }, /^not a valid URL/],
    ];
    for (const [body, message] of cases) {
      await assert.rejects(
        h.call(checkEndpoint, h.admin, { body }),
        httpError(message === 'the request body must be a JSON object' ? 'invalid_json' : 'invalid_input', message),
        JSON.stringify(body),
      );
    }
    await assert.rejects(
      h.call(checkEndpoint, h.admin, { body: { ...call, id: 'nope' } }),
      httpError('token_not_found'),
    );
  });

  test("other users cannot read another user's rules through check", async () => {
    await assert.rejects(
      h.call(checkEndpoint, h.bob, { body: { id: adminTokenId, method: 'GET', url: '/rest/api/space' } }),
      httpError('token_not_found'),
    );
  });
});
