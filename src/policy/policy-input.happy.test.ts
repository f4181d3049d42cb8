import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllowedIpsInput } from './allowed-ips.js';
import { parseQuotaInput } from './quota.js';
import { parseRateLimitInput, rateLimitOf } from './rate-limit.js';

describe('policy input', () => {
  test('rate limits are normalised and parsed to windows', () => {
    assert.equal(parseRateLimitInput(' 10 / Minute '), '10/minute');
    assert.equal(parseRateLimitInput(''), null);
    assert.deepEqual(rateLimitOf('3/hour'), { limit: 3, windowMs: 3_600_000, text: '3/hour' });
    assert.equal(rateLimitOf('5/day')?.windowMs, 86_400_000);
    assert.throws(() => parseRateLimitInput('10/week'), /rateLimit/);
  });

  test('quotas accept whole numbers as numbers or digit strings', () => {
    assert.equal(parseQuotaInput(5), 5);
    assert.equal(parseQuotaInput('12'), 12);
    assert.equal(parseQuotaInput(null), null);
    assert.throws(() => parseQuotaInput(0), /quota/);
  });

  test('allow lists take lines (like limitTo) or commas, and normalise', () => {
    assert.equal(
      parseAllowedIpsInput('127.0.0.1, 10.0.0.0/8\\n2001:DB8::/32<br>::1/128'),
      '127.0.0.1\n10.0.0.0/8\n2001:db8::/32\n::1',
    );
    assert.equal(parseAllowedIpsInput(''), '');
    assert.throws(() => parseAllowedIpsInput('10.0.0.0/33'), /10\.0\.0\.0\/33/);
  });
});
