import { windowStart } from '../store/rate-window.js';

/** Counts calls in a rate-limit window: adds `calls` and answers the window's count after them. */
export type CountRateWindow = (key: string, windowMs: number, now: number, calls: number) => Promise<number>;

/** A call waiting for its count. */
interface Waiter {
  readonly now: number;
  readonly resolve: (count: number) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * One counting statement at a time per token window: a call counted while the window's statement
 * is on its way waits for the next one, which adds every waiting call at once (`count + n`) and
 * gives them the counts `total - n + 1 … total` in the order they came, exactly as one statement
 * each would have. Under load a window costs one database (or Redis) round trip per batch instead
 * of one per call; a lone call is sent at once, as before. Every other node's calls interleave
 * atomically between batches, so the count stays exact across nodes. A failed statement fails
 * each call of its batch (the gate refuses them: fail closed); the next batch tries again.
 */
export class CoalescedRateWindows {
  readonly #count: CountRateWindow;
  /** The calls waiting for the next statement of each window whose statement is on its way. */
  readonly #waiting = new Map<string, Waiter[]>();

  constructor(count: CountRateWindow) {
    this.#count = count;
  }

  /** The count of this call in the window of `windowMs` holding `now`, for `key`. */
  countRateWindow = (key: string, windowMs: number, now: number): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      // NUL cannot occur in a token key: the three parts cannot run into each other
      const id = `${key}\u0000${windowMs}\u0000${windowStart(windowMs, now)}`;
      const waiter = { now, resolve, reject };
      const waiting = this.#waiting.get(id);
      if (waiting !== undefined) {
        waiting.push(waiter);
        return;
      }
      this.#waiting.set(id, []);
      this.#send(id, key, windowMs, now, [waiter]);
    });

  /** Counts `batch` at `now` (its first call's), then sends the calls that waited meanwhile. */
  #send(id: string, key: string, windowMs: number, now: number, batch: readonly Waiter[]): void {
    const next = (): void => {
      const waiting = this.#waiting.get(id) ?? [];
      const first = waiting[0];
      if (first === undefined) {
        this.#waiting.delete(id);
        return;
      }
      this.#waiting.set(id, []);
      this.#send(id, key, windowMs, first.now, waiting);
    };
    let sent: Promise<number>;
    try {
      sent = this.#count(key, windowMs, now, batch.length);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(
      (total) => {
        const first = total - batch.length + 1;
        for (const [i, waiter] of batch.entries()) waiter.resolve(first + i);
        next();
      },
      (err: unknown) => {
        for (const waiter of batch) waiter.reject(err);
        next();
      },
    );
  }
}
