import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate } from './evaluate.js';
import { explainRule } from './explain-rule.js';
import { BRACKET_KINDS, bracketSyntaxList, inCheckOrder, PART_KINDS, partOrder } from './part-registry.js';
import { JSON_DATA } from './parts/json-data-part.js';
import { METHOD_LIST } from './parts/method-list-part.js';
import { QUERY_PARAM } from './parts/query-param-part.js';
import { URL_REGEX } from './parts/url-regex-part.js';
import { facts, mustParse } from './restrictions.test-helpers.js';
import { ruleSetToString } from './to-string.js';

describe('part registry', () => {
  test('every kind has its own name; every bracket kind its own keyword, written Word::', () => {
    const names = PART_KINDS.map((kind) => kind.name);
    assert.deepEqual(names, ['method', 'url', 'query', 'json']);
    assert.equal(new Set(names).size, names.length);
    const keywords = BRACKET_KINDS.map((kind) => kind.keyword.toLowerCase());
    assert.equal(new Set(keywords).size, keywords.length);
    for (const kind of BRACKET_KINDS) {
      assert.match(kind.keyword, /^[A-Za-z][A-Za-z0-9]+::$/);
      assert.ok(kind.syntax.startsWith(`[${kind.keyword}`), kind.syntax);
    }
    assert.deepEqual(BRACKET_KINDS, [QUERY_PARAM, JSON_DATA]);
    assert.equal(bracketSyntaxList(), '[QueryParam::NAME==REGEX] and [JsonData::NODE==REGEX]');
  });

  test('kinds that need the body are checked after every kind that does not', () => {
    const withoutBody = PART_KINDS.filter((kind) => !kind.needsBody).map(partOrder);
    const withBody = PART_KINDS.filter((kind) => kind.needsBody).map(partOrder);
    assert.deepEqual(
      PART_KINDS.filter((kind) => kind.needsBody),
      [JSON_DATA],
    );
    assert.ok(Math.max(...withoutBody) < Math.min(...withBody));
  });

  test('parts are put in check order, each kind in written order', () => {
    const [rule] = mustParse('[GET].*/a[JsonData::j==1][QueryParam::q==1][JsonData::k==2][QueryParam::r==2]').rules;
    assert.ok(rule);
    assert.deepEqual(
      rule.parts.map((part) => part.kind),
      [METHOD_LIST, URL_REGEX, QUERY_PARAM, QUERY_PARAM, JSON_DATA, JSON_DATA],
    );
    assert.deepEqual(
      inCheckOrder([...rule.parts].reverse()).map((part) => part.kind.name),
      ['method', 'url', 'query', 'query', 'json', 'json'],
    );
  });

  test('each kind prints what parses back to itself', () => {
    const text = '[GET|POST].*/a[QueryParam::q==x.*][JsonData::space.key==PM]';
    const [rule] = mustParse(text).rules;
    assert.ok(rule);
    assert.deepEqual(
      rule.parts.map((part) => part.kind.print(part)),
      ['[GET|POST]', '.*/a', '[QueryParam::q==x.*]', '[JsonData::space.key==PM]'],
    );
    assert.equal(ruleSetToString(mustParse(ruleSetToString(mustParse(text), '\n')), '\n'), text);
  });

  test('the failing part names its kind and explains itself', () => {
    const ruleSet = mustParse('[GET].*/a[QueryParam::q==1][JsonData::t==page]');
    const [rule] = ruleSet.rules;
    assert.ok(rule);
    assert.equal(explainRule(rule, facts('POST', '/a'))?.part, METHOD_LIST.name);
    assert.equal(explainRule(rule, facts('GET', '/b'))?.part, URL_REGEX.name);
    assert.equal(explainRule(rule, facts('GET', '/a'))?.part, QUERY_PARAM.name);
    assert.deepEqual(explainRule(rule, facts('GET', '/a', { query: { q: '1' } })), {
      line: 1,
      part: 'json',
      reason: 'the body has not been read yet (JsonData parts need it)',
    });
    assert.equal(explainRule(rule, facts('GET', '/a', { query: { q: '1' }, body: { t: 'page' } })), null);
    const verdict = evaluate(ruleSet, facts('GET', '/a', { query: { q: '1' } }));
    assert.deepEqual(verdict.allowed === false && verdict.needsBody, true);
  });
});
