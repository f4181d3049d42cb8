/** Days ahead at which the page calls a token "expiring" when nothing else is configured. */
export const DEFAULT_EXPIRING_DAYS = 7;

/**
 * How many days ahead the page marks and filters tokens as expiring: the largest of the
 * configured warning days (`webhooks.expiringDays`, whose events warn at those days before the
 * expiry), so every token a warning was sent for is marked; {@link DEFAULT_EXPIRING_DAYS}
 * when none are configured.
 *
 * @example
 * expiringDaysOf([7, 1]) // 7
 * expiringDaysOf(undefined) // 7
 */
export function expiringDaysOf(configured: readonly number[] | number | undefined): number {
  const days = (typeof configured === 'number' ? [configured] : (configured ?? [])).filter(
    (d) => Number.isFinite(d) && d > 0,
  );
  return days.length === 0 ? DEFAULT_EXPIRING_DAYS : Math.max(...days);
}
