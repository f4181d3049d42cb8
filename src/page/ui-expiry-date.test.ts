import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dateAfter, dateInputValue, daysUntilDate } from './ui/expiry-date.js';

describe('page: expiry chosen as a date', () => {
  const today = new Date(2026, 11, 1, 9, 30); // 1 December 2026, 09:30 local

  test('a later date is the number of calendar days to it, whatever the time of day', () => {
    assert.deepEqual(daysUntilDate('2026-12-02', today, null), { ok: true, days: 1 });
    assert.deepEqual(daysUntilDate('2027-01-01', today, null), { ok: true, days: 31 });
    assert.deepEqual(daysUntilDate('2026-12-02', new Date(2026, 11, 1, 23, 59), null), { ok: true, days: 1 });
    assert.equal(dateInputValue(dateAfter(today, 31)), '2027-01-01');
  });

  test('today, a past date, a non-date and a date beyond the maximum are refused in words', () => {
    assert.match(refusal('2026-11-30', null), /in the past/);
    assert.match(refusal('2026-12-01', null), /at least a day/);
    assert.match(refusal('', null), /Choose the date/);
    assert.match(refusal('2026-02-30', null), /not a date/);
    assert.equal(
      refusal('2027-01-01', 30),
      'Tokens expire within 30 days on this server: the latest date is 2026-12-31.',
    );
    assert.deepEqual(daysUntilDate('2026-12-31', today, 30), { ok: true, days: 30 });
  });

  function refusal(text: string, max: number | null): string {
    const result = daysUntilDate(text, today, max);
    assert.equal(result.ok, false, text);
    return result.ok ? '' : result.message;
  }
});
