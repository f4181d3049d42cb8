import { createClient } from 'redis';
import { describeError, type Logger } from '../log/logger.js';
import { windowStart } from '../store/rate-window.js';
import { RateLimitStoreError } from './rate-limit-store-error.js';

/**
 * One fixed window, counted atomically: INCRBY the calls (ARGV[2]), and on the first calls of the
 * window PEXPIRE so the key disappears by itself after the window (plus a second, for clocks a
 * little apart).
 */
const COUNT_WINDOW_SCRIPT = `local calls = tonumber(ARGV[2])
local n = redis.call('INCRBY', KEYS[1], calls)
if n == calls then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** Longest pause between reconnection attempts, ms. */
const MAX_RECONNECT_DELAY_MS = 2000;
/** At most one "Redis is not answering" warning per this many ms (the state change is always logged). */
const WARN_EVERY_MS = 30_000;

export interface RedisRateCounterOptions {
  /** `redis://…` or `rediss://…` (may hold a password: never logged). */
  readonly url: string;
  /** Prefix of every key (`rateLimit.redisKeyPrefix`). */
  readonly keyPrefix: string;
  /** Longest wait for one command and for one connection attempt, ms. */
  readonly timeoutMs: number;
  readonly log: Logger;
}

/** Where the Redis server is, without user or password. */
export function redisLocation(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/** Reconnection delay after `retries` failed attempts: doubling from 50 ms to 2 s, with jitter. */
export function reconnectDelayMs(retries: number): number {
  const base = Math.min(MAX_RECONNECT_DELAY_MS, 50 * 2 ** Math.min(retries, 10));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * Counts rate-limit windows in Redis, so every node sees the same count. One round trip per
 * count, which may hold several calls (EVALSHA of a short script, EVAL once if Redis does not
 * know it yet). Fails fast: commands are not queued while disconnected, and each waits at most
 * `timeoutMs`, so an unreachable Redis refuses a call at once rather than hanging it. The client
 * reconnects by itself with backoff.
 */
export class RedisRateCounter {
  readonly #client: ReturnType<typeof createClient>;
  readonly #keyPrefix: string;
  readonly #log: Logger;
  readonly #location: string;
  readonly #timeoutMs: number;
  #sha: string | null = null;
  #up = false;
  #lastWarning = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(options: RedisRateCounterOptions) {
    this.#keyPrefix = options.keyPrefix;
    this.#log = options.log;
    this.#location = redisLocation(options.url);
    this.#timeoutMs = options.timeoutMs;
    this.#client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      commandOptions: { timeout: options.timeoutMs },
      socket: {
        connectTimeout: options.timeoutMs,
        reconnectStrategy: (retries) => reconnectDelayMs(retries),
      },
    });
    this.#client.on('ready', () => {
      this.#up = true;
      this.#log.info('Redis connected: rate-limit windows are counted there', { redis: this.#location });
    });
    this.#client.on('error', (err: unknown) => this.#down(err));
    this.#client.on('reconnecting', () => this.#log.debug('Redis: reconnecting', { redis: this.#location }));
  }

  /**
   * Starts connecting and waits for the connection, at most `timeoutMs`. Never rejects: a Redis
   * that is down does not stop a start; rate-limited calls are refused until it answers.
   */
  start(): Promise<void> {
    const connected = this.#client.connect().then(
      () => undefined,
      (err: unknown) => this.#down(err),
    );
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.#timeoutMs);
      timer.unref();
      void connected.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Counts `calls` calls (default 1) in the window of `windowMs` holding `now`, for `key` (the
   * token's); returns the window's count including them.
   * @throws RateLimitStoreError when Redis cannot count it
   */
  countRateWindow = async (key: string, windowMs: number, now: number, calls = 1): Promise<number> => {
    const start = windowStart(windowMs, now);
    const redisKey = `${this.#keyPrefix}${key}:${start}`;
    const ttl = String(start + windowMs - now + 1000);
    try {
      const reply = await this.#eval(redisKey, ttl, String(Math.max(1, Math.floor(calls))));
      if (typeof reply !== 'number') throw new Error(`unexpected reply ${typeof reply}`);
      return reply;
    } catch (err) {
      this.#down(err);
      throw new RateLimitStoreError('Redis could not count the rate-limit window', { cause: err });
    }
  };

  async #eval(key: string, ttl: string, calls: string): Promise<unknown> {
    const options = { keys: [key], arguments: [ttl, calls] };
    if (this.#sha !== null) {
      try {
        return await this.#client.evalSha(this.#sha, options);
      } catch (err) {
        // Redis restarted without its script cache: load it again below
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      }
    }
    const reply = await this.#client.eval(COUNT_WINDOW_SCRIPT, options);
    this.#sha ??= String(await this.#client.scriptLoad(COUNT_WINDOW_SCRIPT));
    return reply;
  }

  #down(err: unknown): void {
    if (this.#closed) return;
    const now = Date.now();
    if (!this.#up && now - this.#lastWarning < WARN_EVERY_MS) return;
    this.#up = false;
    this.#lastWarning = now;
    this.#log.warn('Redis is not answering: rate-limited calls are refused (503) until it does', {
      redis: this.#location,
      ...describeError(err),
    });
  }

  /** Closes the connection at once (pending commands fail; a Redis that is down must not hold a shutdown). */
  close(): void {
    this.#closed = true;
    if (this.#client.isOpen) this.#client.destroy();
  }
}
