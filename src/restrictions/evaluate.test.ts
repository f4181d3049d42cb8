import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate } from './evaluate.js';
import { compileFullMatcher } from './full-matcher.js';
import { methodListPart } from './parts/method-list-part.js';
import { urlRegexPart } from './parts/url-regex-part.js';
import { allowedLine, facts, mustParse } from './restrictions.test-helpers.js';
import type { FullMatcher, Rule, RuleSet, Verdict } from './types.js';

function failuresOf(verdict: Verdict) {
  assert.equal(verdict.allowed, false, 'expected a denial');
  return verdict.allowed ? [] : verdict.failures;
}

function reasonOf(rules: string, request: ReturnType<typeof facts>): string {
  const [failure] = failuresOf(evaluate(mustParse(rules), request));
  return failure?.reason ?? '';
}

describe('evaluate: rule sets and lines', () => {
  test('an empty rule set allows everything, as line 0', () => {
    assert.deepEqual(evaluate(mustParse(''), facts('DELETE', '/rest/anything')), { allowed: true, line: 0 });
  });

  test('the first matching line allows; lines are reported with their numbers', () => {
    const ruleSet = mustParse('\n[POST].*/a\n\n.*/a\n.*');
    assert.deepEqual(evaluate(ruleSet, facts('POST', '/a')), { allowed: true, line: 2 });
    assert.deepEqual(evaluate(ruleSet, facts('GET', '/a')), { allowed: true, line: 4 });
    assert.deepEqual(evaluate(ruleSet, facts('GET', '/b')), { allowed: true, line: 5 });
  });

  test('allowing returns the same frozen verdict object every time (no allocation)', () => {
    const ruleSet = mustParse('.*/a');
    const first = evaluate(ruleSet, facts('GET', '/a'));
    assert.equal(evaluate(ruleSet, facts('GET', '/a')), first);
    assert.ok(Object.isFrozen(first));
  });

  test('a denial has one failure per rule, in order, with the first failed part', () => {
    const ruleSet = mustParse('[POST].*/a\n.*/b\n.*/c[QueryParam::x==1]\n[GET].*/c[JsonData::t==1]');
    assert.deepEqual(failuresOf(evaluate(ruleSet, facts('GET', '/c', { body: { t: 2 } }))), [
      { line: 1, part: 'method', reason: 'method GET is not one of POST' },
      { line: 2, part: 'url', reason: 'URL /c does not match .*/b' },
      { line: 3, part: 'query', reason: 'query parameter "x" is missing' },
      { line: 4, part: 'json', reason: 'JSON node "t" value "2" does not match 1' },
    ]);
  });

  test('plain Rule objects (not from the parser) work too', () => {
    const compiled = compileFullMatcher('/x');
    assert.ok(compiled.ok);
    const rule: Rule = { line: 7, parts: [methodListPart(['GET', 'PUT']), urlRegexPart(compiled.matcher)] };
    const ruleSet: RuleSet = { rules: [rule], needsBody: false };
    assert.deepEqual(evaluate(ruleSet, facts('GET', '/x')), { allowed: true, line: 7 });
    assert.equal(failuresOf(evaluate(ruleSet, facts('POST', '/x')))[0]?.reason, 'method POST is not one of GET, PUT');
  });

  test('a hand-made FullMatcher without fast-path hints works', () => {
    const url: FullMatcher = { source: 'any', test: () => true };
    const ruleSet: RuleSet = { rules: [{ line: 1, parts: [urlRegexPart(url)] }], needsBody: false };
    assert.equal(allowedLine(evaluate(ruleSet, facts('GET', '/x'))), 1);
  });
});

describe('evaluate: method and URL', () => {
  test('methods compare upper case', () => {
    assert.equal(allowedLine(evaluate(mustParse('[get|delete].*'), facts('DELETE', '/x'))), 1);
  });

  test('the URL regex matches the whole path or the whole absolute URL', () => {
    const ruleSet = mustParse('https://wiki\\.example\\.com/rest/.*');
    assert.equal(allowedLine(evaluate(ruleSet, facts('GET', '/rest/api'))), 1);
    assert.equal(allowedLine(evaluate(ruleSet, facts('GET', '/rest/api', { publicUrl: null }))), false);
    assert.equal(allowedLine(evaluate(mustParse('/rest/.*'), facts('GET', '/rest/api'))), 1);
    assert.equal(allowedLine(evaluate(mustParse('/rest'), facts('GET', '/rest/api'))), false, 'not a prefix match');
    assert.equal(allowedLine(evaluate(mustParse('api'), facts('GET', '/rest/api'))), false, 'not a search');
  });

  test('a .* rule across the public URL and the path', () => {
    const ruleSet = mustParse('.*example\\.com/rest.*');
    assert.equal(allowedLine(evaluate(ruleSet, facts('GET', '/rest/api'))), 1);
    assert.equal(allowedLine(evaluate(ruleSet, facts('GET', '/rest/api', { publicUrl: null }))), false);
  });

  test('absolute URL that does not end with the path still tried on both', () => {
    const ruleSet = mustParse('.*/only-path');
    const request = { ...facts('GET', '/only-path'), absoluteUrl: 'https://x/elsewhere' };
    assert.equal(allowedLine(evaluate(ruleSet, request)), 1);
    const other = { ...facts('GET', '/nope'), absoluteUrl: 'https://x/only-path' };
    assert.equal(allowedLine(evaluate(ruleSet, other)), 1);
  });

  test('the query string is never part of the URL', () => {
    assert.equal(allowedLine(evaluate(mustParse('.*\\?.*'), facts('GET', '/a', { query: { x: '1' } }))), false);
  });

  test('a line feed in the path never matches .*', () => {
    assert.equal(allowedLine(evaluate(mustParse('.*'), facts('GET', '/a\n/b'))), false);
  });

  test('a long path or regex is shortened in reasons', () => {
    const reason = reasonOf('.*/x', facts('GET', `/${'a'.repeat(500)}`));
    assert.ok(reason.length < 300, reason);
    assert.match(reason, /^URL \/a+… does not match \.\*\/x$/);
  });
});

describe('evaluate: QueryParam', () => {
  test('every value of a repeated parameter must match', () => {
    const ruleSet = mustParse('.*[QueryParam::id==[0-9]+]');
    assert.equal(allowedLine(evaluate(ruleSet, facts('GET', '/a', { query: { id: ['1', '22'] } }))), 1);
    assert.equal(allowedLine(evaluate(ruleSet, facts('GET', '/a', { query: { id: ['1', 'x'] } }))), false);
  });

  test('a parameter with no values counts as missing', () => {
    const request = { ...facts('GET', '/a'), query: new Map([['id', []]]) };
    assert.equal(reasonOf('.*[QueryParam::id==.*]', request), 'query parameter "id" is missing');
  });

  test('an empty value matches only a regex that matches the empty string', () => {
    assert.equal(
      allowedLine(evaluate(mustParse('.*[QueryParam::flag==]'), facts('GET', '/a', { query: { flag: '' } }))),
      1,
    );
    assert.equal(
      allowedLine(evaluate(mustParse('.*[QueryParam::flag==.+]'), facts('GET', '/a', { query: { flag: '' } }))),
      false,
    );
  });

  test('names are exact (case-sensitive, decoded by the caller)', () => {
    const ruleSet = mustParse('.*[QueryParam::filter[type]==page]');
    assert.equal(allowedLine(evaluate(ruleSet, facts('GET', '/a', { query: { 'filter[type]': 'page' } }))), 1);
  });

  test('quotes and control characters in values are escaped in reasons', () => {
    const reason = reasonOf('.*[QueryParam::q==x]', facts('GET', '/a', { query: { q: 'a"b\nc' } }));
    assert.equal(reason, 'query parameter "q" value "a\\"b\\nc" does not match x');
  });
});

describe('evaluate: JsonData', () => {
  const match = (rule: string, body: unknown) =>
    allowedLine(evaluate(mustParse(`.*${rule}`), facts('POST', '/a', { body })));
  const why = (rule: string, body: unknown) => reasonOf(`.*${rule}`, facts('POST', '/a', { body }));

  test('strings, numbers and booleans by their text', () => {
    assert.equal(match('[JsonData::n==4[0-9]]', { n: 42 }), 1);
    assert.equal(match('[JsonData::n==1\\.5]', { n: 1.5 }), 1);
    assert.equal(match('[JsonData::b==true]', { b: true }), 1);
    assert.equal(match('[JsonData::b==false]', { b: false }), 1);
    assert.equal(match('[JsonData::n==42]', { n: '42' }), 1);
  });

  test('dotted paths', () => {
    assert.equal(match('[JsonData::space.key==PM]', { space: { key: 'PM' } }), 1);
    assert.equal(match('[JsonData::body.storage.value==<p>.*]', { body: { storage: { value: '<p>x</p>' } } }), 1);
    assert.equal(why('[JsonData::space.key==PM]', { space: { name: 'x' } }), 'JSON node "space.key" is missing');
    assert.equal(
      why('[JsonData::space.key==PM]', { space: 'PM' }),
      'JSON node "space.key" is missing ("space" is a string)',
    );
    assert.equal(
      why('[JsonData::space.key==PM]', { space: null }),
      'JSON node "space.key" is missing ("space" is null)',
    );
  });

  test('objects and null do not match', () => {
    assert.equal(
      why('[JsonData::space==.*]', { space: { key: 'PM' } }),
      'JSON node "space" is an object, not a string, number or boolean',
    );
    assert.equal(
      why('[JsonData::space==.*]', { space: null }),
      'JSON node "space" is null, not a string, number or boolean',
    );
  });

  test('through arrays, every element must match; an empty array does not', () => {
    assert.equal(match('[JsonData::labels==team-.*]', { labels: ['team-a', 'team-b'] }), 1);
    assert.equal(
      why('[JsonData::labels==team-.*]', { labels: ['team-a', 'x'] }),
      'JSON node "labels[1]" value "x" does not match team-.*',
    );
    assert.equal(why('[JsonData::labels==.*]', { labels: [] }), 'JSON node "labels" is an empty array');
    assert.equal(match('[JsonData::labels.name==team-.*]', { labels: [{ name: 'team-a' }, { name: 'team-b' }] }), 1);
    assert.equal(
      why('[JsonData::labels.name==team-.*]', { labels: [{ name: 'team-a' }, { id: 1 }] }),
      'JSON node "labels[1].name" is missing',
    );
    assert.equal(match('[JsonData::m==[0-9]]', { m: [[1, 2], [3]] }), 1);
    assert.equal(why('[JsonData::m==[0-9]]', { m: [[1], []] }), 'JSON node "m[1]" is an empty array');
  });

  test('an array of objects at the node does not match', () => {
    assert.equal(
      why('[JsonData::labels==.*]', { labels: [{ name: 'a' }] }),
      'JSON node "labels[0]" is an object, not a string, number or boolean',
    );
  });

  test('arrays nested deeper than 64 do not match', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 70; i++) deep = [deep];
    assert.equal(match('[JsonData::d==x]', { d: deep }), false);
    assert.match(why('[JsonData::d==x]', { d: deep }), /nests arrays more than 64 deep$/);
    let ok: unknown = 'x';
    for (let i = 0; i < 60; i++) ok = [ok];
    assert.equal(match('[JsonData::d==x]', { d: ok }), 1);
  });

  test('only own properties are nodes (no prototype keys)', () => {
    assert.equal(why('[JsonData::constructor==.*]', {}), 'JSON node "constructor" is missing');
    assert.equal(why('[JsonData::toString==.*]', {}), 'JSON node "toString" is missing');
    const body = JSON.parse('{"__proto__":"x"}') as unknown;
    assert.equal(match('[JsonData::__proto__==x]', body), 1);
  });

  test('the body must be a JSON object', () => {
    for (const body of [[], 'page', 42, null, true])
      assert.equal(why('[JsonData::type==page]', body), 'body is not a JSON object');
  });

  test('all JsonData parts must match', () => {
    assert.equal(match('[JsonData::a==1][JsonData::b==2]', { a: 1, b: 2 }), 1);
    assert.equal(why('[JsonData::a==1][JsonData::b==2]', { a: 1, b: 3 }), 'JSON node "b" value "3" does not match 2');
  });
});

describe('evaluate: reading the body only when needed', () => {
  const rules = '[GET].*/a\n[POST].*/content[JsonData::type==page]\n[POST].*/content[QueryParam::draft==true]';

  test('without body, a rule that only its JsonData parts could decide asks for the body', () => {
    const verdict = evaluate(mustParse(rules), facts('POST', '/content'));
    assert.equal(verdict.allowed, false);
    assert.equal(!verdict.allowed && verdict.needsBody, true);
    assert.deepEqual(failuresOf(verdict)[1], {
      line: 2,
      part: 'json',
      reason: 'the body has not been read yet (JsonData parts need it)',
    });
  });

  test('another rule that allows without the body wins', () => {
    const verdict = evaluate(mustParse(rules), facts('POST', '/content', { query: { draft: 'true' } }));
    assert.deepEqual(verdict, { allowed: true, line: 3 });
  });

  test('a body is not needed when the other parts already fail', () => {
    const verdict = evaluate(mustParse(rules), facts('PUT', '/content'));
    assert.equal(!verdict.allowed && verdict.needsBody, false);
  });

  test('with the body read, the JsonData parts decide', () => {
    assert.equal(allowedLine(evaluate(mustParse(rules), facts('POST', '/content', { body: { type: 'page' } }))), 2);
    const verdict = evaluate(mustParse(rules), facts('POST', '/content', { body: { type: 'blog' } }));
    assert.equal(!verdict.allowed && verdict.needsBody, false);
  });

  test('a request without a body does not match JsonData parts', () => {
    const verdict = evaluate(mustParse(rules), facts('POST', '/content', { body: 'none' }));
    assert.equal(!verdict.allowed && verdict.needsBody, false);
    assert.equal(failuresOf(verdict)[1]?.reason, 'the request has no body; JsonData parts need a JSON object');
  });
});
