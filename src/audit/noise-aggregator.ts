import type { AuditRecordInput } from './audit-record-builder.js';

export interface NoiseAggregatorOptions {
  /** Where a record to write goes (the audit queue). */
  readonly emit: (input: AuditRecordInput) => void;
  /** Length of one aggregation period, ms. Default one minute. */
  readonly periodMs?: number;
  /** Distinct claimed users with their own record per address and period; more are folded together. Default 20. */
  readonly usersPerAddress?: number;
  /** Most buckets held; past it every bucket is written out at once. Default 10,000. */
  readonly maxBuckets?: number;
}

interface Bucket {
  readonly period: number;
  /** Requests in this bucket after the first (the first was written at once). */
  more: number;
  last: AuditRecordInput;
}

/** Bucket key of requests claiming a user beyond `usersPerAddress` in one period. */
const FOLDED = '\u0000*';

/**
 * Aggregates unauthenticated noise: per client address, claimed user and minute, the first
 * unauthenticated request is recorded as it is (at once, with every detail), and the rest are
 * one record at the end of the minute saying how many more there were (`N more unauthenticated
 * requests …`, with the last one's details). A flood of 8,000 requests from one address is then
 * two records a minute instead of 8,000; failures claiming a user keep a bucket of their own, so
 * a user still sees attempts made in their name (up to `usersPerAddress` users per address; past
 * that they share one bucket). Memory is bounded by `maxBuckets`.
 *
 * @example
 * const noise = new NoiseAggregator({ emit: (input) => writer.enqueue(build(input)) });
 * if (input.decision === 'unauthenticated') noise.add(input); else writer.enqueue(build(input));
 * // every few seconds, and at shutdown:
 * noise.flush(Date.now());
 */
export class NoiseAggregator {
  readonly #emit: (input: AuditRecordInput) => void;
  readonly #periodMs: number;
  readonly #usersPerAddress: number;
  readonly #maxBuckets: number;
  readonly #buckets = new Map<string, Bucket>();
  /** address → claimed users with a bucket of their own in the current period. */
  readonly #users = new Map<string, { period: number; users: Set<string> }>();

  constructor(options: NoiseAggregatorOptions) {
    this.#emit = options.emit;
    this.#periodMs = Math.max(1, options.periodMs ?? 60_000);
    this.#usersPerAddress = Math.max(0, options.usersPerAddress ?? 20);
    this.#maxBuckets = Math.max(1, options.maxBuckets ?? 10_000);
  }

  /** One unauthenticated request: written at once when it is the first of its bucket, else counted. */
  add(input: AuditRecordInput): void {
    const period = Math.floor(input.time / this.#periodMs);
    const key = `${input.clientIp}\u0000${this.#userKey(input, period)}`;
    const bucket = this.#buckets.get(key);
    if (bucket !== undefined && bucket.period === period) {
      bucket.more += 1;
      bucket.last = input;
      return;
    }
    if (bucket !== undefined) this.#summarise(bucket);
    if (this.#buckets.size >= this.#maxBuckets) this.flush(Number.POSITIVE_INFINITY);
    this.#buckets.set(key, { period, more: 0, last: input });
    this.#emit(input);
  }

  /** Writes the summary of every bucket whose period ended before `now` (all with Infinity). */
  flush(now: number): void {
    const current = Math.floor(now / this.#periodMs);
    for (const [key, bucket] of this.#buckets) {
      if (bucket.period >= current) continue;
      this.#buckets.delete(key);
      this.#summarise(bucket);
    }
    for (const [address, entry] of this.#users) if (entry.period < current) this.#users.delete(address);
  }

  /** Buckets held (for tests and metrics). */
  get size(): number {
    return this.#buckets.size;
  }

  #userKey(input: AuditRecordInput, period: number): string {
    const user = input.user === null ? '' : input.user.toLowerCase();
    if (user === '') return '';
    let entry = this.#users.get(input.clientIp);
    if (entry === undefined || entry.period !== period) {
      entry = { period, users: new Set() };
      this.#users.set(input.clientIp, entry);
    }
    if (entry.users.has(user)) return user;
    if (entry.users.size >= this.#usersPerAddress) return FOLDED;
    entry.users.add(user);
    return user;
  }

  #summarise(bucket: Bucket): void {
    if (bucket.more === 0) return;
    const last = bucket.last;
    const requests = bucket.more === 1 ? 'request' : 'requests';
    this.#emit({
      ...last,
      reason: `${bucket.more} more unauthenticated ${requests} from this address in this minute; the last: ${last.reason}`,
      durationMs: 0,
    });
  }
}
