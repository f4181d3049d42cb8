/** Counts calls in a rate-limit window: adds `calls` and answers the window's count after them. */
export type CountRateWindow = (key: string, windowMs: number, now: number, calls: number) => Promise<number>;

interface Waiter {
  readonly resolve: (count: number) => void;
  readonly reject: (err: unknown) => void;
}

interface Window {
  /** The counter's `now` for the next statement (the first waiting call's). */
  now: number;
  waiting: Waiter[];
  inFlight: boolean;
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
  readonly #windows = new Map<string, Window>();

  constructor(count: CountRateWindow) {
    this.#count = count;
  }

  /** The count of this call in the window of `windowMs` holding `now`, for `key`. */
  countRateWindow = (key: string, windowMs: number, now: number): Promise<number> => {
    const start = Math.floor(now / windowMs) * windowMs;
    // NUL cannot occur in a token key: the three parts cannot run into each other
    const id = `${key}\u0000${windowMs}\u0000${start}`;
    let window = this.#windows.get(id);
    if (window === undefined) {
      window = { now, waiting: [], inFlight: false };
      this.#windows.set(id, window);
    }
    if (window.waiting.length === 0) window.now = now;
    const promise = new Promise<number>((resolve, reject) => window.waiting.push({ resolve, reject }));
    if (!window.inFlight) this.#send(id, key, windowMs, window);
    return promise;
  };

  #send(id: string, key: string, windowMs: number, window: Window): void {
    const batch = window.waiting;
    window.waiting = [];
    window.inFlight = true;
    const settle = (): void => {
      window.inFlight = false;
      if (window.waiting.length > 0) this.#send(id, key, windowMs, window);
      else this.#windows.delete(id);
    };
    let sent: Promise<number>;
    try {
      sent = this.#count(key, windowMs, window.now, batch.length);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(
      (total) => {
        const first = total - batch.length + 1;
        for (const [i, waiter] of batch.entries()) waiter.resolve(first + i);
        settle();
      },
      (err: unknown) => {
        for (const waiter of batch) waiter.reject(err);
        settle();
      },
    );
  }
}
