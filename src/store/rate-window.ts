/**
 * Start of the fixed rate-limit window of `windowMs` that contains `now` (windows start at
 * multiples of their length, UTC): the one rule every counter and the gate's headers share.
 */
export function windowStart(windowMs: number, now: number): number {
  const size = Math.max(1, Math.floor(windowMs));
  return Math.floor(now / size) * size;
}
