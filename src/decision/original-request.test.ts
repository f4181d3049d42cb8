import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refusalStatus } from './decision-answer.js';
import { hasFormBody, originalRequest, urlOverrideHeader } from './original-request.js';

const PATH = '/tokengate/authorize';

test('nginx: the method and URI come from X-Original-Method and X-Original-URI, which are not judged', () => {
  const read = originalRequest(
    'GET',
    PATH,
    { 'x-original-method': 'POST', 'x-original-uri': '/rest/api/content?x=1', authorization: 'Basic eA==' },
    PATH,
  );
  assert.deepEqual(read, {
    flavour: 'nginx',
    raw: { method: 'POST', target: '/rest/api/content?x=1', headers: { authorization: 'Basic eA==' } },
  });
});

test('Caddy and Traefik: X-Forwarded-Method and X-Forwarded-Uri; another flavour’s headers stay and are judged', () => {
  const read = originalRequest(
    'GET',
    PATH,
    { 'x-forwarded-method': 'DELETE', 'x-forwarded-uri': '/rest/api/x', 'x-original-url': '/admin' },
    PATH,
  );
  assert.ok(!('refused' in read));
  assert.equal(read.flavour, 'forwarded');
  assert.equal(read.raw.method, 'DELETE');
  assert.equal(read.raw.target, '/rest/api/x');
  assert.equal(urlOverrideHeader(read.raw.headers), 'x-original-url');
});

test('nginx: a client’s own X-Forwarded-Uri is judged (and refused as a URL override)', () => {
  const read = originalRequest(
    'GET',
    PATH,
    { 'x-original-method': 'GET', 'x-original-uri': '/rest/api/space', 'x-forwarded-uri': '/rest/admin' },
    PATH,
  );
  assert.ok(!('refused' in read));
  assert.equal(urlOverrideHeader(read.raw.headers), 'x-forwarded-uri');
});

test('Envoy: the original request follows the decision path, raw, with its own method', () => {
  const read = originalRequest('PUT', `${PATH}/rest/api/%2e%2e/x?y=1`, {}, PATH);
  assert.deepEqual(read, { flavour: 'envoy', raw: { method: 'PUT', target: '/rest/api/%2e%2e/x?y=1', headers: {} } });
});

test('a question that says nothing, half a question, or a repeated header is refused', () => {
  assert.ok('refused' in originalRequest('GET', PATH, {}, PATH));
  assert.ok('refused' in originalRequest('GET', `${PATH}?x=1`, {}, PATH));
  assert.ok('refused' in originalRequest('GET', PATH, { 'x-original-uri': '/rest/api' }, PATH));
  assert.ok('refused' in originalRequest('GET', PATH, { 'x-forwarded-method': 'GET' }, PATH));
  assert.ok(
    'refused' in
      originalRequest('GET', PATH, { 'x-original-method': 'GET', 'x-original-uri': '/rest/a, /rest/b' }, PATH),
  );
});

test('form bodies are recognised by their content type', () => {
  assert.equal(hasFormBody({ 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }), true);
  assert.equal(hasFormBody({ 'content-type': 'Multipart/Form-Data; boundary=x' }), true);
  assert.equal(hasFormBody({ 'content-type': 'application/json' }), false);
  assert.equal(hasFormBody({}), false);
});

test('for nginx every refusal is 401 or 403; other proxies get the real status', () => {
  assert.equal(refusalStatus('nginx', 'credentials_missing'), 401);
  assert.equal(refusalStatus('nginx', 'malformed_request'), 403);
  assert.equal(refusalStatus('nginx', 'too_many_failures'), 403);
  assert.equal(refusalStatus('nginx', 'database_outage'), 403);
  assert.equal(refusalStatus('nginx', 'internal_error'), 403);
  assert.equal(refusalStatus('forwarded', 'too_many_failures'), 429);
  assert.equal(refusalStatus('envoy', 'malformed_request'), 400);
});
