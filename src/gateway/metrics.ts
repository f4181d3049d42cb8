import type { ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditDecision } from '../store/models.js';
import type { CallLog } from './call-log.js';
import type { DatabaseState } from './database-health.js';

export interface GatewayMetricsSources {
  /** Auth cache counters (`cache.stats()`). */
  readonly cache: () => { tokens: number; users: number; hits: number; misses: number };
  /** Audit writer counters (`writer.stats()`). */
  readonly audit: () => { depth: number; written: number; failedWrites: number; dropped: number; rejected: number };
  /** Database state and how long since the change feed last read it. */
  readonly database: () => { state: DatabaseState; silentMs: number };
}

const DECISIONS: readonly AuditDecision[] = ['allowed', 'denied', 'refused', 'unauthenticated', 'error', 'admin'];
const DATABASE_STATES: readonly DatabaseState[] = ['up', 'degraded', 'down'];

/**
 * Prometheus metrics of one gateway, in a registry of its own (several gateways in one process
 * never share counters). Token calls are counted by wrapping the gateway's {@link CallLog}, so
 * every recorded call is counted once, whatever the audit-log setting. No label ever holds a
 * token, a label text, a user or a path: the cardinality is fixed.
 *
 * @example
 * const metrics = new GatewayMetrics({ cache: () => cache.stats(), audit: () => writer.stats(),
 *   database: () => ({ state: health.state(), silentMs: health.silentMs() }) });
 * const gateway = new Gateway({ ...deps, calls: metrics.countCalls(calls) });
 * if (path === '/metrics') await metrics.send(res);
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #calls: Counter<'decision'>;
  readonly #byDecision: Map<string, { inc(): void }>;
  readonly #duration: Histogram;

  constructor(sources: GatewayMetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'tokengate_' });
    this.#calls = new Counter({
      name: 'tokengate_token_calls_total',
      help: 'Token calls (requests under /rest/) by decision: allowed, denied, refused, unauthenticated, error.',
      labelNames: ['decision'],
      registers,
    });
    this.#byDecision = new Map(DECISIONS.map((decision) => [decision, this.#calls.labels({ decision })]));
    this.#duration = new Histogram({
      name: 'tokengate_token_call_duration_seconds',
      help: 'Time from a token call arriving to its record (upstream time included), seconds.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    counterFrom(
      'tokengate_auth_cache_hits_total',
      'Token and user lookups answered by the cache.',
      registers,
      () => sources.cache().hits,
    );
    counterFrom(
      'tokengate_auth_cache_misses_total',
      'Token and user lookups that went to the database.',
      registers,
      () => sources.cache().misses,
    );
    gaugeFrom('tokengate_auth_cache_tokens', 'Tokens held in the cache.', registers, () => sources.cache().tokens);
    gaugeFrom(
      'tokengate_audit_queue_depth',
      'Audit records waiting to be written.',
      registers,
      () => sources.audit().depth,
    );
    counterFrom(
      'tokengate_audit_records_written_total',
      'Audit records written to the database.',
      registers,
      () => sources.audit().written,
    );
    counterFrom(
      'tokengate_audit_failed_writes_total',
      'Audit or usage writes that failed and are being retried (nothing is lost).',
      registers,
      () => sources.audit().failedWrites,
    );
    counterFrom(
      'tokengate_audit_records_lost_total',
      'Audit records not queued: dropped (audit.onFull = drop) or refused (queue full, shutting down).',
      registers,
      () => {
        const stats = sources.audit();
        return stats.dropped + stats.rejected;
      },
    );
    gaugeFrom(
      'tokengate_change_feed_lag_seconds',
      'Seconds since the change feed last read the database (it reads every poll interval; large = database not answering).',
      registers,
      () => sources.database().silentMs / 1000,
    );
    new Gauge({
      name: 'tokengate_database_state',
      help: 'Database state: 1 for the current one of up, degraded (within the outage grace), down.',
      labelNames: ['state'],
      registers,
      collect() {
        const current = sources.database().state;
        for (const state of DATABASE_STATES) this.set({ state }, state === current ? 1 : 0);
      },
    });
  }

  /** A call log that counts each recorded token call, then passes it on to `inner`. */
  countCalls(inner: CallLog): CallLog {
    return {
      record: (input) => {
        this.#byDecision.get(input.decision)?.inc();
        this.#duration.observe(input.durationMs / 1000);
        inner.record(input);
      },
      recordAdmin: (input) => inner.recordAdmin(input),
      countUsage: (tokenId, ip, time) => inner.countUsage(tokenId, ip, time),
      hasRoom: () => inner.hasRoom(),
      waitForRoom: (timeoutMs) => inner.waitForRoom(timeoutMs),
      logError: (err) => inner.logError(err),
    };
  }

  /** Writes the metrics in the Prometheus text format. */
  async send(res: ServerResponse): Promise<void> {
    const text = await this.registry.metrics();
    res.writeHead(200, {
      'content-type': this.registry.contentType,
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    res.end(text);
  }
}

/** A counter whose value is read from `value()` at scrape time (a monotonic count kept elsewhere). */
function counterFrom(name: string, help: string, registers: Registry[], value: () => number): void {
  new Counter({
    name,
    help,
    registers,
    collect() {
      this.reset();
      this.inc(value());
    },
  });
}

/** A gauge whose value is read from `value()` at scrape time. */
function gaugeFrom(name: string, help: string, registers: Registry[], value: () => number): void {
  new Gauge({
    name,
    help,
    registers,
    collect() {
      this.set(value());
    },
  });
}
