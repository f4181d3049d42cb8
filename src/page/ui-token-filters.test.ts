import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { filtersOf, searchOf } from './ui/token-filters.js';

describe('page: token list filters in the address', () => {
  test('defaults make an empty query, and every filter survives a round trip', () => {
    assert.equal(searchOf(filtersOf('')), '');
    const filters = {
      search: 'ci deploy',
      sort: 'expiry',
      descending: true,
      expiry: 'expiring',
      startAt: 50,
      pageSize: 50,
    } as const;
    const search = searchOf(filters);
    assert.equal(search, '?q=ci+deploy&sort=expiry&dir=desc&expiry=expiring&startAt=50&maxResults=50');
    assert.deepEqual(filtersOf(search), filters);
  });

  test('a sort alone takes its usual direction; junk falls back to the defaults', () => {
    assert.equal(filtersOf('?sort=label').descending, false);
    assert.equal(filtersOf('?sort=calls').descending, true);
    assert.deepEqual(filtersOf('?sort=secret&dir=up&expiry=soon&startAt=-4&maxResults=7'), filtersOf(''));
  });
});
