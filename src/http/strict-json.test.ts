import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, parseStrictJson } from './strict-json.js';

function value(text: string): unknown {
  const result = parseStrictJson(text);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(text)} to parse, got: ${result.message}`);
  return result.value;
}

function message(text: string): string {
  const result = parseStrictJson(text);
  assert.equal(result.ok, false, `expected ${JSON.stringify(text)} to be refused`);
  return result.ok ? '' : result.message;
}

function jsonParseThrows(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

describe('parseStrictJson accepts JSON', () => {
  test('values of every kind', () => {
    assert.deepEqual(value('{"type":"page","title":"TEST 1","space":{"key":"PM"},"n":[1,-0.5e3,true,false,null]}'), {
      type: 'page',
      title: 'TEST 1',
      space: { key: 'PM' },
      n: [1, -500, true, false, null],
    });
    assert.equal(value(' \t\r\n"x" \n'), 'x');
    assert.equal(value('-0'), -0);
    assert.equal(value('1E+2'), 100);
    assert.equal(value('"\\u00e9\\n\\/\\"\\\\"'), 'é\n/"\\');
    assert.equal(value('"\\ud800"'), '\ud800', 'lone surrogates are accepted like JSON.parse');
  });

  test('the same key in different objects is not a duplicate', () => {
    assert.deepEqual(value('{"a":{"a":1},"b":[{"a":1},{"a":2}]}'), { a: { a: 1 }, b: [{ a: 1 }, { a: 2 }] });
  });

  test('nesting up to the limit', () => {
    const deep = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    assert.ok(Array.isArray(value(deep)));
  });
});

describe('parseStrictJson refuses', () => {
  test('duplicate keys at the top level', () => {
    assert.equal(message('{"type":"page","type":"blogpost"}'), 'duplicate key "type" in the object at the top level');
  });

  test('duplicate keys at any depth, naming the path', () => {
    assert.equal(message('{"space":{"key":"A","key":"B"}}'), 'duplicate key "key" in the object at space');
    assert.equal(
      message('{"body":{"storage":[{},{"v":1,"v":2}]}}'),
      'duplicate key "v" in the object at body.storage[1]',
    );
    assert.equal(message('[[{"a b":{"x":1,"x":1}}]]'), 'duplicate key "x" in the object at [0][0]["a b"]');
  });

  test('duplicates spelled differently with escapes', () => {
    assert.match(message('{"type":"page","t\\u0079pe":"blogpost"}'), /duplicate key "type"/);
    assert.match(message('{"__proto__":1,"__proto__":2}'), /duplicate key "__proto__"/);
  });

  test('a byte-order mark', () => {
    assert.match(message('\ufeff{"a":1}'), /byte-order mark/);
  });

  test('trailing data', () => {
    assert.match(message('{"a":1} {"a":2}'), /after the JSON value/);
    assert.match(message('{"a":1}x'), /after the JSON value/);
    assert.match(message('1 2'), /after the JSON value/);
  });

  test('invalid syntax', () => {
    for (const text of [
      '',
      ' ',
      '{',
      '{"a"}',
      '{"a":}',
      '{"a":1,}',
      '[1,]',
      '[,1]',
      "{'a':1}",
      '{a:1}',
      'undefined',
      'NaN',
      'Infinity',
      '01',
      '1.',
      '.5',
      '+1',
      '-',
      '1e',
      '0x10',
      '"\\x41"',
      '"\\u12"',
      '"a',
      '"\u0001"',
      'tru',
      'nulll',
      '[1 2]',
      '{"a":1 "b":2}',
      '/* c */1',
      '\u00a01',
    ]) {
      const result = parseStrictJson(text);
      assert.equal(result.ok, false, `expected ${JSON.stringify(text)} to be refused`);
      assert.ok(jsonParseThrows(text), `JSON.parse accepts ${JSON.stringify(text)}`);
    }
  });

  test('nesting deeper than the limit, without a stack overflow', () => {
    const depth = MAX_JSON_DEPTH + 1;
    assert.match(message('['.repeat(depth) + ']'.repeat(depth)), /deeper than 512/);
    assert.match(message('{"a":'.repeat(100_000)), /deeper than 512/);
    assert.match(message('['.repeat(1_000_000)), /deeper than 512/);
  });
});

describe('parseStrictJson and __proto__', () => {
  test('"__proto__" is an own key and never a prototype', () => {
    const parsed = value('{"__proto__":{"polluted":true},"a":{"__proto__":{"isAdmin":true}}}') as Record<
      string,
      unknown
    >;
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.ok(Object.hasOwn(parsed, '__proto__'));
    assert.deepEqual(Object.keys(parsed), ['__proto__', 'a']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    const inner = parsed['a'] as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(inner), Object.prototype);
    assert.equal(inner['isAdmin'], undefined);
    assert.deepEqual(parsed, JSON.parse('{"__proto__":{"polluted":true},"a":{"__proto__":{"isAdmin":true}}}'));
  });

  test('"constructor" and "prototype" are ordinary keys', () => {
    const parsed = value('{"constructor":{"prototype":{"x":1}}}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['constructor']);
    assert.equal(({} as Record<string, unknown>)['x'], undefined);
  });
});

/** True when some object in `v` has two keys a case-insensitive reader sees as one (refused since issue 14). */
function hasCaseTwinKeys(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasCaseTwinKeys);
  if (typeof v !== 'object' || v === null) return false;
  const keys = Object.keys(v);
  const folded = new Set(keys.map((key) => key.toUpperCase().toLowerCase()));
  return folded.size !== keys.length || Object.values(v).some(hasCaseTwinKeys);
}

describe('parseStrictJson agrees with JSON.parse', () => {
  test('on serialised random values (compact and indented)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (v, indent) => {
        fc.pre(!hasCaseTwinKeys(v));
        const text = JSON.stringify(v, null, indent);
        const result = parseStrictJson(text);
        assert.ok(result.ok, text);
        assert.deepEqual(result.value, JSON.parse(text));
      }),
      { numRuns: 3_000 },
    );
  });

  test('on random strings: JSON.parse refusing means parseStrictJson refusing, and vice versa only for its extra rules', () => {
    const alphabet = fc.constantFrom(...'{}[],:"\\ 0123456789.eE+-truefalsnul\t\n\r/bu\u0000\u00e9\ufeffxa'.split(''));
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: alphabet, maxLength: 40 }),
      fc
        .json()
        .chain((json) =>
          fc
            .tuple(fc.nat(json.length), fc.nat(json.length), alphabet)
            .map(([at, cut, c]) => json.slice(0, at) + c + json.slice(at + (cut % 2))),
        ),
    );
    fc.assert(
      fc.property(text, (t) => {
        const result = parseStrictJson(t);
        if (jsonParseThrows(t)) {
          assert.equal(result.ok, false, `JSON.parse refuses but parseStrictJson accepts ${JSON.stringify(t)}`);
        } else if (result.ok) {
          assert.deepEqual(result.value, JSON.parse(t));
        } else {
          assert.match(result.message, /duplicate key|byte-order mark|only in letter case/, JSON.stringify(t));
        }
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('parseStrictJson on long strings (the fast path)', () => {
  const long = 'x'.repeat(100);

  test('long strings, keys and values, as JSON.parse reads them', () => {
    for (const text of [
      `"${long}"`,
      `{"${long}":"${long}","b":["${long}",1]}`,
      `{"body":{"value":"<p>${long}</p>"},"type":"page"}`,
      `"${long}\\"${long}"`,
      `"${long}\\u00e9${long}"`,
      `["${long}\\\\","${long}"]`,
      `{"a":"${long}",\n\t"b":"${long}"}`,
    ]) {
      assert.deepEqual(value(text), JSON.parse(text), text.slice(0, 40));
    }
  });

  test('refuses what JSON.parse refuses in long strings', () => {
    for (const text of [
      `"${long}`,
      `"${long}\u0001${long}"`,
      `"${long}\n"`,
      `"${long}\t${long}"`,
      `"${long}\\"`,
      `"${long}\\x"`,
      `["${long}","${long}]`,
      `{"${long}":1,"${long}":2}`,
    ]) {
      assert.equal(parseStrictJson(text).ok, false, `expected refusal: ${JSON.stringify(text.slice(0, 120))}`);
      assert.ok(jsonParseThrows(text) || /duplicate key/.test(message(text)), text.slice(0, 40));
    }
  });

  test('agrees with JSON.parse on random documents with long strings', () => {
    const longString = fc.string({ minLength: 64, maxLength: 200, unit: 'grapheme' });
    const doc = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        longString,
        fc.string(),
        fc.integer(),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(fc.string(), longString), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(doc, fc.constantFrom(undefined, 2), (v, indent) => {
        fc.pre(!hasCaseTwinKeys(v));
        const text = JSON.stringify(v, null, indent);
        const result = parseStrictJson(text);
        assert.ok(result.ok, text);
        assert.deepEqual(result.value, JSON.parse(text));
      }),
      { numRuns: 2_000 },
    );
  });

  test('random edits of documents with long strings: refused whenever JSON.parse refuses', () => {
    const longString = fc.string({ minLength: 64, maxLength: 120 });
    const edit = fc.constantFrom(...'"\\\u0000\u0001\n\t{}[],:x'.split(''));
    fc.assert(
      fc.property(fc.array(longString, { minLength: 1, maxLength: 3 }), fc.nat(), edit, (strings, at, c) => {
        const json = JSON.stringify({ a: strings, b: strings[0] });
        const where = at % json.length;
        const text = json.slice(0, where) + c + json.slice(where);
        const result = parseStrictJson(text);
        if (jsonParseThrows(text)) assert.equal(result.ok, false, JSON.stringify(text));
        else if (result.ok) assert.deepEqual(result.value, JSON.parse(text));
        else assert.match(result.message, /duplicate key/, JSON.stringify(text));
      }),
      { numRuns: 5_000 },
    );
  });
});
