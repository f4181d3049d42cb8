/** checkRequest: the gateway's canonicaliser and engine on a described request, no server. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRequest, describeVerdict, parseLimitTo } from './index.js';

function rules(text: string) {
  const parsed = parseLimitTo(text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  return parsed.ruleSet;
}

describe('checkRequest', () => {
  const ruleSet = rules('[GET].*/rest/api/space.*\n[POST].*/rest/api/content[JsonData::type==page]');

  test('a request a rule allows names the line', () => {
    assert.deepEqual(checkRequest(ruleSet, { method: 'get', url: '/rest/api/space?limit=1' }), {
      ok: true,
      verdict: { allowed: true, line: 1 },
    });
  });

  test('a JsonData rule reads the body', () => {
    const page = checkRequest(ruleSet, { method: 'POST', url: '/rest/api/content', body: '{"type":"page"}' });
    assert.ok(page.ok && page.verdict.allowed && page.verdict.line === 2);
    const blog = checkRequest(ruleSet, { method: 'POST', url: '/rest/api/content', body: '{"type":"blogpost"}' });
    assert.ok(blog.ok && !blog.verdict.allowed);
    assert.match(describeVerdict(blog.verdict), /line 2: JSON node "type" value "blogpost" does not match page/);
  });

  test('a request the gateway itself refuses is not judged', () => {
    const dots = checkRequest(ruleSet, { method: 'GET', url: '/rest/api/../space' });
    assert.equal(dots.ok, false);
    const duplicate = checkRequest(ruleSet, { method: 'POST', url: '/rest/api/content', body: '{"a":1,"a":2}' });
    assert.ok(!duplicate.ok && /not valid JSON/.test(duplicate.refused));
  });

  test('a rule set that does not parse says where', () => {
    const parsed = parseLimitTo('[GET.*');
    assert.ok(!parsed.ok && parsed.error.line === 1);
  });
});
