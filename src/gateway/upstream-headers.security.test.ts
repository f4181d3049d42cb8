/**
 * Headers with meaning upstream: no spelling of an identity, address, URL or method header that
 * the client sent reaches the upstream; the forwarding headers come from tokengate.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildClientHeaders, buildUpstreamHeaders, FORBIDDEN_REQUEST_HEADERS } from './upstream-headers.js';

const CTX = {
  clientAddress: '203.0.113.9',
  publicProto: 'https',
  publicHost: 'wiki.example.com',
  identityHeader: 'x-forwarded-user',
  username: 'alice',
  upstreamAuthorization: null,
} as const;

/** Every way a CGI/WSGI/Rack upstream reads as the same name: case and `_` for `-`. */
function spellings(name: string): string[] {
  const underscored = name.replace(/-/g, '_');
  const mixed = name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => `${sep === '-' ? '_' : ''}${c}`);
  return [...new Set([name, underscored, mixed])].map((spelling) => spelling.toLowerCase());
}

describe('buildUpstreamHeaders: headers with meaning upstream', () => {
  test('every forbidden name is dropped in every spelling', () => {
    for (const name of FORBIDDEN_REQUEST_HEADERS) {
      for (const spelling of spellings(name)) {
        const out = buildUpstreamHeaders({ [spelling]: 'evil', accept: 'application/json' }, CTX);
        const forwarded = Object.entries(out).filter(([key, value]) => key === spelling && value === 'evil');
        assert.deepEqual(forwarded, [], `${spelling} passed`);
        assert.equal(out.accept, 'application/json');
      }
    }
  });

  test('the issue\u2019s list is covered', () => {
    for (const name of [
      'x-original-url',
      'x-rewrite-url',
      'x-override-url',
      'remote-user',
      'x-remote-user',
      'x-auth-user',
      'x-real-ip',
      'x-client-ip',
      'true-client-ip',
      'x-forwarded-port',
      'x-forwarded-prefix',
      'x-forwarded-host',
      'forwarded',
      'x-http-method-override',
    ]) {
      assert.ok(FORBIDDEN_REQUEST_HEADERS.has(name), name);
    }
  });

  test('X_Forwarded_User (the identity header with underscores) is dropped; the real one is set', () => {
    const out = buildUpstreamHeaders({ x_forwarded_user: 'root', 'x-forwarded_user': 'root' }, CTX);
    assert.equal(out.x_forwarded_user, undefined);
    assert.equal(out['x-forwarded_user'], undefined);
    assert.equal(out['x-forwarded-user'], 'alice');
  });

  test('a configured identity header of any name is matched normalised', () => {
    const out = buildUpstreamHeaders(
      { x_wiki_login: 'root', 'x-wiki-login': 'root' },
      { ...CTX, identityHeader: 'x-wiki-login' },
    );
    assert.deepEqual(
      Object.keys(out).filter((key) => key.includes('wiki')),
      ['x-wiki-login'],
    );
    assert.equal(out['x-wiki-login'], 'alice');
  });

  test('forwarding headers come from the public URL and the client address, never from the client', () => {
    const out = buildUpstreamHeaders(
      { host: 'evil.example', 'x-forwarded-for': '10.9.9.9', 'x-forwarded-proto': 'http', x_forwarded_host: 'evil' },
      CTX,
    );
    assert.equal(out['x-forwarded-host'], 'wiki.example.com');
    assert.equal(out['x-forwarded-proto'], 'https');
    assert.equal(out['x-forwarded-for'], '203.0.113.9');
    assert.equal(out.host, undefined);
    assert.equal(out.x_forwarded_host, undefined);
  });

  test('framing headers spelt with underscores are dropped; ordinary underscore headers pass', () => {
    const out = buildUpstreamHeaders(
      { content_type: 'application/x-www-form-urlencoded', content_length: '5', x_request_id: 'r1' },
      CTX,
    );
    assert.equal(out.content_type, undefined);
    assert.equal(out.content_length, undefined);
    assert.equal(out.x_request_id, 'r1');
  });

  test('a header named in Connection is dropped in any spelling', () => {
    const out = buildUpstreamHeaders({ connection: 'X_Trace', 'x-trace': '1' }, CTX);
    assert.equal(out['x-trace'], undefined);
  });
});

describe('buildClientHeaders: responses cannot act on the page', () => {
  const raw = (pairs: [string, string][]) => pairs.flat();
  test('every response gets nosniff and the sandboxing policy', () => {
    const out = buildClientHeaders(
      raw([['Content-Type', 'text/html']]),
      'http://u',
      'http://p',
      "sandbox; default-src 'none'",
    );
    assert.equal(out['x-content-type-options'], 'nosniff');
    assert.equal(out['content-security-policy'], "sandbox; default-src 'none'");
  });

  test('the upstream\u2019s own policy is kept beside it (both are enforced), its nosniff cannot be removed', () => {
    const out = buildClientHeaders(
      raw([
        ['Content-Security-Policy', "script-src 'self'"],
        ['X-Content-Type-Options', 'sniff-please'],
      ]),
      'http://u',
      'http://p',
      'sandbox',
    );
    assert.deepEqual(out['content-security-policy'], ["script-src 'self'", 'sandbox']);
    assert.equal(out['x-content-type-options'], 'nosniff');
  });

  test('a null policy (switched off) adds none', () => {
    const out = buildClientHeaders(raw([['Content-Type', 'text/html']]), 'http://u', 'http://p', null);
    assert.equal(out['content-security-policy'], undefined);
  });
});
