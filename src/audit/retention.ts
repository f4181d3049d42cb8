import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { describeError, type Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  readonly store: Pick<Store, 'pruneAudit'> & Partial<Pick<Store, 'pruneAuditOverflow'>>;
  /**
   * Most records kept (`config.audit.maxRows`; 0 = no bound). The audit writer keeps to it as it
   * writes; each run also prunes what is over it (e.g. after the bound was lowered), oldest first.
   */
  readonly maxRows?: number;
  /** Records older than this many days are deleted (`config.audit.retentionDays`); ≤ 0 keeps everything. */
  readonly retentionDays: number;
  readonly now?: () => number;
  /** Pause between two pruning runs, ms. Default one hour. */
  readonly intervalMs?: number;
  /** Records deleted per step; the event loop runs between steps. Default 1000. */
  readonly batchSize?: number;
  /** Delay before the first run (lets the server start first), ms. Default 10 s. */
  readonly initialDelayMs?: number;
  readonly log?: Logger;
  /** Called after each run with the number of records deleted (metrics, tests). */
  readonly onRun?: (deleted: number) => void;
}

/** Stops the background pruning; resolves once a run in progress has finished its current step. */
export type StopRetention = () => Promise<void>;

/**
 * Prunes audit records older than `retentionDays` in the background: every `intervalMs` (timer
 * unref'ed), deletes `batchSize` records at a time, yielding to the event loop (setImmediate)
 * between steps so requests are never blocked, until none older is left. Store errors are logged
 * and retried at the next run. Several nodes may prune at once: the deletes are idempotent.
 *
 * @example
 * const stopRetention = startRetention({ store, retentionDays: config.audit.retentionDays, log });
 * // at shutdown:
 * await stopRetention();
 */
export function startRetention(options: RetentionOptions): StopRetention {
  const { store, log } = options;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 60 * 60 * 1000;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000));
  const retentionMs = options.retentionDays * DAY_MS;

  const maxRows = options.maxRows ?? 0;
  const byAge = retentionMs > 0 && Number.isFinite(retentionMs);
  if (!byAge && !(maxRows > 0 && store.pruneAuditOverflow !== undefined)) {
    log?.info('audit retention: disabled (records are kept forever)', { retentionDays: options.retentionDays });
    return async () => {};
  }

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const runOnce = async (): Promise<void> => {
    const before = now() - retentionMs;
    let deleted = 0;
    try {
      for (;;) {
        if (stopped || !byAge) break;
        const n = await store.pruneAudit(before, batchSize);
        deleted += n;
        if (n < batchSize) break;
        await yieldToEventLoop();
      }
      if (deleted > 0) log?.info('audit retention: pruned old records', { deleted, before });
      let overflow = 0;
      for (;;) {
        if (stopped || !(maxRows > 0) || store.pruneAuditOverflow === undefined) break;
        const n = await store.pruneAuditOverflow(maxRows, batchSize);
        overflow += n;
        if (n < batchSize) break;
        await yieldToEventLoop();
      }
      if (overflow > 0) {
        log?.warn('audit retention: the audit log was over audit.maxRows; the oldest records were deleted', {
          deleted: overflow,
          maxRows,
        });
      }
      deleted += overflow;
    } catch (err) {
      log?.warn('audit retention: pruning failed; will retry', describeError(err));
    }
    options.onRun?.(deleted);
  };

  const schedule = (delay: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = runOnce().finally(() => {
        running = null;
        schedule(intervalMs);
      });
    }, delay);
    timer.unref();
  };

  schedule(Math.max(0, options.initialDelayMs ?? 10_000));

  return async () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (running !== null) await running;
  };
}
