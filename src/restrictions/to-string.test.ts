import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mustParse, plainRules } from './restrictions.test-helpers.js';
import { ruleSetToString, ruleToString } from './to-string.js';

describe('ruleSetToString', () => {
  test('normalises methods, part order and separators', () => {
    const text = '  [get, post]  .*/c  [JsonData::t==page] [queryparam::a==1]<br/>\n\n[delete|Get].*/d';
    const ruleSet = mustParse(text);
    assert.equal(
      ruleSetToString(ruleSet, '\n'),
      '[GET|POST].*/c[QueryParam::a==1][JsonData::t==page]\n[DELETE|GET].*/d',
    );
    assert.equal(
      ruleSetToString(ruleSet, '<br>'),
      '[GET|POST].*/c[QueryParam::a==1][JsonData::t==page]<br>[DELETE|GET].*/d',
    );
  });

  test('keeps regexes exactly as written', () => {
    const text = '[GET][A-Z]+/x[QueryParam::k==[]a]\\]][JsonData::a.b==\\[x\\]]';
    assert.equal(ruleSetToString(mustParse(text), '\n'), text);
  });

  test('an empty rule set is the empty text', () => {
    assert.equal(ruleSetToString(mustParse(''), '\n'), '');
  });

  test('parsing the text gives the same rules (blank lines dropped, so line numbers follow the new text)', () => {
    const first = mustParse('\n[post].*/a[JsonData::x==1][QueryParam::y==2]\\n.*/b');
    const again = mustParse(ruleSetToString(first, '<br>'));
    assert.deepEqual(plainRules(again, false), plainRules(first, false));
    assert.deepEqual(
      again.rules.map((r) => r.line),
      [1, 2],
    );
  });

  test('ruleToString gives one rule', () => {
    const [rule] = mustParse('[put].*/x').rules;
    assert.ok(rule);
    assert.equal(ruleToString(rule), '[PUT].*/x');
  });
});
