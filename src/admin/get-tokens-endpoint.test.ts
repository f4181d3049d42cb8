import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type EndpointHarness, httpError, startEndpointHarness } from './admin-endpoint.test-helpers.js';
import type { ResponseOf } from './endpoint-contract.js';
import { getTokensContract } from './get-tokens-contract.js';
import { getTokensEndpoint } from './get-tokens-endpoint.js';

type Page = ResponseOf<typeof getTokensContract>;

describe('GET /rest/extender/1.0/tokenTools/get', () => {
  let h: EndpointHarness;
  const secrets = new Map<string, string>();

  before(async () => {
    h = await startEndpointHarness();
    for (let i = 0; i < 5; i++) {
      const { record, secret } = await h.services.tokens.create({ label: `admin ${i}` }, h.admin);
      secrets.set(record.id, secret);
    }
    for (let i = 0; i < 3; i++) {
      const { record, secret } = await h.services.tokens.create({ label: `bob ${i}` }, h.bob);
      secrets.set(record.id, secret);
    }
  });
  after(() => h.close());

  test('administrators see every token with its secret (standard mode), in the contract shape', async () => {
    const page: Page = getTokensContract.responses[200].schema.parse(await h.ok(getTokensEndpoint, h.admin));
    assert.equal(page.total, 8);
    assert.equal(page.pages, 1);
    assert.equal(page.startAt, 0);
    assert.equal(page.maxResults, 50);
    assert.equal(page.tokens.length, 8);
    for (const token of page.tokens) assert.equal(token.token, secrets.get(token.id));
    const bobs = page.tokens.filter((t) => t.user === 'bob');
    assert.equal(bobs.length, 3);
    assert.ok(bobs.every((t) => t.userDisplayName === 'bob'));
  });

  test('paging: startAt and maxResults; a repeated parameter counts with its last value', async () => {
    const first = await h.ok<Page>(getTokensEndpoint, h.admin, { query: { maxResults: '3' } });
    assert.equal(first.pages, 3);
    assert.equal(first.tokens.length, 3);
    const last = await h.ok<Page>(getTokensEndpoint, h.admin, { query: { startAt: '6', maxResults: ['1', '3'] } });
    assert.equal(last.maxResults, 3);
    assert.equal(last.tokens.length, 2);
    const ids = new Set([...first.tokens, ...last.tokens].map((t) => t.id));
    assert.equal(ids.size, 5);
  });

  test('bad paging parameters are a 400 that names them', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ startAt: 'x' }, 'startAt must be a whole number'],
      [{ startAt: '-1' }, 'startAt must be a whole number'],
      [{ startAt: '' }, 'startAt must be a whole number'],
      [{ maxResults: '0' }, 'maxResults must be between 1 and 1000'],
      [{ maxResults: '1001' }, 'maxResults must be between 1 and 1000'],
      [{ maxResults: '1234567890' }, 'maxResults must be a whole number'],
    ];
    for (const [query, message] of cases) {
      await assert.rejects(
        h.call(getTokensEndpoint, h.admin, { query }),
        httpError(message === 'the request body must be a JSON object' ? 'invalid_json' : 'invalid_input', message),
      );
    }
  });

  test('other users see only their own tokens, never a secret', async () => {
    const page = await h.ok<Page>(getTokensEndpoint, h.bob);
    assert.equal(page.total, 3);
    assert.ok(page.tokens.every((t) => t.user === 'bob' && t.token === undefined));
  });
});
