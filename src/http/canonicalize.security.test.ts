import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalize } from './canonicalize.js';

const PUBLIC = 'https://wiki.example.com';

function refusal(target: string, method = 'GET', publicUrl: string | null = PUBLIC): string {
  const result = canonicalize({ method, target, headers: {} }, { publicUrl });
  assert.equal(result.ok, false, `expected ${JSON.stringify(target)} to be refused`);
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.status, 400);
  return result.message;
}

/** Each case: [attack, where it comes from, a word the message must contain]. */
const PATH_ATTACKS: readonly (readonly [string, string, RegExp])[] = [
  // Envoy: escaped slashes and backslashes (CVE-2019-9901, CVE-2021-29492), path normalisation
  ['/rest/api/space%2F..%2F..%2Fadmin', 'Envoy escaped slash', /encoded "\/"/],
  ['/rest/api%2fadmin', 'Envoy escaped slash, lower case', /encoded "\/"/],
  ['/rest/api%5Cadmin', 'Envoy escaped backslash', /backslash/],
  ['/rest/api%5c..%5cadmin', 'Envoy escaped backslash, lower case', /backslash/],
  ['/rest/api/../admin', 'Envoy dot segments', /dot segments/],
  // Istio authorization policy bypass
  ['/rest/api/..;/admin', 'Istio ..;/', /";"/],
  ['/rest/api/space/..;/..;/admin', 'Istio ..;/ twice', /";"/],
  // Traefik path matching with encoded characters
  ['/rest/api/%2e%2e/admin', 'Traefik %2e%2e', /dot segments/],
  ['/rest/api/%2E%2E/admin', 'Traefik %2E%2E', /dot segments/],
  ['/rest/api/%2e%2E/admin', 'mixed-case %2e%2E', /dot segments/],
  ['/rest/api/.%2e/admin', 'half-encoded dot segment', /dot segments/],
  ['/rest/api/%2e/admin', 'encoded single dot', /dot segments/],
  ['/rest/api/space/%2e%2e', 'trailing encoded dot segment', /dot segments/],
  ['/rest/api/space/..', 'trailing dot segment', /dot segments/],
  ['/rest/api/space/.', 'trailing single dot', /dot segments/],
  ['/./rest/api', 'leading single dot', /dot segments/],
  // Spring: matrix parameters, encoded dots
  ['/rest/api;foo=bar/space', 'Spring matrix parameter', /";"/],
  ['/rest/api/space;/', 'Spring trailing ;', /";"/],
  ['/rest/api/space%3bfoo', 'encoded ; lower case', /encoded ";"/],
  ['/rest/api/space%3Bjsessionid=1', 'encoded ; upper case', /encoded ";"/],
  ['/rest/%2e%2e/admin', 'Spring %2e%2e', /dot segments/],
  // Tomcat
  ['/rest/..;/admin', 'Tomcat /..;/', /";"/],
  ['/rest/;jsessionid=x/../admin', 'Tomcat ;jsessionid then ..', /";"/],
  ['/rest/api/space;jsessionid=ABC', 'Tomcat ;jsessionid', /";"/],
  // Overlong UTF-8 and IIS %u
  ['/rest/api/%c0%ae%c0%ae/admin', 'overlong UTF-8 dot', /UTF-8/],
  ['/rest/api/%C0%AF', 'overlong UTF-8 slash', /UTF-8/],
  ['/rest/api/%e0%80%ae', 'overlong 3-byte dot', /UTF-8/],
  ['/rest/api/%f0%80%80%ae', 'overlong 4-byte dot', /UTF-8/],
  ['/rest/api/%ed%a0%80', 'UTF-16 surrogate in UTF-8', /UTF-8/],
  ['/rest/api/%f4%90%80%80', 'above U+10FFFF', /UTF-8/],
  ['/rest/api/%c3', 'truncated UTF-8 at the end', /UTF-8/],
  ['/rest/api/%c3/x', 'truncated UTF-8 before /', /UTF-8/],
  ['/rest/api/%c3%41', 'UTF-8 lead then ASCII escape', /UTF-8/],
  ['/rest/api/%80', 'lone continuation byte', /UTF-8/],
  ['/rest/api/%ff', 'invalid UTF-8 byte', /UTF-8/],
  ['/rest/api/%u002e%u002e/admin', 'IIS %u encoding', /percent-encoding/],
  // Backslash
  ['/rest\\..\\admin', 'raw backslash', /backslash/],
  ['/rest/api\\space', 'raw backslash in a segment', /backslash/],
  // Double encoding
  ['/rest/api/%252e%252e/admin', 'double-encoded dot', /encoded "%"/],
  ['/rest/api/%252f', 'double-encoded slash', /encoded "%"/],
  ['/rest/api/%255c', 'double-encoded backslash', /encoded "%"/],
  ['/rest/api/%253b', 'double-encoded ;', /encoded "%"/],
  ['/rest/api/%2500', 'double-encoded NUL', /encoded "%"/],
  ['/rest/api/100%25', 'plain encoded %', /encoded "%"/],
  // NUL and control characters
  ['/rest/api/space%00.json', 'encoded NUL', /control character/],
  ['/rest/api/space%0d%0aSet-Cookie:x', 'CRLF injection', /control character/],
  ['/rest/api/%1f', 'encoded unit separator', /control character/],
  ['/rest/api/%7f', 'encoded DEL', /control character/],
  ['/rest/api/\u0000', 'raw NUL', /control character/],
  ['/rest/api/a\tb', 'raw tab', /control character/],
  ['/rest/api/\u007f', 'raw DEL', /control character/],
  ['/rest/api/a b', 'raw space', /space/],
  // Fragment and encoded delimiters
  ['/rest/api/space#x', 'raw #', /"#"/],
  ['/rest/api/space%23/../admin', 'encoded #', /encoded "#"/],
  ['/rest/api/space%3F/x', 'encoded ?', /encoded "\?"/],
  // Invalid percent-encoding
  ['/rest/api/%zz', '%zz', /percent-encoding/],
  ['/rest/api/%4', 'truncated %4', /percent-encoding/],
  ['/rest/api/%4/x', 'truncated %4 before /', /percent-encoding/],
  ['/rest/api/%', 'lone %', /percent-encoding/],
  ['/rest/api/%g0', '%g0', /percent-encoding/],
  // Empty segments
  ['//rest/api', 'protocol-relative style //', /empty segments/],
  ['/rest//api', 'double slash', /empty segments/],
  ['/rest/api//', 'trailing //', /empty segments/],
  ['/rest/api///admin', 'triple slash', /empty segments/],
  // Non-ASCII raw (Node gives latin1 strings for raw bytes)
  ['/rest/api/caf\u00e9', 'raw latin1 byte', /non-ASCII/],
  ['/rest/api/\u00c0\u00ae', 'raw overlong bytes as latin1', /non-ASCII/],
  ['/rest/api/\u2028', 'raw non-Latin1 character', /non-ASCII/],
];

describe('canonicalize refuses path-normalisation attacks', () => {
  for (const [attack, origin, reason] of PATH_ATTACKS) {
    test(`${origin}: ${JSON.stringify(attack)}`, () => {
      const message = refusal(attack);
      assert.match(message, /^the request path is refused: /);
      assert.match(message, reason);
    });
  }

  test('the same attacks are refused with a query string after them', () => {
    for (const [attack] of PATH_ATTACKS) {
      if (attack.includes('#')) continue;
      refusal(`${attack}?limit=10`);
    }
  });

  test('the same attacks are refused in absolute-form', () => {
    for (const [attack] of PATH_ATTACKS) refusal(`${PUBLIC}${attack}`);
  });
});

describe('canonicalize refuses bad request targets', () => {
  test('a path that does not start with "/"', () => {
    assert.match(refusal('rest/api/space'), /must be a path/);
    assert.match(refusal(''), /must be a path/);
  });

  test('asterisk-form', () => {
    assert.match(refusal('*', 'OPTIONS'), /asterisk-form/);
  });

  test('authority-form (CONNECT)', () => {
    assert.match(refusal('wiki.example.com:443', 'CONNECT'), /must be a path/);
  });

  test('absolute-form of another host, scheme or port', () => {
    assert.match(refusal('https://evil.example.com/rest/api/space'), /public URL/);
    assert.match(refusal('http://wiki.example.com/rest/api/space'), /public URL/);
    assert.match(refusal('https://wiki.example.com:8443/rest/api/space'), /public URL/);
    assert.match(refusal('https://wiki.example.com.evil.com/rest/api/space'), /public URL/);
  });

  test('absolute-form with user information', () => {
    assert.match(refusal('https://wiki.example.com@evil.com/rest'), /user information/);
    assert.match(refusal('https://user:pw@wiki.example.com/rest'), /user information/);
  });

  test('absolute-form with another scheme', () => {
    assert.match(refusal('ftp://wiki.example.com/rest'), /must be a path/);
    assert.match(refusal('file:///etc/passwd'), /must be a path/);
  });

  test('absolute-form when no public URL is configured', () => {
    assert.match(refusal('https://wiki.example.com/rest/api', 'GET', null), /no public URL/);
  });

  test('absolute-form outside the public URL path prefix', () => {
    const base = 'https://example.com/confluence';
    assert.match(refusal('https://example.com/rest/api/space', 'GET', base), /path \/confluence/);
    assert.match(refusal('https://example.com/confluence-evil/rest', 'GET', base), /path \/confluence/);
    assert.match(refusal('https://example.com?x=1', 'GET', base), /path \/confluence/);
  });

  test('absolute-form with a fragment right after the host', () => {
    assert.match(refusal('https://wiki.example.com#x'), /"#"/);
  });
});

describe('canonicalize refuses bad methods', () => {
  for (const method of ['', 'GET POST', 'GE(T', 'G\u00c9T', 'GET\r\n', 'GET/', 'a:b', '"GET"', 'GE T', '{}']) {
    test(JSON.stringify(method), () => {
      assert.match(refusal('/rest/api/space', method), /method/);
    });
  }
});

describe('canonicalize refuses bad queries', () => {
  for (const [query, reason] of [
    ['a=%zz', /percent-encoding/],
    ['a=%4', /percent-encoding/],
    ['%zz=1', /percent-encoding/],
    ['a=%E9', /percent-encoding/],
    ['a=%C0%AE', /percent-encoding/],
    ['a=%ED%A0%80', /percent-encoding/],
    ['a=caf\u00e9', /non-ASCII/],
    ['a=b c', /space/],
    ['a=b\u0000', /control/],
    ['a=b#frag', /"#"/],
  ] as const) {
    test(JSON.stringify(query), () => {
      const message = refusal(`/rest/api/content?${query}`);
      assert.match(message, /^the query is refused: /);
      assert.match(message, reason);
    });
  }
});
