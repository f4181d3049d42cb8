import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate } from './evaluate.js';
import { dryRunBody, NO_BODY, requestFacts } from './request-facts.js';
import { mustParse } from './restrictions.test-helpers.js';

const canonical = {
  method: 'POST',
  path: '/rest/api/content',
  rawQuery: 'spaceKey=PM',
  absoluteUrl: 'https://wiki.example.com/rest/api/content',
  query: new Map([['spaceKey', ['PM']]]),
  headers: { authorization: 'Bearer secret', 'content-type': 'application/json' },
};

describe('requestFacts', () => {
  test('copies what the rules see, and nothing else of the request', () => {
    assert.deepEqual(requestFacts(canonical), {
      method: 'POST',
      path: '/rest/api/content',
      absoluteUrl: 'https://wiki.example.com/rest/api/content',
      query: new Map([['spaceKey', ['PM']]]),
      body: undefined,
    });
    assert.equal('headers' in requestFacts(canonical), false);
  });

  test('without a body, a JsonData rule needs it; with it, the rule decides', () => {
    const ruleSet = mustParse('[POST].*/content[JsonData::type==page]');
    assert.deepEqual(evaluate(ruleSet, requestFacts(canonical)), {
      allowed: false,
      needsBody: true,
      failures: [{ line: 1, part: 'json', reason: 'the body has not been read yet (JsonData parts need it)' }],
    });
    const page = requestFacts(canonical, { kind: 'json', value: { type: 'page' } });
    assert.deepEqual(evaluate(ruleSet, page), { allowed: true, line: 1 });
    const none = evaluate(ruleSet, requestFacts(canonical, NO_BODY));
    assert.equal(
      none.allowed === false && none.failures[0]?.reason,
      'the request has no body; JsonData parts need a JSON object',
    );
  });

  test('a dry run without a body has no body (not "not read yet")', () => {
    assert.deepEqual(dryRunBody(undefined), { kind: 'none' });
    assert.deepEqual(dryRunBody({ a: 1 }), { kind: 'json', value: { a: 1 } });
    assert.deepEqual(dryRunBody(null), { kind: 'json', value: null });
  });
});
