import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_EXAMPLE_PATH, exampleRequest, queryString } from './example-request.js';

const BASE = 'https://gate.example.com';

describe('exampleRequest', () => {
  test('an unrestricted token calls the default path with GET', () => {
    const call = exampleRequest('', BASE);
    assert.deepEqual(
      { method: call.method, path: call.path, allowed: call.allowed, problem: call.problem },
      { method: 'GET', path: DEFAULT_EXAMPLE_PATH, allowed: true, problem: null },
    );
  });

  test('a POST-only rule with JsonData parts: its method, its path and a body that satisfies them', () => {
    const call = exampleRequest(
      '[POST].*\\/rest/api/content [JsonData::type==page] [JsonData::space.key==PM|DEV]',
      BASE,
    );
    assert.equal(call.method, 'POST');
    assert.equal(call.path, '/rest/api/content');
    assert.deepEqual(call.body, { type: 'page', space: { key: 'PM' } });
    assert.equal(call.line, 1);
    assert.equal(call.allowed, true);
  });

  test('a GET rule with QueryParam parts: values that match', () => {
    const call = exampleRequest(
      '[GET]/rest/api/content [QueryParam::spaceKey==[A-Z]+] [QueryParam::limit==\\d{1,3}]',
      BASE,
    );
    assert.deepEqual(call.query, [
      ['spaceKey', 'A'],
      ['limit', '1'],
    ]);
    assert.equal(queryString(call.query), '?spaceKey=A&limit=1');
    assert.equal(call.body, undefined);
  });

  test('a rule with a body prefers a listed method that can carry one', () => {
    assert.equal(exampleRequest('[GET|PUT]/rest/api/content/\\d+ [JsonData::title==.+]', BASE).method, 'PUT');
  });

  test('a regex on the absolute URL gives the path after the public URL', () => {
    const call = exampleRequest('[GET]https://gate\\.example\\.com/rest/api/.*', BASE);
    assert.equal(call.path, '/rest/api/');
    assert.equal(call.allowed, true);
  });

  test('when the first rule gives no example, the next one that does is used', () => {
    const call = exampleRequest('[GET](?i)/rest/.*\n[PUT]/rest/api/x/.*/y', BASE);
    assert.deepEqual([call.method, call.path, call.line], ['PUT', '/rest/api/x/a/y', 2]);
  });

  test('when no rule gives an allowed call, it says so instead of pretending', () => {
    const call = exampleRequest('[GET](?i)/rest/.*', BASE);
    assert.equal(call.allowed, false);
    assert.match(call.problem ?? '', /no example path under \/rest\/ could be derived from the URL regex \(\?i\)/);
    const elsewhere = exampleRequest('[GET]https://other\\.example\\.com/rest/.*', BASE);
    assert.equal(elsewhere.allowed, false);
  });

  test('a path asked for is checked against the rules', () => {
    const rules = '[POST].*\\/rest/api/content';
    assert.deepEqual(
      [
        exampleRequest(rules, BASE, '/rest/api/content').allowed,
        exampleRequest(rules, BASE, '/rest/api/content').method,
      ],
      [true, 'POST'],
    );
    const denied = exampleRequest(rules, BASE, '/rest/api/space');
    assert.equal(denied.allowed, false);
    assert.match(denied.problem ?? '', /do not allow POST \/rest\/api\/space/);
  });
});
