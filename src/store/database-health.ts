import type { ChangeFeedStatus } from './store.js';

export type DatabaseState = 'up' | 'degraded' | 'down';

export interface DatabaseHealthOptions {
  /** The store's change-feed status (`() => store.changeFeedStatus()`). */
  readonly status: () => ChangeFeedStatus;
  /** How long cached, still-valid tokens keep working after the database stops answering, ms. */
  readonly graceMs: number;
  /** Clock in ms; must be the clock of `status().lastOkAt` (Date.now). */
  readonly now?: () => number;
}

/**
 * A read that has not succeeded for this long counts as an outage even without an error
 * (a query that hangs). The feed reads every second or faster, so 10 s is well clear of normal.
 */
const SILENT_OUTAGE_MS = 10_000;

/**
 * Whether the database answers, judged by the change feed (which reads it every poll
 * interval): `up`; `degraded` (not answering, within the grace period: cached, still-valid
 * tokens keep working, everything that needs the database fails with 503); `down` (past the
 * grace period: every token call fails closed with 503, because deletions made meanwhile could
 * not reach this node).
 *
 * @example
 * const health = new DatabaseHealth({ status: () => store.changeFeedStatus(), graceMs: 60_000 });
 * if (health.state() === 'down') return send503(health.refusal());
 */
export class DatabaseHealth {
  readonly #status: () => ChangeFeedStatus;
  readonly #graceMs: number;
  readonly #now: () => number;

  constructor(options: DatabaseHealthOptions) {
    this.#status = options.status;
    this.#graceMs = options.graceMs;
    this.#now = options.now ?? Date.now;
  }

  state(): DatabaseState {
    const status = this.#status();
    const silentMs = this.#now() - status.lastOkAt;
    if (status.lastError === null && silentMs < SILENT_OUTAGE_MS) return 'up';
    return silentMs > this.#graceMs ? 'down' : 'degraded';
  }

  /** Milliseconds since the database last answered the change feed. */
  silentMs(): number {
    return Math.max(0, this.#now() - this.#status().lastOkAt);
  }

  /** The 503 message for token calls past the grace period, or null while they may go on. */
  refusal(): string | null {
    if (this.state() !== 'down') return null;
    return `the database has not answered for ${Math.round(this.silentMs() / 1000)} s (longer than the ${Math.round(
      this.#graceMs / 1000,
    )} s grace period); token calls are refused until it is back`;
  }
}
