/**
 * An expiry chosen as a date: tokens are created with whole days (`daysUntilExpiry`), so a date
 * becomes the number of calendar days from today to it, and the token expires on that date at
 * the time of day it was created. Pure (the caller passes today).
 */

export type DateExpiry =
  | { readonly ok: true; readonly days: number }
  | { readonly ok: false; readonly message: string };

function calendarDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month, day) / 86_400_000;
}

/** `YYYY-MM-DD` of a local date (what `<input type="date">` reads and writes). */
export function dateInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The local date `days` days after `today`. */
export function dateAfter(today: Date, days: number): Date {
  return new Date(today.getFullYear(), today.getMonth(), today.getDate() + days, today.getHours(), today.getMinutes());
}

/**
 * Days from `today` (local) to the date `text` (`YYYY-MM-DD`), checked: the date must be after
 * today and within the server's maximum.
 *
 * @example
 * daysUntilDate('2026-12-11', new Date(2026, 11, 1, 9), null) // { ok: true, days: 10 }
 * daysUntilDate('2026-11-30', new Date(2026, 11, 1, 9), null) // { ok: false, message: 'That date is in the past…' }
 */
export function daysUntilDate(text: string, today: Date, maxDays: number | null): DateExpiry {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (match === null) return { ok: false, message: 'Choose the date on which the token expires.' };
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const chosen = new Date(year, month, day);
  if (chosen.getFullYear() !== year || chosen.getMonth() !== month || chosen.getDate() !== day)
    return { ok: false, message: 'That is not a date: choose one in the calendar.' };
  const days = calendarDay(year, month, day) - calendarDay(today.getFullYear(), today.getMonth(), today.getDate());
  if (days < 0) return { ok: false, message: 'That date is in the past: choose a date after today.' };
  if (days === 0) return { ok: false, message: 'A token lasts at least a day: choose a date after today.' };
  if (maxDays !== null && days > maxDays) {
    return {
      ok: false,
      message: `Tokens expire within ${maxDays} days on this server: the latest date is ${dateInputValue(dateAfter(today, maxDays))}.`,
    };
  }
  return { ok: true, days };
}
