import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { crossSiteReason, expectedOrigins, isHttps } from './request-origin.js';

function req(headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { headers, socket: { encrypted } } as unknown as IncomingMessage;
}

describe('request origin', () => {
  test('expected origins: the public URL and the Host the browser used', () => {
    assert.deepEqual(expectedOrigins(req({ host: '127.0.0.1:8080' }), 'https://gate.example.com/base', false), [
      'https://gate.example.com',
      'http://127.0.0.1:8080',
    ]);
    assert.deepEqual(expectedOrigins(req({ host: 'bad host/x' }), 'http://a:1', false), ['http://a:1']);
  });

  test('cross-site and cross-origin changes are refused; same-origin or header-less requests pass', () => {
    const allowed = ['http://a:1'];
    assert.equal(crossSiteReason(req({ origin: 'http://a:1', 'sec-fetch-site': 'same-origin' }), allowed), null);
    assert.equal(crossSiteReason(req({}), allowed), null);
    assert.match(crossSiteReason(req({ origin: 'http://evil' }), allowed) ?? '', /cross-origin/);
    assert.match(crossSiteReason(req({ origin: 'null' }), allowed) ?? '', /cross-origin/);
    assert.match(crossSiteReason(req({ 'sec-fetch-site': 'same-site' }), allowed) ?? '', /cross-site/);
  });

  test('HTTPS from TLS, the public URL, or a trusted proxy only', () => {
    assert.equal(isHttps(req({}, true), 'http://a', 0), true);
    assert.equal(isHttps(req({}), 'https://a', 0), true);
    assert.equal(isHttps(req({ 'x-forwarded-proto': 'https' }), 'http://a', 0), false);
    assert.equal(isHttps(req({ 'x-forwarded-proto': 'https, http' }), 'http://a', 1), true);
  });
});
