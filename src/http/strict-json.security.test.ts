/**
 * JSON meaning (issue 14): what a rule matches is what the upstream reads — numbers as written,
 * keys a case-insensitive mapper would merge refused, and the work per body bounded.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jsonNodeMatches } from '../restrictions/json-node.js';
import type { JsonDataPart } from '../restrictions/parts/json-data-part.js';
import { mustParse } from '../restrictions/restrictions.test-helpers.js';
import { MAX_JSON_CONTAINERS, MAX_JSON_NODES, parseStrictJson } from './strict-json.js';

function matches(rule: string, body: string): boolean {
  const parsed = parseStrictJson(body);
  assert.ok(parsed.ok);
  const part = mustParse(rule).rules[0]?.parts.find((p) => p.kind.name === 'json') as JsonDataPart | undefined;
  assert.ok(part);
  return jsonNodeMatches(parsed.value as Record<string, unknown>, part.path, part.pattern, parsed.numberText);
}

describe('strict JSON: numbers are matched on their source text', () => {
  test('a number beyond 2^53 is not its rounded neighbour', () => {
    assert.equal(matches('.*[JsonData::id==9007199254740992]', '{"id":9007199254740993}'), false);
    assert.equal(matches('.*[JsonData::id==9007199254740993]', '{"id":9007199254740993}'), true);
  });

  test('exponent, trailing zeros and -0 keep their text', () => {
    assert.equal(matches('.*[JsonData::n==[0-9]{1,3}]', '{"n":1e2}'), false);
    assert.equal(matches('.*[JsonData::n==[0-9]{1,3}]', '{"n":100}'), true);
    assert.equal(matches('.*[JsonData::n==1]', '{"n":1.0}'), false);
    assert.equal(matches('.*[JsonData::n==0]', '{"n":-0}'), false);
  });

  test('through arrays and nested objects too', () => {
    assert.equal(matches('.*[JsonData::a.b==[0-9]+]', '{"a":[{"b":1},{"b":1E5}]}'), false);
    assert.equal(matches('.*[JsonData::a==[0-9]+]', '{"a":[1,2,3]}'), true);
    assert.equal(matches('.*[JsonData::a==[0-9]+]', '{"a":[1,2e0]}'), false);
  });

  test('the values stay plain numbers for everyone else', () => {
    const parsed = parseStrictJson('{"n":1e2}');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, { n: 100 });
  });
});

describe('strict JSON: keys that differ only in letter case are refused', () => {
  for (const body of [
    '{"type":"page","TYPE":"blogpost"}',
    '{"a":{"Key":1,"kEY":2}}',
    '{"s":1,"\u017f":2}',
    '{"k":1,"\u212a":2}',
  ]) {
    test(body, () => {
      const parsed = parseStrictJson(body);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.message, /only in letter case/);
    });
  }

  test('different keys pass', () => {
    assert.ok(parseStrictJson('{"type":"page","title":"x","types":1}').ok);
  });
});

describe('strict JSON: the work per body is bounded', () => {
  test(`more than ${MAX_JSON_NODES} values are refused`, () => {
    const parsed = parseStrictJson(`[${'1,'.repeat(MAX_JSON_NODES)}1]`);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.message, /more than 100000 values/);
  });

  test(`more than ${MAX_JSON_CONTAINERS} arrays and objects are refused`, () => {
    const parsed = parseStrictJson(`[${'[],'.repeat(MAX_JSON_CONTAINERS)}[]]`);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.message, /more than 20000 arrays and objects/);
  });

  test('1 MiB of nesting 511 deep is refused quickly', () => {
    const block = '['.repeat(511) + ']'.repeat(511);
    const text = `[${Array(Math.floor((1 << 20) / (block.length + 1)))
      .fill(block)
      .join(',')}]`;
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      const parsed = parseStrictJson(text);
      best = Math.min(best, performance.now() - start);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.message, /arrays and objects/);
    }
    // bounded: the parser stops at the container limit, long before the end of the text (242 ms before, best of 5 here)
    assert.ok(best < 100, `took ${best.toFixed(0)} ms`);
  });
});
