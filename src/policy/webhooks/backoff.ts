/**
 * Pause before the next attempt after `attempts` failed ones: `baseMs` doubled per attempt, at
 * most `maxMs`, with up to 20% random jitter so receivers coming back are not hit all at once.
 */
export function retryDelayMs(
  attempts: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1));
  const capped = Math.min(maxMs, exponential);
  return Math.round(capped * (0.8 + 0.2 * random()));
}
