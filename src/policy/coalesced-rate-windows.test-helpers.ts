import type { CountRateWindow } from './coalesced-rate-windows.js';

export const T0 = 1_800_000_000_000;

/** A counter whose statements are answered by the test, one at a time, over a plain tally. */
export function heldCounter() {
  const tallies = new Map<string, number>();
  const sent: { key: string; calls: number; answer: () => void; fail: (err: Error) => void }[] = [];
  const count: CountRateWindow = (key, windowMs, now, calls) =>
    new Promise<number>((resolve, reject) => {
      const id = `${key}@${Math.floor(now / windowMs)}`;
      sent.push({
        key,
        calls,
        answer: () => {
          const total = (tallies.get(id) ?? 0) + calls;
          tallies.set(id, total);
          resolve(total);
        },
        fail: reject,
      });
    });
  return { count, sent };
}

export const settled = () => new Promise((resolve) => setImmediate(resolve));
