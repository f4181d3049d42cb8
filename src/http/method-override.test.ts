import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalize } from './canonicalize.js';
import { findMethodOverride } from './method-override.js';

const NO_QUERY: ReadonlyMap<string, readonly string[]> = new Map();

describe('findMethodOverride', () => {
  for (const header of ['x-http-method-override', 'x-http-method', 'x-method-override']) {
    test(`refuses the ${header} header`, () => {
      const message = findMethodOverride({ [header]: 'DELETE' }, NO_QUERY);
      assert.ok(message !== null);
      assert.match(message, new RegExp(header));
    });

    test(`refuses an empty ${header} header too`, () => {
      assert.notEqual(findMethodOverride({ [header]: '' }, NO_QUERY), null);
    });
  }

  test('refuses a _method query parameter, also encoded', () => {
    for (const target of [
      '/rest/api/space?_method=DELETE',
      '/rest/api/space?a=1&_method',
      '/rest/api/space?%5Fmethod=PUT',
    ]) {
      const result = canonicalize({ method: 'POST', target, headers: {} }, { publicUrl: null });
      assert.ok(result.ok);
      const message = findMethodOverride(result.request.headers, result.request.query);
      assert.ok(message !== null, target);
      assert.match(message, /_method/);
    }
  });

  test('refuses an override header spelt with underscores (CGI/WSGI read it as the same)', () => {
    for (const header of ['x_http_method_override', 'x-http_method', 'x_method_override']) {
      assert.notEqual(findMethodOverride({ [header]: 'DELETE' }, NO_QUERY), null, header);
    }
  });

  test('refuses override parameters named like the headers, any case', () => {
    for (const name of ['X-HTTP-Method-Override', '_METHOD', 'x_http_method']) {
      assert.notEqual(findMethodOverride({}, new Map([[name, ['DELETE']]])), null, name);
    }
  });

  test('allows a request without an override', () => {
    assert.equal(
      findMethodOverride(
        { 'content-type': 'application/json' },
        new Map([
          ['method', ['x']],
          ['limit', ['10']],
        ]),
      ),
      null,
    );
  });
});
