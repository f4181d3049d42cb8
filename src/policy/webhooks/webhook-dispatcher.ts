import type { WebhookReceiver, WebhooksConfig } from '../../config/webhook-config.js';
import { describeError, type Logger } from '../../log/logger.js';
import type { ClaimedDelivery, NewWebhookEvent, TokenRecord } from '../../store/models.js';
import type { Store } from '../../store/store.js';
import { AddressWatch } from './address-watch.js';
import { retryDelayMs } from './backoff.js';
import { DAY_MS, EXPIRED_LOOKBACK_MS, scanExpiries } from './expiry-scan.js';
import { loggableUrl, postEvent } from './post-event.js';
import { tokenEvent } from './token-event.js';

/** Deliveries claimed per round (delivered in parallel). */
const CLAIM_BATCH = 20;
/** Outbox events looked at per receiver and round. */
const FAN_OUT_BATCH = 500;
/** A receiver new to the database gets the events of the last hour, not the whole outbox. */
const NEW_RECEIVER_LOOKBACK_MS = 60 * 60_000;
/** How often delivered and settled outbox rows are pruned. */
const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 1000;
/** At most one "delivery failed" warning per receiver in this time (the count is in the line). */
const FAILURE_WARN_EVERY_MS = 60_000;

export interface WebhookDispatcherDeps {
  readonly store: Store;
  readonly config: WebhooksConfig;
  readonly nodeId: string;
  readonly now: () => number;
  readonly log: Logger;
}

/**
 * The background side of token events on one node: records new client addresses, scans for expiring and expired tokens, and delivers the outbox
 * to this node's receivers. Every node runs one; the outbox and its leases make each delivery
 * one node's. Nothing here runs on a token call: the address watch only notes in
 * memory (`token.quota_exhausted` is written with the call's quota count, see
 * {@link quotaExhaustedEvent}).
 *
 * @example
 * const webhooks = new WebhookDispatcher({ store, config: config.webhooks, nodeId, now, log });
 * webhooks.start();
 * // on shutdown:
 * await webhooks.stop();
 */
/** What {@link WebhookDispatcher.stats} counts. */
export interface WebhookStats {
  readonly delivered: number;
  readonly failed: number;
  readonly givenUp: number;
  readonly dropped: number;
}

export class WebhookDispatcher {
  readonly #deps: WebhookDispatcherDeps;
  readonly #receivers: ReadonlyMap<string, WebhookReceiver>;
  readonly addresses: AddressWatch;
  readonly #stop = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #nextScan = 0;
  #nextPrune = 0;
  #stopped = false;
  readonly #failures = new Map<string, { count: number; warnedAt: number }>();
  readonly #stats = { delivered: 0, failed: 0, givenUp: 0 };

  constructor(deps: WebhookDispatcherDeps) {
    this.#deps = deps;
    this.#receivers = new Map(deps.config.receivers.map((r) => [r.url, r]));
    this.addresses = new AddressWatch(deps.store, deps.now);
  }

  /** Starts the loop (one round now, then every `pollMs`). */
  start(): void {
    if (this.#stopped || this.#timer !== null || this.#running !== null) return;
    this.#schedule(0);
  }

  /**
   * Counters of this node since it started, for the metrics: deliveries answered 2xx, failed
   * attempts (retried), deliveries given up, and new-address pairs not noted because the
   * in-memory set of pairs waiting was full.
   */
  stats(): Readonly<WebhookStats> {
    return { ...this.#stats, dropped: this.addresses.dropped() };
  }

  /** Stops the loop: aborts attempts under way (they are retried, by this node or another), records the addresses noted. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#stop.abort();
    await this.#running;
    await this.addresses.flush().catch(() => undefined);
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#round()
        .catch((err: unknown) => this.#deps.log.warn('webhook round failed; retried', describeError(err)))
        .finally(() => {
          this.#running = null;
          if (!this.#stopped) this.#schedule(this.#deps.config.pollMs);
        });
    }, ms);
    this.#timer.unref();
  }

  async #round(): Promise<void> {
    const { store, config } = this.#deps;
    await this.addresses.flush();
    const now = this.#deps.now();
    if (now >= this.#nextScan) {
      await scanExpiries(store, config.expiringDays, now);
      this.#nextScan = now + config.scanMs;
    }
    if (now >= this.#nextPrune) {
      await store.pruneWebhookOutbox(now - this.#retentionMs(), PRUNE_BATCH);
      this.#nextPrune = now + PRUNE_EVERY_MS;
    }
    if (this.#receivers.size === 0) return;
    for (const receiver of this.#receivers.values()) {
      await store.fanOutWebhookEvents(
        receiver.url,
        receiver.events,
        now,
        now - NEW_RECEIVER_LOOKBACK_MS,
        FAN_OUT_BATCH,
      );
    }
    // delivered in rounds until nothing is due (or the loop stops)
    while (!this.#stopped) {
      const claimed = await store.claimWebhookDeliveries(
        [...this.#receivers.keys()],
        this.#deps.nodeId,
        this.#deps.now(),
        config.timeoutMs + 30_000,
        CLAIM_BATCH,
      );
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((delivery) => this.#deliver(delivery)));
      if (claimed.length < CLAIM_BATCH) return;
    }
  }

  async #deliver(delivery: ClaimedDelivery): Promise<void> {
    const { store, config, log, nodeId } = this.#deps;
    const receiver = this.#receivers.get(delivery.receiver);
    if (receiver === undefined) return;
    const result = await postEvent(delivery, receiver.secret, config.timeoutMs, this.#stop.signal);
    const now = this.#deps.now();
    if (result.ok) {
      this.#stats.delivered += 1;
      this.#failures.delete(receiver.url);
      log.debug('webhook delivered', { receiver: loggableUrl(receiver.url), event: delivery.type });
      await store.finishWebhookDelivery(delivery.id, nodeId, { delivered: true }, now);
      return;
    }
    const stopped = this.#stop.signal.aborted;
    // an attempt cut short by shutdown does not count: another node (or this one, restarted) retries at once
    const giveUp = !stopped && delivery.attempts >= config.maxAttempts;
    const retryAt = giveUp
      ? null
      : stopped
        ? now
        : now + retryDelayMs(delivery.attempts, config.retryBaseMs, config.retryMaxMs);
    await store.finishWebhookDelivery(delivery.id, nodeId, { delivered: false, error: result.error, retryAt }, now);
    const fields = {
      receiver: loggableUrl(receiver.url),
      event: delivery.type,
      attempts: delivery.attempts,
      error: result.error,
    };
    if (!stopped) this.#stats.failed += 1;
    if (giveUp) {
      this.#stats.givenUp += 1;
      log.error('webhook delivery given up after the last attempt', fields);
      return;
    }
    if (stopped) return;
    const failures = this.#failures.get(receiver.url) ?? { count: 0, warnedAt: Number.NEGATIVE_INFINITY };
    failures.count += 1;
    if (now - failures.warnedAt >= FAILURE_WARN_EVERY_MS) {
      log.warn('webhook delivery failed; retried with backoff', {
        ...fields,
        failuresSinceLastWarning: failures.count,
      });
      failures.count = 0;
      failures.warnedAt = now;
    }
    this.#failures.set(receiver.url, failures);
  }

  /** Outbox rows older than this are pruned: past every expiry mark and the expired look-back, so the scan never finds them again. */
  #retentionMs(): number {
    const longestMark = Math.max(0, ...this.#deps.config.expiringDays) * DAY_MS;
    return Math.max(longestMark, EXPIRED_LOOKBACK_MS) + DAY_MS;
  }
}

/** The `token.quota_exhausted` event of `record` (one per token: its key is the token's). */
export function quotaExhaustedEvent(record: TokenRecord, now: number): NewWebhookEvent {
  return tokenEvent(
    'token.quota_exhausted',
    record,
    now,
    { quota: record.quota ?? null },
    `${record.id}|token.quota_exhausted`,
  );
}
