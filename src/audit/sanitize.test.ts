import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { generateSecret } from '../tokens/secret.js';
import {
  escapeControl,
  percentDecode,
  REDACTED,
  redactedParamNames,
  redactedParamValues,
  redactQuery,
  redactReasonValues,
  redactSecret,
  scrubTokenShaped,
  truncate,
  unescapeControl,
} from './sanitize.js';

const SECRET = 'tgp_Z7q9wXk2LmN4pR8sT1vY3bC6dF0hJ5gA_c1d2';
/** Every character that must never survive `escapeControl`. */
const DANGEROUS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('escapeControl makes CR, LF, ESC, NUL, NEL, U+2028/2029 and bidi overrides visible', () => {
  assert.equal(escapeControl('a\r\nb'), 'a\\x0d\\x0ab');
  assert.equal(escapeControl('\u001b[31mred'), '\\x1b[31mred');
  assert.equal(escapeControl('\u0000\u007f\u0085\u009f'), '\\x00\\x7f\\x85\\x9f');
  assert.equal(escapeControl('x\u2028y\u2029z'), 'x\\u2028y\\u2029z');
  assert.equal(escapeControl('\u202etxt.exe'), '\\u202etxt.exe');
  assert.equal(escapeControl('tab\there'), 'tab\\x09here');
});

test('escapeControl escapes the backslash, so a forged escape stays distinguishable', () => {
  assert.equal(escapeControl('C:\\x0a'), 'C:\\\\x0a');
  assert.notEqual(escapeControl('\\x0a'), escapeControl('\n'));
});

test('escapeControl leaves ordinary text (including non-ASCII and emoji) as it is', () => {
  const text = 'Grüße, 日本語, 😀 — “quotes” <tags> & stuff';
  assert.equal(escapeControl(text), text);
});

test('escapeControl escapes lone surrogates but keeps pairs', () => {
  assert.equal(escapeControl('a\ud800b'), 'a\\ud800b');
  assert.equal(escapeControl('a\udc00'), 'a\\udc00');
  assert.equal(escapeControl('😀'), '😀');
});

test('escapeControl is reversible and its output never holds a dangerous character (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      const escaped = escapeControl(s);
      assert.equal(DANGEROUS.test(escaped), false);
      assert.equal(unescapeControl(escaped), s);
    }),
    { numRuns: 2000 },
  );
});

test('truncate keeps short values and cuts long ones with an ellipsis within the limit', () => {
  assert.equal(truncate('abc', 3), 'abc');
  assert.equal(truncate('abcdef', 4), 'abc…');
  assert.equal(truncate('abcdef', 4).length, 4);
  assert.equal(truncate('abc', 0), '');
});

test('truncate never splits a surrogate pair', () => {
  const cut = truncate('ab😀cd', 4);
  assert.equal(cut, 'ab…');
  assert.equal(truncate('a😀cdef', 4), 'a😀…');
});

test('truncate never splits an escape sequence made by escapeControl', () => {
  const escaped = escapeControl('ab\ncd'); // ab\x0acd
  for (let n = 1; n <= escaped.length; n++) {
    const cut = truncate(escaped, n);
    assert.ok(cut.length <= n, `length ${cut.length} > ${n}`);
    const body = cut.endsWith('…') ? cut.slice(0, -1) : cut;
    assert.ok(escaped.startsWith(body));
    // what is left is whole sequences only: unescaping and escaping again gives it back
    assert.equal(escapeControl(unescapeControl(body)), body, `cut at ${n}: ${cut}`);
  }
  const slashes = escapeControl('a\\\\\\b'); // a\\\\\\b
  for (let n = 1; n <= slashes.length; n++) {
    const body = truncate(slashes, n).replace(/…$/, '');
    assert.equal(escapeControl(unescapeControl(body)), body, `cut at ${n}`);
  }
});

test('truncate on escaped text: property', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.integer({ min: 1, max: 80 }), (s, n) => {
      const escaped = escapeControl(s);
      const cut = truncate(escaped, n);
      assert.ok(cut.length <= n);
      const body = cut.endsWith('…') && cut.length < escaped.length ? cut.slice(0, -1) : cut;
      assert.equal(escapeControl(unescapeControl(body)), body);
    }),
    { numRuns: 2000 },
  );
});

test('redactQuery hides the values of the built-in sensitive names, keeps everything else as received', () => {
  assert.equal(
    redactQuery('spaceKey=DEV&os_password=hunter2&limit=10', []),
    'spaceKey=DEV&os_password=[REDACTED]&limit=10',
  );
  assert.equal(
    redactQuery('password=a&token=b&access_token=c&api_key=d&secret=e&x=%20y+z', []),
    'password=[REDACTED]&token=[REDACTED]&access_token=[REDACTED]&api_key=[REDACTED]&secret=[REDACTED]&x=%20y+z',
  );
});

test('redactQuery compares the decoded name, case-insensitively', () => {
  assert.equal(redactQuery('PassWord=x', []), 'PassWord=[REDACTED]');
  assert.equal(redactQuery('pass%77ord=x', []), 'pass%77ord=[REDACTED]');
  assert.equal(redactQuery('os%5Fpassword=x', []), 'os%5Fpassword=[REDACTED]');
  assert.equal(redactQuery('TOKEN=x', []), 'TOKEN=[REDACTED]');
});

test('redactQuery redacts configured names, case-insensitively', () => {
  assert.equal(redactQuery('pin=1234&PIN=5678&other=1', ['Pin']), 'pin=[REDACTED]&PIN=[REDACTED]&other=1');
  assert.equal(redactQuery('my%20key=v', ['my key']), 'my%20key=[REDACTED]');
  assert.equal(redactQuery('my+key=v', ['my key']), 'my+key=[REDACTED]');
});

test('redactQuery handles repeated names, PHP arrays, `;` separators, empty parts and names without values', () => {
  assert.equal(redactQuery('token=a&token=b', []), 'token=[REDACTED]&token=[REDACTED]');
  assert.equal(redactQuery('password[]=a&password[0]=b', []), 'password[]=[REDACTED]&password[0]=[REDACTED]');
  assert.equal(redactQuery('a=1;password=x', []), 'a=1;password=[REDACTED]');
  assert.equal(redactQuery('&&password&x=', []), '&&password&x=');
  assert.equal(redactQuery('password==x=y', []), 'password=[REDACTED]');
  assert.equal(redactQuery('', []), '');
  assert.equal(redactQuery('a=%zz&password=%', []), 'a=%zz&password=[REDACTED]');
});

test('redactSecret removes the secret as it is, percent-encoded, and in base64 at any alignment', () => {
  assert.equal(redactSecret(`ua ${SECRET} end`, SECRET), `ua ${REDACTED} end`);
  assert.equal(redactSecret(`${SECRET}${SECRET}`, SECRET), `${REDACTED}${REDACTED}`);
  const encoded = SECRET.split('')
    .map((c, i) => (i % 3 === 0 ? `%${c.charCodeAt(0).toString(16)}` : c))
    .join('');
  assert.equal(redactSecret(`t=${encoded}&x=1`, SECRET), `t=${REDACTED}&x=1`);
  for (const prefix of ['', 'a', 'ab', 'abc', 'bob:', 'alice:']) {
    const b64 = Buffer.from(`${prefix}${SECRET}`).toString('base64');
    const out = redactSecret(`Basic ${b64}`, SECRET);
    assert.ok(out.includes(REDACTED), `base64 with prefix "${prefix}": ${out}`);
    const decodedRest = out.replace(REDACTED, '');
    assert.equal(decodedRest.includes(Buffer.from(SECRET).toString('base64').slice(4, 20)), false);
    const url = Buffer.from(`${prefix}${SECRET}`).toString('base64url');
    assert.ok(redactSecret(url, SECRET).includes(REDACTED));
  }
});

test('redactSecret with a secret that has characters escapeControl changes', () => {
  const odd = 'abc\\def\\ghijklmnop';
  assert.equal(redactSecret(`x ${escapeControl(odd)} y`, odd), `x ${REDACTED} y`);
});

test('redactSecret ignores too-short secrets and empty text', () => {
  assert.equal(redactSecret('abc abc', 'ab'), 'abc abc');
  assert.equal(redactSecret('', SECRET), '');
  assert.equal(redactSecret('text', null), 'text');
});

test('redactSecret: the secret never survives, whatever it is embedded in (property)', () => {
  const secretArb = fc.string({ minLength: 16, maxLength: 40 }).filter((s) => !/\s/.test(s));
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), secretArb, fc.string({ maxLength: 30 }), (before, secret, after) => {
      const out = redactSecret(before + secret + after, secret);
      assert.equal(out.includes(secret), false);
      assert.equal(percentDecode(out).includes(secret), false);
    }),
    { numRuns: 1000 },
  );
});

test('percentDecode is lenient', () => {
  assert.equal(percentDecode('a%20b%zz%'), 'a b%zz%');
  assert.equal(percentDecode('a+b', true), 'a b');
  assert.equal(percentDecode('%C3%BC'), 'ü');
});

describe('scrubTokenShaped', () => {
  const token = generateSecret();
  test('any valid token is removed, plain, percent-encoded or followed by more characters', () => {
    assert.equal(scrubTokenShaped(`q=${token}`), 'q=[REDACTED]');
    assert.equal(scrubTokenShaped(`/x/${token}more`), '/x/[REDACTED]more');
    assert.equal(scrubTokenShaped(`q=%74gp_${token.slice(4)}`), 'q=[REDACTED]');
    assert.equal(scrubTokenShaped(`ua (${token}) and ${token}`), 'ua ([REDACTED]) and [REDACTED]');
  });
  test('token-shaped text whose checksum does not match is kept (no false positives)', () => {
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    assert.equal(scrubTokenShaped(`q=${wrong}`), `q=${wrong}`);
    assert.equal(scrubTokenShaped('tgp_short and plain text'), 'tgp_short and plain text');
  });
});

describe('redacted parameter values in reasons', () => {
  const names = redactedParamNames(['pin']);
  test('the values of redacted parameters are found, decoded', () => {
    assert.deepEqual(redactedParamValues('a=1&password=hunter%32&PIN=1234;x=2', names), ['hunter2', '1234']);
    assert.deepEqual(redactedParamValues('a=1&b=2', names), []);
  });
  test('a reason never quotes them; other values stay', () => {
    const reason =
      'line 1: query parameter "password" value "hunter2" does not match ok; line 2: query parameter "a" value "1" does not match 2';
    assert.equal(
      redactReasonValues(reason, ['hunter2']),
      'line 1: query parameter "password" value [REDACTED] does not match ok; line 2: query parameter "a" value "1" does not match 2',
    );
  });
});
