import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromLocalInput, toLocalInput } from './ui/format.js';

describe('page: the end of a date range (audit filter "to")', () => {
  test('a date alone includes that whole day, up to its last millisecond', () => {
    const end = toLocalInput('2026-12-01');
    assert.equal(end, new Date(2026, 11, 2).getTime() - 1);
    assert.ok((end ?? 0) > (fromLocalInput('2026-12-01T23:59') ?? Number.POSITIVE_INFINITY));
  });

  test('a date and time is exact; empty or invalid is no bound', () => {
    assert.equal(toLocalInput('2026-12-01T10:30'), new Date(2026, 11, 1, 10, 30).getTime());
    assert.equal(toLocalInput(''), undefined);
    assert.equal(toLocalInput('not a date'), undefined);
  });
});
