import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { BASE62_ALPHABET } from './base62.js';
import { crc32, crc32Fallback } from './crc32.js';
import { generateSecret, hasValidChecksum, validateCustomSecret } from './secret.js';

test('a generated secret is tgp_ + 32 random base62 + 6 checksum characters', () => {
  const secret = generateSecret();
  assert.match(secret, /^tgp_[0-9A-Za-z]{38}$/);
  assert.ok(hasValidChecksum(secret));
});

test('the checksum catches any changed character and wrong shapes', () => {
  const secret = generateSecret();
  for (let i = 4; i < secret.length; i++) {
    const replacement = secret[i] === 'a' ? 'b' : 'a';
    assert.equal(hasValidChecksum(secret.slice(0, i) + replacement + secret.slice(i + 1)), false, `position ${i}`);
  }
  assert.equal(hasValidChecksum(secret.slice(0, -1)), false);
  assert.equal(hasValidChecksum(`xyz_${secret.slice(4)}`), false);
  assert.equal(hasValidChecksum(''), false);
});

test('secrets carry ≥ 160 bits: unique, and every base62 character about equally likely', () => {
  const n = 4000;
  const secrets = new Set(Array.from({ length: n }, generateSecret));
  assert.equal(secrets.size, n);
  const counts = new Map<string, number>();
  for (const s of secrets) for (const c of s.slice(4, 36)) counts.set(c, (counts.get(c) ?? 0) + 1);
  assert.equal(counts.size, 62);
  const expected = (n * 32) / 62;
  const chiSquare = [...BASE62_ALPHABET].reduce((sum, c) => sum + ((counts.get(c) ?? 0) - expected) ** 2 / expected, 0);
  // 61 degrees of freedom: p < 1e-6 above ~ 125.
  assert.ok(chiSquare < 125, `chi-square ${chiSquare.toFixed(1)} suggests a biased alphabet`);
  assert.ok(32 * Math.log2(62) >= 160);
});

test('CRC-32: the JavaScript fallback agrees with zlib and the standard check value', () => {
  assert.equal(crc32Fallback(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32('123456789'), 0xcbf43926);
  if (typeof zlib.crc32 === 'function') {
    for (let i = 0; i < 200; i++) {
      const data = randomBytes(i);
      assert.equal(crc32Fallback(data), zlib.crc32(data) >>> 0);
    }
  }
});

test('custom secrets: 16–512 characters, no whitespace or control characters', () => {
  assert.equal(validateCustomSecret('0123456789abcdef'), null);
  assert.equal(validateCustomSecret('ünïcödé-ßecret-ok!'), null);
  assert.equal(validateCustomSecret('x'.repeat(512)), null);
  assert.match(validateCustomSecret('short') ?? '', /at least 16/);
  assert.match(validateCustomSecret('x'.repeat(513)) ?? '', /at most 512/);
  for (const bad of [
    '0123456789 abcdef',
    '0123456789abcdef\n',
    '\t0123456789abcdef',
    '0123456789abc\u0000def',
    '0123456789abc\u00a0def',
    '01234567\u200b89abcdef',
  ]) {
    assert.match(validateCustomSecret(bad) ?? '', /whitespace or control/, JSON.stringify(bad));
  }
});

test('a refused custom secret is never echoed in the message', () => {
  const secret = 'my secret value with spaces';
  assert.ok(!(validateCustomSecret(secret) ?? '').includes(secret));
});
