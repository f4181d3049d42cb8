import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clientAddress } from './client-address.js';

describe('clientAddress', () => {
  test('without trusted hops: the socket address, X-Forwarded-For ignored', () => {
    assert.equal(clientAddress('203.0.113.7', '1.2.3.4', 0), '203.0.113.7');
    assert.equal(clientAddress('::ffff:203.0.113.7', undefined, 0), '203.0.113.7');
    assert.equal(clientAddress('::FFFF:10.0.0.1', undefined, 0), '10.0.0.1');
    assert.equal(clientAddress('2001:db8::1', undefined, 0), '2001:db8::1');
    assert.equal(clientAddress('::1', undefined, 0), '::1');
    assert.equal(clientAddress(undefined, undefined, 0), '');
  });

  test('with N trusted hops: the Nth entry from the right', () => {
    const xff = 'spoofed.example, 198.51.100.1, 203.0.113.7, 10.0.0.9';
    assert.equal(clientAddress('10.0.0.1', xff, 1), '10.0.0.9');
    assert.equal(clientAddress('10.0.0.1', xff, 2), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.1', xff, 3), '198.51.100.1');
  });

  test('several header lines are joined in order', () => {
    assert.equal(clientAddress('10.0.0.1', ['198.51.100.1, 203.0.113.7', '10.0.0.9'], 2), '203.0.113.7');
  });

  test('fewer entries than hops: the left-most', () => {
    assert.equal(clientAddress('10.0.0.1', '203.0.113.7', 3), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.1', ' , 203.0.113.7 ,', 3), '203.0.113.7');
  });

  test('not an IP address: the socket address', () => {
    assert.equal(clientAddress('10.0.0.1', 'unknown', 1), '10.0.0.1');
    assert.equal(clientAddress('10.0.0.1', '<script>', 1), '10.0.0.1');
    assert.equal(clientAddress('::ffff:10.0.0.1', '', 1), '10.0.0.1');
    assert.equal(clientAddress('10.0.0.1', ' , ', 1), '10.0.0.1');
  });

  test('ports and brackets are removed, IPv4-mapped entries reported as IPv4', () => {
    assert.equal(clientAddress('10.0.0.1', '203.0.113.7:5678', 1), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.1', '[2001:db8::7]:443', 1), '2001:db8::7');
    assert.equal(clientAddress('10.0.0.1', '2001:db8::7', 1), '2001:db8::7');
    assert.equal(clientAddress('10.0.0.1', '::ffff:203.0.113.7', 1), '203.0.113.7');
  });
});
