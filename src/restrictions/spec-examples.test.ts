import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate } from './evaluate.js';
import { allowedLine, facts, mustParse } from './restrictions.test-helpers.js';
import type { RequestFacts } from './types.js';

/** Each example of SPEC §4 alone: requests it allows and requests it denies. */
interface Example {
  readonly name: string;
  readonly rule: string;
  readonly allowed: readonly RequestFacts[];
  readonly denied: readonly (readonly [RequestFacts, RegExp])[];
}

const EXAMPLES: readonly Example[] = [
  {
    name: 'all space endpoints',
    rule: '.*/rest/api/space.*',
    allowed: [
      facts('GET', '/rest/api/space'),
      facts('GET', '/rest/api/space/EXT', { query: { expand: 'homepage' } }),
      facts('DELETE', '/rest/api/space/EXT'),
      facts('GET', '/confluence/rest/api/space/EXT/content'),
    ],
    denied: [
      [facts('GET', '/rest/api/content'), /URL \/rest\/api\/content does not match \.\*\/rest\/api\/space\.\*/],
      [facts('GET', '/rest/api/user/current'), /does not match/],
    ],
  },
  {
    name: 'set a property on space EXTENDER, POST only',
    rule: '[POST].*/rest/api/space/EXTENDER/property.*',
    allowed: [
      facts('POST', '/rest/api/space/EXTENDER/property'),
      facts('post', '/rest/api/space/EXTENDER/property/my-key'),
    ],
    denied: [
      [facts('GET', '/rest/api/space/EXTENDER/property'), /^method GET is not one of POST$/],
      [facts('PUT', '/rest/api/space/EXTENDER/property/k'), /^method PUT is not one of POST$/],
      [facts('POST', '/rest/api/space/OTHER/property'), /^URL \/rest\/api\/space\/OTHER\/property does not match/],
      [facts('POST', '/rest/api/space/extender/property'), /does not match/],
    ],
  },
  {
    name: 'find pages only in spaces whose key starts with PM',
    rule: '[GET].*/rest/api/content.*[QueryParam::spaceKey==PM.*]',
    allowed: [
      facts('GET', '/rest/api/content', { query: { spaceKey: 'PM' } }),
      facts('GET', '/rest/api/content', { query: { spaceKey: 'PMO', title: 'x' } }),
      facts('GET', '/rest/api/content/search', { query: { spaceKey: ['PM1', 'PM2'] } }),
    ],
    denied: [
      [facts('GET', '/rest/api/content'), /^query parameter "spaceKey" is missing$/],
      [
        facts('GET', '/rest/api/content', { query: { spaceKey: 'XPM' } }),
        /^query parameter "spaceKey" value "XPM" does not match PM\.\*$/,
      ],
      [facts('GET', '/rest/api/content', { query: { spaceKey: ['PM', 'HR'] } }), /value "HR" does not match PM\.\*/],
      [facts('GET', '/rest/api/content', { query: { spacekey: 'PM' } }), /"spaceKey" is missing/],
      [facts('POST', '/rest/api/content', { query: { spaceKey: 'PM' } }), /^method POST is not one of GET$/],
    ],
  },
  {
    name: 'find a page by title in spaces ending with PM, expanding only history',
    rule: '[GET].*/rest/api/content.*[QueryParam::spaceKey==.*PM][QueryParam::expand==history]',
    allowed: [
      facts('GET', '/rest/api/content', { query: { spaceKey: 'TEAMPM', title: 'Home', expand: 'history' } }),
      facts('GET', '/rest/api/content', { query: { spaceKey: 'PM', expand: ['history', 'history'] } }),
    ],
    denied: [
      [
        facts('GET', '/rest/api/content', { query: { spaceKey: 'PMX', expand: 'history' } }),
        /"spaceKey" value "PMX" does not match \.\*PM/,
      ],
      [facts('GET', '/rest/api/content', { query: { spaceKey: 'XPM' } }), /^query parameter "expand" is missing$/],
      [
        facts('GET', '/rest/api/content', { query: { spaceKey: 'XPM', expand: 'history,body.storage' } }),
        /"expand" value "history,body.storage" does not match history/,
      ],
      [
        facts('GET', '/rest/api/content', { query: { spaceKey: 'XPM', expand: ['history', 'body.storage'] } }),
        /"body.storage"/,
      ],
    ],
  },
  {
    name: 'create only pages',
    rule: '[POST].*/rest/api/content/?[JsonData::type==page]',
    allowed: [
      facts('POST', '/rest/api/content', { body: { type: 'page', title: 'x', space: { key: 'PM' } } }),
      facts('POST', '/rest/api/content/', { body: { type: 'page' } }),
    ],
    denied: [
      [
        facts('POST', '/rest/api/content', { body: { type: 'blogpost' } }),
        /^JSON node "type" value "blogpost" does not match page$/,
      ],
      [facts('POST', '/rest/api/content', { body: { title: 'x' } }), /^JSON node "type" is missing$/],
      [facts('POST', '/rest/api/content', { body: [{ type: 'page' }] }), /^body is not a JSON object$/],
      [facts('POST', '/rest/api/content', { body: 'none' }), /^the request has no body/],
      [
        facts('POST', '/rest/api/content/123', { body: { type: 'page' } }),
        /^URL \/rest\/api\/content\/123 does not match/,
      ],
      [facts('PUT', '/rest/api/content', { body: { type: 'page' } }), /^method PUT is not one of POST$/],
    ],
  },
  {
    name: 'create only pages whose title begins with TEST',
    rule: '[POST].*/rest/api/content/?[JsonData::type==page][JsonData::title==TEST.*]',
    allowed: [facts('POST', '/rest/api/content', { body: { type: 'page', title: 'TEST release notes' } })],
    denied: [
      [
        facts('POST', '/rest/api/content', { body: { type: 'page', title: 'Release TEST' } }),
        /"title" value "Release TEST" does not match TEST\.\*/,
      ],
      [facts('POST', '/rest/api/content', { body: { type: 'blogpost', title: 'TEST' } }), /"type" value "blogpost"/],
      [facts('POST', '/rest/api/content', { body: { type: 'page' } }), /^JSON node "title" is missing$/],
      [
        facts('POST', '/rest/api/content', { body: { type: 'page', title: 'TEST\nsecond line' } }),
        /does not match TEST\.\*/,
      ],
    ],
  },
];

describe('SPEC §4 examples', () => {
  for (const example of EXAMPLES) {
    describe(example.name, () => {
      const ruleSet = mustParse(example.rule);

      for (const request of example.allowed) {
        test(`allows ${request.method} ${request.path}`, () => {
          assert.equal(allowedLine(evaluate(ruleSet, request)), 1);
        });
      }

      for (const [request, reason] of example.denied) {
        test(`denies ${request.method} ${request.path} ${reason}`, () => {
          const verdict = evaluate(ruleSet, request);
          assert.equal(verdict.allowed, false);
          if (verdict.allowed) return;
          assert.equal(verdict.needsBody, false);
          assert.equal(verdict.failures.length, 1);
          assert.match(verdict.failures[0]?.reason ?? '', reason);
        });
      }
    });
  }

  test('all six together: any line allows', () => {
    const ruleSet = mustParse(EXAMPLES.map((e) => e.rule).join('\\n'));
    assert.equal(allowedLine(evaluate(ruleSet, facts('GET', '/rest/api/space/X'))), 1);
    assert.equal(allowedLine(evaluate(ruleSet, facts('GET', '/rest/api/content', { query: { spaceKey: 'PMX' } }))), 3);
    const page = facts('POST', '/rest/api/content', { body: { type: 'page', title: 'TEST 1' } });
    assert.equal(allowedLine(evaluate(ruleSet, page)), 5);
    const verdict = evaluate(ruleSet, facts('DELETE', '/rest/api/content/1'));
    assert.equal(verdict.allowed, false);
    assert.deepEqual(verdict.allowed ? [] : verdict.failures.map((f) => [f.line, f.part]), [
      [1, 'url'],
      [2, 'method'],
      [3, 'method'],
      [4, 'method'],
      [5, 'method'],
      [6, 'method'],
    ]);
  });

  test('the JsonData examples ask for the body when it has not been read', () => {
    const ruleSet = mustParse(EXAMPLES.map((e) => e.rule).join('<br>'));
    const verdict = evaluate(ruleSet, facts('POST', '/rest/api/content'));
    assert.equal(verdict.allowed, false);
    assert.equal(!verdict.allowed && verdict.needsBody, true);
  });
});
