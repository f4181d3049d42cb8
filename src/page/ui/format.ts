/** Formatting for the page: dates, expiry badges, restriction summaries. Pure functions. */

export const DAY_MS = 86_400_000;
/** "Expires soon" warning starts this many days ahead unless the server says otherwise (`me.expiringDays`). */
export const WARNING_DAYS = 7;

export type ExpiryKind = 'never' | 'ok' | 'warning' | 'expired';

export interface ExpiryBadge {
  readonly kind: ExpiryKind;
  /** Short words for the badge: `expired`, `expires in 3 days`, `never expires`. */
  readonly text: string;
  readonly daysLeft: number | null;
}

/**
 * The expiry badge of a token at `now`: `expired` once `validUntil` is reached, a warning when
 * it expires within `warningDays` days (the server's "expiring" filter uses the same bound), and
 * "expires in N days" (N rounded up) otherwise.
 *
 * @example
 * expiryBadge(now + 2.5 * DAY_MS, now) // { kind: 'warning', text: 'expires in 3 days', daysLeft: 3 }
 */
export function expiryBadge(validUntil: number, now: number, warningDays = WARNING_DAYS): ExpiryBadge {
  if (validUntil === 0) return { kind: 'never', text: 'never expires', daysLeft: null };
  if (now >= validUntil) return { kind: 'expired', text: 'expired', daysLeft: 0 };
  const days = Math.ceil((validUntil - now) / DAY_MS);
  return {
    kind: validUntil - now <= warningDays * DAY_MS ? 'warning' : 'ok',
    text: `expires in ${days} ${days === 1 ? 'day' : 'days'}`,
    daysLeft: days,
  };
}

/** The rules of a listed token, one per line (the list joins them with `<br>`). */
export function ruleLines(limitTo: string): string[] {
  return limitTo === '' ? [] : limitTo.split('<br>').filter((line) => line.trim() !== '');
}

/** Short words for a token's restrictions: `unrestricted`, `1 rule`, `3 rules`. */
export function restrictionsSummary(limitTo: string): string {
  const count = ruleLines(limitTo).length;
  if (count === 0) return 'unrestricted';
  return count === 1 ? '1 rule' : `${count} rules`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A time for people, in the browser's locale and time zone; `—` for 0. */
export function formatDateTime(ms: number): string {
  return ms === 0 ? '—' : dateTime.format(ms);
}

/** A date for people; `—` for 0. */
export function formatDate(ms: number): string {
  return ms === 0 ? '—' : dateOnly.format(ms);
}

/** How long ago, roughly: `just now`, `5 minutes ago`, `3 days ago`; `never` for 0. */
export function timeAgo(ms: number, now: number): string {
  if (ms === 0) return 'never';
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 45) return 'just now';
  const steps: [number, string][] = [
    [60, 'minute'],
    [3600, 'hour'],
    [86_400, 'day'],
    [30 * 86_400, 'month'],
    [365 * 86_400, 'year'],
  ];
  let unit = 'minute';
  let size = 60;
  for (const [length, name] of steps) {
    if (seconds >= length * 0.75) {
      unit = name;
      size = length;
    }
  }
  const count = Math.max(1, Math.round(seconds / size));
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}

/** `1 call`, `1,234 calls`. */
export function callCount(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'call' : 'calls'}`;
}

/**
 * The end of a range typed in local time: a date alone (`2024-05-01`, from a link or the address
 * bar) includes that whole day; a date and time is exact.
 */
export function toLocalInput(value: string): number | undefined {
  const start = fromLocalInput(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00` : value);
  if (start === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return start;
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return next.getTime() - 1;
}

/** Epoch ms of an `<input type="datetime-local">` value (local time), or undefined when empty or invalid. */
export function fromLocalInput(value: string): number | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** A server message as a sentence: capital first letter, final full stop. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const first = trimmed[0]?.toUpperCase() ?? '';
  const body = first + trimmed.slice(1);
  return /[.!?…]$/.test(body) ? body : `${body}.`;
}
