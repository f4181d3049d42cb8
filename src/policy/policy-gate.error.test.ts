import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TokenRecord } from '../store/models.js';
import { PolicyGate, PolicyStoreError } from './policy-gate.js';

const record = (fields: Partial<TokenRecord>): TokenRecord => ({
  id: 'tok',
  label: 'x',
  user: null,
  author: null,
  limitTo: '',
  digest: 'd',
  secretCiphertext: null,
  dateCreated: 0,
  validUntil: 0,
  counter: 0,
  ip: null,
  lastUsed: 0,
  ...fields,
});

describe('policy gate: failures', () => {
  const unreachable = {
    countRateWindow: () => Promise.reject(new Error('connect ECONNREFUSED')),
    useQuota: () => Promise.reject(new Error('connect ECONNREFUSED')),
  };

  test('a counter that fails refuses the call (PolicyStoreError), for a rate limit and for a quota', async () => {
    const gate = new PolicyGate({ counter: unreachable });
    await assert.rejects(gate.admit(record({ rateLimit: '5/second' }), 0), PolicyStoreError);
    await assert.rejects(gate.admit(record({ id: 'q', quota: 5 }), 0), PolicyStoreError);
  });

  test('a token without limits never touches the counter', () => {
    const gate = new PolicyGate({ counter: unreachable });
    assert.equal(gate.counted(record({})), false);
    assert.equal(gate.counted(record({ allowedIps: '10.0.0.1' })), false);
    assert.equal(gate.counted(record({ rateLimit: '1/day' })), true);
  });

  test('an allow list entry that does not parse allows nothing (fails closed)', () => {
    const gate = new PolicyGate({ counter: unreachable });
    const damaged = record({ allowedIps: 'not-an-address' });
    assert.match(gate.addressRefusal(damaged, '127.0.0.1') ?? '', /may not be used from 127\.0\.0\.1/);
    const v6 = record({ allowedIps: '2001:db8::/32\n10.1.0.0/16' });
    assert.equal(gate.addressRefusal(v6, '2001:db8::5'), null);
    assert.equal(gate.addressRefusal(v6, '10.1.2.3'), null);
    assert.notEqual(gate.addressRefusal(v6, '10.2.0.1'), null);
    assert.notEqual(gate.addressRefusal(v6, 'garbage'), null);
  });
});
