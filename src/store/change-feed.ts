import type { FeedSignal, FeedSignalHandle } from './dialect-hooks.js';
import type { Change } from './models.js';
import type { ChangeFeedStatus, Unsubscribe } from './store.js';

/** How a {@link ChangeFeed} reads changes and learns that there are new ones. */
export interface ChangeFeedOptions {
  /** Changes with seq > `afterSeq`, oldest first, at most `limit`. */
  readonly read: (afterSeq: number, limit: number) => Promise<Change[]>;
  /** Cheap "anything new?" check; polls skip reading when it says no (and nothing woke the feed). */
  readonly hasNews?: () => Promise<boolean>;
  /** Push source started while someone listens (PostgreSQL LISTEN). */
  readonly signal?: FeedSignal;
  readonly pollMs: number;
  /** The sequence number already seen (changes up to it are not delivered). */
  readonly startSeq: number;
}

const BATCH = 1000;
const WARN_EVERY_MS = 60_000;

/**
 * Delivers every change to every listener, in seq order, by polling (plus an optional push
 * signal). Polling runs only while there are listeners; its timer never keeps the process alive.
 */
export class ChangeFeed {
  readonly #options: ChangeFeedOptions;
  readonly #listeners = new Set<(change: Change) => void>();
  #cursor: number;
  #timer: NodeJS.Timeout | undefined;
  #signal: FeedSignalHandle | undefined;
  /** The poll loop in progress (it loops again when woken meanwhile), or null. */
  #current: Promise<void> | null = null;
  #again = false;
  #woken = true;
  #closed = false;
  #lastWarning = 0;
  #lastOkAt = Date.now();
  #lastError: string | null = null;

  constructor(options: ChangeFeedOptions) {
    this.#options = options;
    this.#cursor = options.startSeq;
  }

  /** Adds a listener; the first one starts polling. */
  subscribe(listener: (change: Change) => void): Unsubscribe {
    if (this.#closed) return () => {};
    const wrapped = (change: Change): void => listener(change);
    this.#listeners.add(wrapped);
    if (this.#listeners.size === 1) this.#start();
    return () => {
      if (!this.#listeners.delete(wrapped)) return;
      if (this.#listeners.size === 0) void this.#stop();
    };
  }

  /** Reads new changes as soon as possible (after a local write, or on a push signal). */
  wake(): void {
    this.#woken = true;
    if (this.#listeners.size > 0) void this.#poll();
  }

  /**
   * Reads and delivers every change committed before this call, then resolves: after a local
   * write, so that this process's own caches have dropped what it changed before the write is
   * answered (a token deleted here is refused here at once). Never rejects: a failed read is
   * retried by the next poll.
   */
  catchUp(): Promise<void> {
    this.#woken = true;
    if (this.#listeners.size === 0) return Promise.resolve();
    return this.#poll();
  }

  /**
   * When the database last answered the feed. While someone listens the feed reads every
   * `pollMs`, so a `lastOkAt` older than a few polls means the database is not answering.
   */
  status(): ChangeFeedStatus {
    return { lastOkAt: this.#lastOkAt, lastError: this.#lastError };
  }

  /** Stops polling and the push source; later subscriptions are ignored. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    await this.#stop();
  }

  #start(): void {
    this.#woken = true;
    this.#timer = setInterval(() => void this.#poll(), this.#options.pollMs);
    this.#timer.unref();
    if (this.#options.signal !== undefined) this.#signal = this.#options.signal(() => this.wake());
    void this.#poll();
  }

  async #stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    const signal = this.#signal;
    this.#signal = undefined;
    await signal?.stop();
  }

  #poll(): Promise<void> {
    if (this.#current !== null) {
      // the loop in progress may have read before the caller's change: it reads once more
      this.#again = true;
      return this.#current;
    }
    this.#current = this.#pollLoop();
    return this.#current;
  }

  async #pollLoop(): Promise<void> {
    try {
      do {
        this.#again = false;
        await this.#readAll();
      } while (this.#again && this.#listeners.size > 0);
      this.#lastOkAt = Date.now();
      this.#lastError = null;
    } catch (err) {
      this.#woken = true; // read again on the next tick
      this.#lastError = err instanceof Error ? err.message : String(err);
      this.#warn(err);
    } finally {
      this.#current = null;
    }
  }

  async #readAll(): Promise<void> {
    const woken = this.#woken;
    this.#woken = false;
    const news = this.#options.hasNews === undefined ? true : await this.#options.hasNews();
    if (!news && !woken) return;
    for (;;) {
      if (this.#listeners.size === 0) return;
      const changes = await this.#options.read(this.#cursor, BATCH);
      for (const change of changes) {
        if (change.seq <= this.#cursor) continue;
        this.#cursor = change.seq;
        for (const listener of [...this.#listeners]) {
          try {
            listener(change);
          } catch (err) {
            this.#warn(err);
          }
        }
      }
      if (changes.length < BATCH) return;
    }
  }

  #warn(err: unknown): void {
    if (this.#closed) return;
    const now = Date.now();
    if (now - this.#lastWarning < WARN_EVERY_MS) return;
    this.#lastWarning = now;
    const message = err instanceof Error ? err.message : String(err);
    process.emitWarning(`tokengate change feed: ${message}`, { code: 'TOKENGATE_CHANGE_FEED' });
  }
}
