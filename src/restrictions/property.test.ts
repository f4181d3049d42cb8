import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { evaluate } from './evaluate.js';
import { compileFullMatcher } from './full-matcher.js';
import { MAX_JSON_ARRAY_NESTING } from './limits.js';
import { parseLimitTo } from './parse.js';
import { plainRules, ruleView } from './restrictions.test-helpers.js';
import { ruleSetToString } from './to-string.js';
import type { EvaluatedBody, FullMatcher, RequestFacts, Rule, RuleSet } from './types.js';

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const SEPARATORS = ['\n', '\r\n', '\\n', '\\\\n', '<br>', '<BR/>', '<br />'];
const METHODS = ['GET', 'post', 'Put', 'DELETE', 'PATCH', 'HEAD'];
const URL_TOKENS = [
  '.*',
  '/rest',
  '/api',
  '/space',
  '/content',
  '/',
  'x',
  '[A-Z]+',
  '[0-9]*',
  '(page|blog)',
  '\\.',
  '/?',
  '.',
  '.+',
  'é',
  '[]a]',
  '\\]',
];
const VALUE_TOKENS = [
  'PM',
  '.*',
  'page',
  'history',
  '[A-Z]+',
  '[^]]',
  '\\]',
  '\\[',
  'a|b',
  '(x|y)+',
  '',
  ' ',
  '==',
  '[0-9]{1,3}',
  'é',
];
const QUERY_NAMES = ['spaceKey', 'expand', 'q', 'filter[type]', 'a b'];
const JSON_NODES = ['type', 'title', 'space.key', 'labels', 'labels.name', 'a.b.c'];

const regexFrom = (tokens: readonly string[], minLength: number) =>
  fc.array(fc.constantFrom(...tokens), { minLength, maxLength: 6 }).map((parts) => parts.join(''));

const methodList = fc.option(
  fc
    .tuple(
      fc.uniqueArray(fc.constantFrom(...METHODS), { minLength: 1, maxLength: 3 }),
      fc.constantFrom('|', ',', ' | '),
    )
    .map(([methods, separator]) => `[${methods.join(separator)}]`),
  { nil: '' },
);

const part = fc.oneof(
  fc.tuple(fc.constantFrom('QueryParam', 'queryparam'), fc.constantFrom(...QUERY_NAMES), regexFrom(VALUE_TOKENS, 0)),
  fc.tuple(fc.constantFrom('JsonData', 'JSONDATA'), fc.constantFrom(...JSON_NODES), regexFrom(VALUE_TOKENS, 0)),
);

/** A rule line that is often valid and sometimes not (e.g. a stray quantifier). */
const ruleLine = fc
  .tuple(methodList, regexFrom(URL_TOKENS, 1), fc.array(part, { maxLength: 3 }), fc.constantFrom('', ' ', '  '))
  .map(
    ([methods, url, parts, blank]) =>
      `${blank}${methods}${url}${parts.map(([k, n, r]) => `[${k}::${n}==${r}]`).join('')}${blank}`,
  );

const ruleText = fc
  .array(fc.tuple(fc.oneof(ruleLine, fc.constant('')), fc.constantFrom(...SEPARATORS)), { maxLength: 6 })
  .map((lines) => lines.map(([line, separator]) => line + separator).join(''));

/** Noise biased to the grammar's special characters. */
const noiseText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '[',
        ']',
        '(',
        ')',
        '|',
        ',',
        '.',
        '*',
        '+',
        '?',
        '\\',
        ':',
        '::',
        '==',
        '=',
        '<br>',
        '\\n',
        '\n',
        ' ',
        '{',
        '}',
        '^',
        '$',
      ),
      fc.constantFrom(
        'QueryParam::',
        'JsonData::',
        'GET',
        'post',
        '/rest',
        'a',
        'é',
        '😀',
        '\uD800',
        '\\1',
        '(?=',
        '\\Q',
      ),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

const INPUT_TOKENS = [
  'a',
  'b',
  'x',
  'y',
  'A',
  'Z',
  'PM',
  '0',
  '9',
  '/',
  '.',
  '/rest',
  '/api',
  '/space',
  '/content',
  'page',
  'history',
  '\n',
  'é',
  '😀',
  '\uD800',
  ']',
  '[',
];
const inputString = fc.array(fc.constantFrom(...INPUT_TOKENS), { maxLength: 8 }).map((parts) => parts.join(''));

const jsonLeaf = fc.oneof(
  inputString,
  fc.integer({ min: -5, max: 500 }),
  fc.boolean(),
  fc.constant(null),
  fc.double({ noNaN: true }),
);
const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsonLeaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(
    fc.constantFrom('type', 'title', 'space', 'key', 'labels', 'name', 'a', 'b', 'c', 'constructor'),
    tie('value'),
    {
      maxKeys: 4,
    },
  ),
})).value;

const body: fc.Arbitrary<EvaluatedBody | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ kind: 'none' as const }),
  jsonValue.map((value) => ({ kind: 'json' as const, value })),
  fc
    .dictionary(fc.constantFrom('type', 'title', 'space', 'labels', 'a'), jsonValue, { maxKeys: 4 })
    .map((value) => ({ kind: 'json' as const, value })),
);

const request: fc.Arbitrary<RequestFacts> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
    path: inputString.map((p) => (p.startsWith('/') ? p : `/${p}`)),
    publicUrl: fc.constantFrom('', 'https://wiki.example.com', 'http://x/\n'),
    query: fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), fc.array(inputString, { maxLength: 3 })), {
      maxLength: 4,
    }),
    body,
  })
  .map(({ method, path, publicUrl, query, body }) => ({
    method,
    path,
    absoluteUrl: publicUrl + path,
    query: new Map(query),
    ...(body === undefined ? {} : { body }),
  }));

/** Rules and requests from one small vocabulary, so that many requests are allowed. */
const FRIENDLY_URL = ['.*', '/rest', '/api', '/space', '/?', '(/api|/space)', '[/a-z]*', '.+', '/x'];
const FRIENDLY_VALUES = ['.*', 'a', 'b', '[ab]+', 'a|b', '', 'page', '[0-9]+', 'true'];

const friendlyRuleLine = fc
  .tuple(
    fc.option(fc.constantFrom('[GET]', '[POST]', '[get|post]', '[PUT,DELETE]'), { nil: '' }),
    fc.array(fc.constantFrom(...FRIENDLY_URL), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')),
    fc.array(
      fc.tuple(
        fc.constantFrom('QueryParam::q', 'QueryParam::k', 'JsonData::type', 'JsonData::space.key', 'JsonData::labels'),
        regexFrom(FRIENDLY_VALUES, 1),
      ),
      {
        maxLength: 2,
      },
    ),
  )
  .map(([methods, url, parts]) => `${methods}${url}${parts.map(([k, r]) => `[${k}==${r}]`).join('')}`);

const friendlyRuleSet = fc
  .array(friendlyRuleLine, { minLength: 1, maxLength: 4 })
  .map((lines) => parseLimitTo(lines.join('\n')))
  .filter((result) => result.ok)
  .map((result) => (result.ok ? result.ruleSet : { rules: [], needsBody: false }));

const friendlyScalar = fc.constantFrom<unknown>('a', 'b', 'ab', '', 'page', 7, true, null, 'x');
const friendlyBody: fc.Arbitrary<EvaluatedBody | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ kind: 'none' as const }),
  fc
    .record(
      {
        type: fc.oneof(friendlyScalar, fc.array(friendlyScalar, { maxLength: 2 })),
        space: fc.oneof(
          friendlyScalar,
          fc.record({ key: friendlyScalar }),
          fc.array(fc.record({ key: friendlyScalar }), { maxLength: 2 }),
        ),
        labels: fc.array(fc.oneof(friendlyScalar, fc.array(friendlyScalar, { maxLength: 2 })), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    )
    .map((value) => ({ kind: 'json' as const, value })),
);

const friendlyRequest: fc.Arbitrary<RequestFacts> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
    path: fc
      .array(fc.constantFrom('/rest', '/api', '/space', '/x', '/'), { minLength: 1, maxLength: 3 })
      .map((p) => p.join('')),
    publicUrl: fc.constantFrom('', 'https://wiki.example.com'),
    query: fc.array(
      fc.tuple(
        fc.constantFrom('q', 'k'),
        fc.array(fc.constantFrom('a', 'b', 'ab', '', 'x'), { minLength: 1, maxLength: 2 }),
      ),
      {
        maxLength: 2,
      },
    ),
    body: friendlyBody,
  })
  .map(({ method, path, publicUrl, query, body }) => ({
    method,
    path,
    absoluteUrl: publicUrl + path,
    query: new Map(query),
    ...(body === undefined ? {} : { body }),
  }));

// ---------------------------------------------------------------------------------------------
// A reference evaluator: the semantics spelled out plainly, with RE2 for every regex
// ---------------------------------------------------------------------------------------------

function plainRe2(matcher: FullMatcher): FullMatcher {
  const result = compileFullMatcher(matcher.source, { fastPaths: false });
  assert.ok(result.ok);
  return result.matcher;
}

function referenceJson(value: unknown, path: readonly string[], i: number, re: FullMatcher, nesting: number): boolean {
  if (Array.isArray(value)) {
    return (
      value.length > 0 &&
      nesting < MAX_JSON_ARRAY_NESTING &&
      value.every((v) => referenceJson(v, path, i, re, nesting + 1))
    );
  }
  if (i === path.length) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return re.test(String(value));
    return false;
  }
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, path[i] as string)) return false;
  return referenceJson((value as Record<string, unknown>)[path[i] as string], path, i + 1, re, nesting);
}

/** The allowing line, `false` when denied, `'needsBody'` when denied for want of the body. */
function referenceEvaluate(ruleSet: RuleSet, facts: RequestFacts): number | false | 'needsBody' {
  if (ruleSet.rules.length === 0) return 0;
  let needsBody = false;
  for (const rule of (ruleSet.rules as Rule[]).map(ruleView)) {
    if (rule.methods !== null && !rule.methods.has(facts.method)) continue;
    const url = plainRe2(rule.url);
    if (!url.test(facts.path) && !url.test(facts.absoluteUrl)) continue;
    const queryOk = rule.query.every((part) => {
      const values = facts.query.get(part.name) ?? [];
      const re = plainRe2(part.pattern);
      return values.length > 0 && values.every((v) => re.test(v));
    });
    if (!queryOk) continue;
    if (rule.json.length > 0) {
      if (facts.body === undefined) {
        needsBody = true;
        continue;
      }
      const value = facts.body.kind === 'json' ? facts.body.value : undefined;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      if (!rule.json.every((part) => referenceJson(value, part.path, 0, plainRe2(part.pattern), 0))) continue;
    }
    return rule.line;
  }
  return needsBody ? 'needsBody' : false;
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('properties', () => {
  test('random rule texts never throw: parse gives rules or an error with a sane line and column', () => {
    fc.assert(
      fc.property(fc.oneof(ruleText, noiseText, fc.string({ maxLength: 60 })), (text) => {
        const result = parseLimitTo(text);
        if (result.ok) return;
        const { line, column, message } = result.error;
        assert.ok(Number.isInteger(line) && line >= 1, message);
        assert.ok(Number.isInteger(column) && column >= 1, message);
        assert.ok(message.startsWith(`line ${line}, column ${column}: `), message);
      }),
      { numRuns: 1500 },
    );
  });

  test('parse ∘ toString is stable, with either separator', () => {
    let parsed = 0;
    fc.assert(
      fc.property(ruleText, fc.constantFrom('\n' as const, '<br>' as const), (text, separator) => {
        const first = parseLimitTo(text);
        if (!first.ok) return;
        parsed++;
        const normal = ruleSetToString(first.ruleSet, separator);
        const second = parseLimitTo(normal);
        assert.ok(second.ok, `${JSON.stringify(normal)}: ${second.ok ? '' : second.error.message}`);
        assert.deepEqual(plainRules(second.ruleSet, false), plainRules(first.ruleSet, false));
        assert.equal(second.ruleSet.needsBody, first.ruleSet.needsBody);
        assert.equal(ruleSetToString(second.ruleSet, separator), normal);
      }),
      { numRuns: 1000 },
    );
    assert.ok(parsed > 100, `only ${parsed} generated texts parsed`);
  });

  /** Evaluates and compares with the reference; returns the outcome. */
  function checkAgainstReference(ruleSet: RuleSet, facts: RequestFacts): 'allowed' | 'needsBody' | 'denied' {
    const verdict = evaluate(ruleSet, facts);
    const expected = referenceEvaluate(ruleSet, facts);
    if (verdict.allowed) {
      assert.equal(verdict.line, expected);
      return 'allowed';
    }
    assert.equal(verdict.needsBody ? 'needsBody' : false, expected);
    assert.deepEqual(
      verdict.failures.map((f) => f.line),
      ruleSet.rules.map((r) => r.line),
    );
    for (const failure of verdict.failures) {
      assert.ok(failure.reason.length > 0);
      assert.doesNotMatch(failure.reason, /^a (query parameter|JSON node) does not match$/, 'a reason was found');
    }
    return verdict.needsBody ? 'needsBody' : 'denied';
  }

  test('random requests against random valid rule sets never throw and agree with a plain RE2 reference', () => {
    const validRuleSet = ruleText
      .map((text) => parseLimitTo(text))
      .filter((result) => result.ok)
      .map((result) => (result.ok ? result.ruleSet : { rules: [], needsBody: false }));
    fc.assert(
      fc.property(validRuleSet, fc.array(request, { minLength: 1, maxLength: 5 }), (ruleSet, requests) => {
        for (const facts of requests) checkAgainstReference(ruleSet, facts);
      }),
      { numRuns: 400 },
    );
  });

  test("requests from the rules' own vocabulary: every outcome occurs, and all agree with the reference", () => {
    const seen = { allowed: 0, needsBody: 0, denied: 0 };
    fc.assert(
      fc.property(friendlyRuleSet, fc.array(friendlyRequest, { minLength: 1, maxLength: 8 }), (ruleSet, requests) => {
        for (const facts of requests) seen[checkAgainstReference(ruleSet, facts)]++;
      }),
      { numRuns: 500 },
    );
    assert.ok(seen.allowed > 100 && seen.needsBody > 20 && seen.denied > 100, JSON.stringify(seen));
  });

  test('the fast paths of FullMatcher agree with plain RE2', () => {
    const PATTERN_TOKENS = [
      'a',
      'b',
      '/',
      '.',
      '.*',
      '.*?',
      '.+',
      '?',
      '*',
      '+',
      '(',
      ')',
      '|',
      '[ab]',
      '[^a]',
      '[]a]',
      '\\.',
      '\\/',
      '\\d',
      '^',
      '$',
      '{2}',
      '{1,}',
      '{,2}',
      '}',
      '(?i)',
      '(?:',
      '(?s)',
      '\\b',
      'é',
      '😀',
      'x',
      '-',
      ':',
      '=',
      '[[:alpha:]]',
      '\\pL',
      '\\x41',
      '\\u0041',
      '\\cA',
      '\\012',
      ']',
      ' ',
      '\\t',
    ];
    const pattern = fc.array(fc.constantFrom(...PATTERN_TOKENS), { maxLength: 8 }).map((parts) => parts.join(''));
    const text = fc
      .array(
        fc.constantFrom(
          'a',
          'b',
          'A',
          '/',
          '.',
          '\n',
          '\r',
          'x',
          'é',
          '😀',
          '\uD800',
          '-',
          ':',
          '=',
          '[',
          ']',
          ' ',
          '\t',
          '\u0001',
          '2',
        ),
        {
          maxLength: 10,
        },
      )
      .map((parts) => parts.join(''));
    let compared = 0;
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 10 }), (source, inputs) => {
        const fast = compileFullMatcher(source);
        const plain = compileFullMatcher(source, { fastPaths: false });
        assert.equal(fast.ok, plain.ok);
        if (!fast.ok || !plain.ok) return;
        compared++;
        for (const input of inputs) {
          assert.equal(
            fast.matcher.test(input),
            plain.matcher.test(input),
            `${JSON.stringify(source)} on ${JSON.stringify(input)}`,
          );
        }
      }),
      { numRuns: 3000 },
    );
    assert.ok(compared > 500, `only ${compared} patterns compiled`);
  });

  test('globs (literals, .*, an optional last character) agree with plain RE2 on short inputs', () => {
    const pattern = fc
      .array(fc.constantFrom('a', 'b', '/', '.*', '.*?', '?', '\\.', '.'), { maxLength: 6 })
      .map((p) => p.join(''));
    const text = fc.array(fc.constantFrom('a', 'b', '/', '.', '\n'), { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 20 }), (source, inputs) => {
        const fast = compileFullMatcher(source);
        const plain = compileFullMatcher(source, { fastPaths: false });
        assert.equal(fast.ok, plain.ok);
        if (!fast.ok || !plain.ok) return;
        for (const input of inputs) {
          assert.equal(
            fast.matcher.test(input),
            plain.matcher.test(input),
            `${JSON.stringify(source)} on ${JSON.stringify(input)}`,
          );
        }
      }),
      { numRuns: 3000 },
    );
  });
});
