import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeVerdict } from './describe.js';
import { evaluate } from './evaluate.js';
import { facts, mustParse } from './restrictions.test-helpers.js';

describe('describeVerdict', () => {
  test('allowed by a line', () => {
    assert.equal(describeVerdict({ allowed: true, line: 2 }), 'allowed by line 2');
  });

  test('allowed without restrictions', () => {
    assert.equal(describeVerdict({ allowed: true, line: 0 }), 'allowed (the token has no restrictions)');
  });

  test('denied: every line with its reason', () => {
    const verdict = evaluate(mustParse('[POST].*/rest/api/space.*\n.*/rest/api/space.*'), facts('GET', '/rest/x'));
    assert.equal(
      describeVerdict(verdict),
      'no rule allows this request: line 1: method GET is not one of POST; line 2: URL /rest/x does not match .*/rest/api/space.*',
    );
  });

  test('denied while the body is unread', () => {
    const verdict = evaluate(mustParse('[POST].*[JsonData::type==page]'), facts('POST', '/x'));
    assert.equal(
      describeVerdict(verdict),
      'no rule allows this request without reading its body: line 1: the body has not been read yet (JsonData parts need it)',
    );
  });

  test('at most 10 lines are spelled out', () => {
    const rules = Array.from({ length: 25 }, (_, i) => `.*/r${i}`).join('\n');
    const text = describeVerdict(evaluate(mustParse(rules), facts('GET', '/x')));
    assert.equal(text.split('; ').length, 11);
    assert.ok(text.endsWith('; … and 15 more lines'), text);
  });
});
