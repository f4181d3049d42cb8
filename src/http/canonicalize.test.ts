import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CanonicalRequest } from './canonical-request.js';
import { canonicalize } from './canonicalize.js';

const PUBLIC = 'https://wiki.example.com';

function accept(target: string, method = 'GET', publicUrl: string | null = PUBLIC): CanonicalRequest {
  const result = canonicalize({ method, target, headers: { host: 'wiki.example.com' } }, { publicUrl });
  if (!result.ok) assert.fail(`expected ${JSON.stringify(target)} to be accepted, got: ${result.message}`);
  return result.request;
}

function queryOf(target: string): Record<string, readonly string[]> {
  return Object.fromEntries(accept(target).query);
}

describe('canonicalize accepts normal requests', () => {
  test('a typical REST call', () => {
    const request = accept('/rest/api/space?limit=10');
    assert.equal(request.method, 'GET');
    assert.equal(request.path, '/rest/api/space');
    assert.equal(request.rawQuery, 'limit=10');
    assert.deepEqual(Object.fromEntries(request.query), { limit: ['10'] });
    assert.equal(request.absoluteUrl, 'https://wiki.example.com/rest/api/space');
    assert.deepEqual(request.headers, { host: 'wiki.example.com' });
  });

  test('paths that stay as they are', () => {
    for (const path of [
      '/',
      '/rest/api/content/',
      '/rest/api/space/EXT',
      '/rest/api/content/123/child/page',
      '/rest/extender/1.0/tokenTools/getTokens',
      '/rest/api/content/search',
      '/rest/api/a.b/.hidden/...',
      '/rest/api/x-y_z~1',
      "/rest/api/!$&'()*+,=:@",
      '/rest/api/a%20b',
      '/rest/api/caf%C3%A9',
      '/rest/api/%F0%9F%98%80',
      '/rest/api/%3A%40%2B',
    ]) {
      assert.equal(accept(path).path, path);
    }
  });

  test('escapes of unreserved characters are decoded once', () => {
    assert.equal(accept('/rest/api/%7Euser').path, '/rest/api/~user');
    assert.equal(accept('/rest/api/%7euser').path, '/rest/api/~user');
    assert.equal(accept('/rest/%61%70%69/space').path, '/rest/api/space');
    assert.equal(accept('/rest/api/%2D%2E%5F%30').path, '/rest/api/-._0');
    assert.equal(accept('/rest/api/a%2Eb').path, '/rest/api/a.b');
    assert.equal(accept('/rest/api/%2E%2E%2E').path, '/rest/api/...');
  });

  test('other escapes keep their place with upper-case hex', () => {
    assert.equal(accept('/rest/api/caf%c3%a9').path, '/rest/api/caf%C3%A9');
    assert.equal(accept('/rest/api/a%2bb%3a').path, '/rest/api/a%2Bb%3A');
    assert.equal(accept('/rest/api/%20%41').path, '/rest/api/%20A');
  });

  test('the method is upper-cased', () => {
    assert.equal(accept('/rest/api/space', 'post').method, 'POST');
    assert.equal(accept('/rest/api/space', 'Delete').method, 'DELETE');
    assert.equal(accept('/rest/api/space', 'PROPFIND').method, 'PROPFIND');
    assert.equal(accept('/rest/api/space', "x-!#$%&'*+.^_`|~").method, "X-!#$%&'*+.^_`|~");
  });

  test('without a public URL, absoluteUrl is the path', () => {
    assert.equal(accept('/rest/api/space', 'GET', null).absoluteUrl, '/rest/api/space');
  });

  test('the request is frozen', () => {
    const result = canonicalize({ method: 'GET', target: '/rest?a=1', headers: {} }, { publicUrl: null });
    assert.ok(result.ok);
    assert.ok(Object.isFrozen(result.request));
    assert.throws(() => {
      (result.request as { path: string }).path = '/rest/admin';
    }, TypeError);
  });
});

describe('canonicalize: absolute-form and the public URL', () => {
  test('an absolute-form target of this server is reduced to its path', () => {
    const request = accept('https://wiki.example.com/rest/api/space?limit=1');
    assert.equal(request.path, '/rest/api/space');
    assert.equal(request.rawQuery, 'limit=1');
    assert.equal(request.absoluteUrl, 'https://wiki.example.com/rest/api/space');
  });

  test('scheme and host compare case-insensitively, the default port is ignored', () => {
    assert.equal(accept('HTTPS://Wiki.Example.COM:443/rest/x').path, '/rest/x');
    assert.equal(accept('https://wiki.example.com:/rest/x').path, '/rest/x');
    assert.equal(accept('http://localhost:8080/rest/x', 'GET', 'http://localhost:8080').path, '/rest/x');
  });

  test('an absolute-form target without a path is "/"', () => {
    assert.equal(accept('https://wiki.example.com').path, '/');
    const request = accept('https://wiki.example.com?x=1');
    assert.equal(request.path, '/');
    assert.equal(request.rawQuery, 'x=1');
  });

  test('a public URL with a path prefix: the path keeps the prefix, absoluteUrl does not repeat it', () => {
    const base = 'https://example.com/confluence';
    const origin = accept('/confluence/rest/api/space', 'GET', base);
    assert.equal(origin.path, '/confluence/rest/api/space');
    assert.equal(origin.absoluteUrl, 'https://example.com/confluence/rest/api/space');
    const absolute = accept('https://example.com/confluence/rest/api/space', 'GET', base);
    assert.equal(absolute.path, '/confluence/rest/api/space');
    assert.equal(absolute.absoluteUrl, 'https://example.com/confluence/rest/api/space');
    assert.equal(accept('https://example.com/confluence', 'GET', `${base}/`).path, '/confluence');
    assert.equal(accept('https://example.com/%63onfluence/rest', 'GET', base).path, '/confluence/rest');
  });

  test('a public URL that is not http(s) is a configuration error', () => {
    assert.throws(
      () => canonicalize({ method: 'GET', target: '/', headers: {} }, { publicUrl: 'ftp://example.com' }),
      TypeError,
    );
  });
});

describe('canonicalize: the query', () => {
  test('the raw query is kept exactly as received', () => {
    assert.equal(accept('/rest/api/content?spaceKey=P%4d&title=a+b&expand').rawQuery, 'spaceKey=P%4d&title=a+b&expand');
    assert.equal(accept('/rest/api/content?').rawQuery, '');
    assert.equal(accept('/rest/api/content').rawQuery, '');
  });

  test('every value of a repeated parameter, in order', () => {
    assert.deepEqual(queryOf('/r?expand=history&limit=1&expand=body.view'), {
      expand: ['history', 'body.view'],
      limit: ['1'],
    });
  });

  test('names and values are decoded; + is a space, %2B a plus', () => {
    assert.deepEqual(queryOf('/r?%73pace%4Bey=PM&title=a+b%2Bc&cql=type%3Dpage%20AND%20space%3D%22X%22'), {
      spaceKey: ['PM'],
      title: ['a b+c'],
      cql: ['type=page AND space="X"'],
    });
    assert.deepEqual(queryOf('/r?q=caf%C3%A9&e=%F0%9F%98%80'), { q: ['café'], e: ['😀'] });
  });

  test('a name without "=" has an empty value; empty pairs are skipped; only the first "=" splits', () => {
    assert.deepEqual(queryOf('/r?expand&&a=&b==c&=v'), { expand: [''], a: [''], b: ['=c'], '': ['v'] });
  });

  test('";" does not separate parameters (as in Tomcat)', () => {
    assert.deepEqual(queryOf('/r?a=1;b=2'), { a: ['1;b=2'] });
  });

  test('characters Confluence allows raw in queries are accepted', () => {
    assert.deepEqual(queryOf('/r?cql=a[]|{}^`"<>\\'), { cql: ['a[]|{}^`"<>\\'] });
  });

  test('a "?" inside the query belongs to the query', () => {
    const request = accept('/rest/x?a=1?b=2');
    assert.equal(request.path, '/rest/x');
    assert.deepEqual(Object.fromEntries(request.query), { a: ['1?b=2'] });
  });
});
