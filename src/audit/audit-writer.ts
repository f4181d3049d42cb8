import { describeError, type Logger } from '../log/logger.js';
import type { AuditRecord, UsageDelta } from '../store/models.js';
import type { AuditInsertOptions, AuditInsertResult, Store } from '../store/store.js';

/** What the writer needs from the store (`insertAudit` may say nothing of pruning: then none). */
export interface AuditWriterStore extends Pick<Store, 'addUsage'> {
  insertAudit(records: readonly AuditRecord[], options?: AuditInsertOptions): Promise<AuditInsertResult | unknown>;
}

/** Records the store deleted to keep within maxRows (0 when it said nothing). */
function prunedBy(result: unknown): number {
  const pruned = typeof result === 'object' && result !== null ? (result as Partial<AuditInsertResult>).pruned : 0;
  return typeof pruned === 'number' && pruned > 0 ? pruned : 0;
}

/** Most often the "pruned early" log line is written, ms (the count is summed in between). */
const PRUNE_LOG_EVERY_MS = 60_000;

export interface AuditWriterOptions {
  readonly store: AuditWriterStore;
  /** Batch window in ms (`config.audit.batchMs`): the most a crash can lose. Default 100. */
  readonly batchMs?: number;
  /** Most records waiting to be written (`config.audit.queueSize`). Default 50000. */
  readonly queueSize?: number;
  /** Full queue: `reject` (enqueue returns false → 503, default) or `drop` (counted). */
  readonly onFull?: 'reject' | 'drop';
  readonly log?: Logger;
  /** Most records per `insertAudit` call; a flush writes as many calls as needed. Default 1000. */
  readonly maxBatch?: number;
  /** Longest pause between retries after store errors, ms. Default 5000. */
  readonly retryMaxMs?: number;
  /**
   * Most records kept (`config.audit.maxRows`): each batch deletes, in its own transaction, the
   * oldest records beyond it — before their age would — counted in `prunedEarly` and logged
   * (at most once a minute). 0 or absent: no size bound.
   */
  readonly maxRows?: number;
}

/** Counters for metrics. */
export interface AuditWriterStats {
  /** Records waiting (including the batch being written). */
  readonly depth: number;
  /** Records dropped because the queue was full (`onFull: 'drop'` only). */
  readonly dropped: number;
  /** Records written to the store. */
  readonly written: number;
  /** Store calls (insertAudit or addUsage) that failed and will be retried. */
  readonly failedWrites: number;
  /** Records refused by `enqueue` (queue full under `reject`, or writer drained). */
  readonly rejected: number;
  /** Records deleted because the audit log was over `maxRows` (before their age). */
  readonly prunedEarly: number;
}

interface UsageAccumulator {
  calls: number;
  lastUsed: number;
  ip: string;
}

interface RoomWaiter {
  readonly resolve: (room: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

const DEFAULT_BATCH_MS = 100;
const DEFAULT_QUEUE_SIZE = 50_000;
const DEFAULT_MAX_BATCH = 1000;
const DEFAULT_RETRY_MAX_MS = 5000;
/** At most one "dropping records" warning per this many ms. */
const DROP_WARN_INTERVAL_MS = 10_000;

const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };

/**
 * Writes audit records and usage details in batches, off the request path.
 *
 * The hot path only calls the synchronous `enqueue` / `countUsage` (no await, never throws). A
 * timer (armed when there is something to write, unref'ed) writes everything queued every
 * `batchMs`: records through `store.insertAudit` in chunks of `maxBatch` (one transaction each;
 * SQLite writes synchronously, so the event loop gets a turn between chunks), then usage details
 * through `store.addUsage` as aggregated increments (calls summed, `lastUsed` the latest, `ip` of
 * the latest call). A failed store call is retried with exponential backoff (up to
 * `retryMaxMs`) and nothing is lost: records stay queued and keep counting against the bound;
 * usage increments are merged back. While the store is down the queue fills up and, under
 * `reject`, token calls get 503 (fail closed).
 *
 * @example
 * const writer = new AuditWriter({ store, batchMs: config.audit.batchMs, queueSize: config.audit.queueSize,
 *   onFull: config.audit.onFull, log });
 * if (!writer.hasRoom() && !(await writer.waitForRoom(250))) return send503();
 * writer.enqueue(build(input));
 * writer.countUsage(token.id, clientIp, now);
 * // on SIGTERM:
 * await writer.drain(10_000);
 */
export class AuditWriter {
  readonly #store: AuditWriterStore;
  readonly #batchMs: number;
  readonly #queueSize: number;
  readonly #onFull: 'reject' | 'drop';
  readonly #log: Logger;
  readonly #maxBatch: number;
  readonly #retryMaxMs: number;
  readonly #insertOptions: AuditInsertOptions;
  #pruned = 0;
  #prunedSinceLog = 0;
  #prunedLoggedAt = Number.NEGATIVE_INFINITY;
  /** `hasRoom` is false from this depth on (new calls wait); `enqueue` refuses from `#queueSize`. */
  readonly #highWater: number;

  /** Queue: `#items[#head …]`; the head is advanced after a successful write. */
  #items: AuditRecord[] = [];
  #head = 0;
  #usage = new Map<string, UsageAccumulator>();
  #waiters: RoomWaiter[] = [];

  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  /** Consecutive failed flushes (drives the backoff). */
  #failures = 0;
  #closed = false;

  #dropped = 0;
  #rejected = 0;
  #written = 0;
  #failedWrites = 0;
  #lastDropWarning = 0;

  constructor(options: AuditWriterOptions) {
    this.#store = options.store;
    this.#batchMs = positive(options.batchMs, DEFAULT_BATCH_MS);
    this.#queueSize = positive(options.queueSize, DEFAULT_QUEUE_SIZE);
    this.#onFull = options.onFull ?? 'reject';
    this.#log = options.log ?? silentLogger;
    this.#maxBatch = positive(options.maxBatch, DEFAULT_MAX_BATCH);
    this.#retryMaxMs = positive(options.retryMaxMs, DEFAULT_RETRY_MAX_MS);
    const maxRows = options.maxRows ?? 0;
    this.#insertOptions = maxRows > 0 ? { maxRows } : {};
    this.#highWater = this.#queueSize - Math.min(1000, Math.floor(this.#queueSize / 10));
  }

  /** Records waiting, including the batch being written. */
  get depth(): number {
    return this.#items.length - this.#head;
  }

  /**
   * Queues one record (synchronous, never throws). Returns false when the queue is full under
   * `reject` (or the writer was drained); the caller must then refuse the call. Under `drop`
   * a record that does not fit is counted in `dropped` and true is returned.
   */
  enqueue(record: AuditRecord): boolean {
    if (this.#closed || this.depth >= this.#queueSize) {
      if (this.#onFull === 'reject') {
        this.#rejected += 1;
        return false;
      }
      this.#drop();
      return true;
    }
    this.#items.push(record);
    this.#schedule();
    return true;
  }

  /**
   * Counts one successful call of `tokenId` for usage details (synchronous, never throws).
   * Aggregated per batch into one `UsageDelta` per token.
   */
  countUsage(tokenId: string, ip: string, time: number): void {
    const current = this.#usage.get(tokenId);
    if (current === undefined) {
      this.#usage.set(tokenId, { calls: 1, lastUsed: time, ip });
    } else {
      current.calls += 1;
      if (time >= current.lastUsed) {
        current.lastUsed = time;
        current.ip = ip;
      }
    }
    this.#schedule();
  }

  /**
   * True when a new token call may start: the queue is below its high-water mark
   * (`queueSize` minus a headroom of 10%, at most 1000), so that records of calls already
   * under way still fit. Always true under `drop`, where a full queue drops and counts.
   */
  hasRoom(): boolean {
    return this.#onFull === 'drop' || (!this.#closed && this.depth < this.#highWater);
  }

  /**
   * Resolves true as soon as there is room again, false after `timeoutMs` (the gateway then
   * answers 503). Never rejects.
   */
  waitForRoom(timeoutMs: number): Promise<boolean> {
    if (this.hasRoom()) return Promise.resolve(true);
    if (this.#closed) return Promise.resolve(false);
    this.#flushSoon();
    return new Promise<boolean>((resolve) => {
      const waiter: RoomWaiter = {
        resolve,
        timer: setTimeout(
          () => {
            this.#waiters = this.#waiters.filter((w) => w !== waiter);
            resolve(false);
          },
          Math.max(0, timeoutMs),
        ),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Counters for metrics. */
  stats(): AuditWriterStats {
    return {
      depth: this.depth,
      dropped: this.#dropped,
      written: this.#written,
      failedWrites: this.#failedWrites,
      rejected: this.#rejected,
      prunedEarly: this.#pruned,
    };
  }

  /**
   * Writes everything queued (records and usage), retrying store errors, for at most
   * `timeoutMs`. Afterwards the writer accepts nothing more (`enqueue` returns false under
   * `reject`). Resolves true when nothing is left, false when the time ran out.
   *
   * @example
   * process.once('SIGTERM', async () => { server.close(); await writer.drain(10_000); process.exit(0); });
   */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    this.#cancelTimer();
    try {
      while (this.#hasWork()) {
        // a store call that hangs must not hold the shutdown past the deadline
        if (!(await beforeDeadline(this.#flush(), deadline))) break;
        if (!this.#hasWork()) break;
        const left = deadline - Date.now();
        if (left <= 0) break;
        // the last flush failed: back off as usual, but not past the deadline
        await sleep(Math.min(this.#backoffMs(), left));
      }
    } finally {
      this.#closed = true;
      this.#cancelTimer();
      this.#wakeWaiters();
    }
    if (this.#hasWork()) {
      this.#log.error('audit writer: records left unwritten at shutdown', {
        records: this.depth,
        usageTokens: this.#usage.size,
      });
      return false;
    }
    return true;
  }

  #hasWork(): boolean {
    return this.depth > 0 || this.#usage.size > 0;
  }

  #drop(): void {
    this.#dropped += 1;
    const now = Date.now();
    if (now - this.#lastDropWarning >= DROP_WARN_INTERVAL_MS) {
      this.#lastDropWarning = now;
      this.#log.warn('audit queue full: dropping audit records (audit.onFull = drop)', { dropped: this.#dropped });
    }
  }

  /** Arms the batch timer when there is work and nothing is pending. */
  #schedule(): void {
    if (this.#timer !== null || this.#flushing !== null || this.#closed) return;
    // a full batch does not wait for the window
    const delay = this.depth >= this.#maxBatch && this.#failures === 0 ? 0 : this.#batchMs;
    this.#arm(delay);
  }

  #flushSoon(): void {
    if (this.#flushing !== null || this.#failures > 0 || this.#closed) return;
    this.#cancelTimer();
    this.#arm(0);
  }

  #arm(delay: number): void {
    const timer = setTimeout(() => {
      this.#timer = null;
      this.#flush().then(
        () => this.#afterFlush(),
        // #flush never rejects, but the request path must never see a stray rejection
        (err: unknown) => this.#log.error('audit writer: unexpected error', describeError(err)),
      );
    }, delay);
    timer.unref();
    this.#timer = timer;
  }

  #afterFlush(): void {
    if (this.#closed || !this.#hasWork()) return;
    this.#arm(this.#failures > 0 ? this.#backoffMs() : this.depth >= this.#maxBatch ? 0 : this.#batchMs);
  }

  #cancelTimer(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  #backoffMs(): number {
    const exp = Math.min(this.#failures, 16);
    return Math.min(this.#retryMaxMs, this.#batchMs * 2 ** Math.max(0, exp - 1));
  }

  /** One flush at a time; a second caller waits for the running one and then runs its own. */
  async #flush(): Promise<void> {
    while (this.#flushing !== null) await this.#flushing;
    const running = this.#writeAll();
    this.#flushing = running;
    try {
      await running;
    } finally {
      this.#flushing = null;
    }
  }

  /** Counts records deleted over `maxRows`, and says so in the log at most once a minute. */
  #prunedEarly(n: number): void {
    this.#pruned += n;
    this.#prunedSinceLog += n;
    const now = Date.now();
    if (now - this.#prunedLoggedAt < PRUNE_LOG_EVERY_MS) return;
    this.#log.warn('audit log over audit.maxRows: the oldest records were deleted before their age', {
      deleted: this.#prunedSinceLog,
      maxRows: this.#insertOptions.maxRows ?? 0,
    });
    this.#prunedLoggedAt = now;
    this.#prunedSinceLog = 0;
  }

  /** Writes what is queued now (records in chunks, then usage). Never rejects. */
  async #writeAll(): Promise<void> {
    let ok = true;
    // only what was queued when the flush began: a steady stream cannot keep one flush going forever
    let budget = this.depth;
    while (budget > 0 && ok) {
      const end = Math.min(this.#head + this.#maxBatch, this.#items.length, this.#head + budget);
      const batch = this.#items.slice(this.#head, end);
      try {
        const result = await this.#store.insertAudit(batch, this.#insertOptions);
        const pruned = prunedBy(result);
        if (pruned > 0) this.#prunedEarly(pruned);
        this.#head = end;
        budget -= batch.length;
        this.#written += batch.length;
        this.#log.debug('audit batch written', { records: batch.length, pruned, queued: this.depth });
        this.#compact();
        this.#wakeWaiters();
        // The store call ran synchronously (SQLite): let waiting requests through before the next chunk.
        if (budget > 0) await yieldToEventLoop();
      } catch (err) {
        ok = false;
        this.#failedWrites += 1;
        this.#log.warn('audit writer: writing audit records failed; will retry', {
          ...describeError(err),
          queued: this.depth,
        });
      }
    }
    if (this.#usage.size > 0) {
      const usage = this.#usage;
      this.#usage = new Map();
      const deltas: UsageDelta[] = [...usage].map(([tokenId, u]) => ({
        tokenId,
        calls: u.calls,
        lastUsed: u.lastUsed,
        ip: u.ip,
      }));
      try {
        await this.#store.addUsage(deltas);
      } catch (err) {
        ok = false;
        this.#failedWrites += 1;
        this.#mergeUsageBack(usage);
        this.#log.warn('audit writer: writing usage details failed; will retry', describeError(err));
      }
    }
    if (ok) {
      if (this.#failures > 0) this.#log.info('audit writer: store writes work again', { queued: this.depth });
      this.#failures = 0;
    } else {
      this.#failures += 1;
    }
  }

  /** Puts increments that could not be written back, combined with those counted since. */
  #mergeUsageBack(failed: Map<string, UsageAccumulator>): void {
    for (const [tokenId, old] of failed) {
      const current = this.#usage.get(tokenId);
      if (current === undefined) {
        this.#usage.set(tokenId, old);
      } else {
        current.calls += old.calls;
        if (old.lastUsed > current.lastUsed) {
          current.lastUsed = old.lastUsed;
          current.ip = old.ip;
        }
      }
    }
  }

  /** Drops written records from the array once they are a large part of it. */
  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  #wakeWaiters(): void {
    if (this.#waiters.length === 0) return;
    const room = this.hasRoom();
    if (!room && !this.#closed) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(room);
    }
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `work` until `deadline` (epoch ms); true when it finished in time. */
async function beforeDeadline(work: Promise<void>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
