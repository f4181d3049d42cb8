/** Milliseconds in one day of `daysUntilExpiry`. */
export const DAY_MS = 86_400_000;

/** `validUntil` for a token made at `now` that expires after `days` days; 0 (never) when `days` is 0. */
export function validUntilFor(now: number, days: number): number {
  return days === 0 ? 0 : now + days * DAY_MS;
}

/** True from the moment `validUntil` is reached; a `validUntil` of 0 never expires. */
export function isExpired(token: { readonly validUntil: number }, now: number): boolean {
  return token.validUntil > 0 && now >= token.validUntil;
}
