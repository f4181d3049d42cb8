import type { ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client';
import type { CallLog } from '../audit/call-log.js';
import { DEFAULT_PROTECTED_PREFIX } from '../http/paths.js';
import type { DatabaseState } from '../store/database-health.js';
import type { AuditDecision } from '../store/models.js';

export interface GatewayMetricsSources {
  /** Auth cache counters (`cache.stats()`). */
  readonly cache: () => { tokens: number; users: number; hits: number; misses: number };
  /** Audit writer counters (`writer.stats()`). */
  readonly audit: () => {
    depth: number;
    written: number;
    failedWrites: number;
    dropped: number;
    rejected: number;
    prunedEarly: number;
  };
  /** Database state and how long since the change feed last read it. */
  readonly database: () => { state: DatabaseState; silentMs: number };
  /** Webhook counters (`dispatcher.stats()`); absent: no webhook series. */
  readonly webhooks?: () => { delivered: number; failed: number; givenUp: number; dropped: number };
}

const DECISIONS: readonly AuditDecision[] = [
  'allowed',
  'denied',
  'refused',
  'unauthenticated',
  'error',
  'admin',
  'passthrough',
];
const DATABASE_STATES: readonly DatabaseState[] = ['up', 'degraded', 'down'];
/** Upper bounds of the call duration histogram, seconds. */
const DURATION_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * Prometheus metrics of one gateway, in a registry of its own (several gateways in one process
 * never share counters). Token calls are counted by wrapping the gateway's {@link CallLog}, so
 * every recorded call is counted once, whatever the audit-log setting. No label ever holds a
 * token, a label text, a user or a path: the cardinality is fixed.
 *
 * @example
 * const metrics = new GatewayMetrics({ cache: () => cache.stats(), audit: () => writer.stats(),
 *   database: () => ({ state: health.state(), silentMs: health.silentMs() }) });
 * const gateway = new Gateway({ ...deps, callLog: metrics.countCalls(callLog) });
 * if (path === '/metrics') await metrics.send(res);
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  /** Token calls per decision, index as in DECISIONS; read at scrape time. */
  readonly #callsByDecision = new Float64Array(DECISIONS.length);
  readonly #decisionIndex = new Map<string, number>(DECISIONS.map((decision, i) => [decision, i]));
  /** Calls per duration bucket (not cumulative; the last one is above every bound). */
  readonly #durationBuckets = new Float64Array(DURATION_BUCKETS.length + 1);
  #durationSum = 0;
  #durationCount = 0;

  constructor(sources: GatewayMetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'tokengate_' });
    // The hot path only adds to plain numbers; prom-client reads them when /metrics is scraped.
    const callsByDecision = this.#callsByDecision;
    new Counter({
      name: 'tokengate_token_calls_total',
      help: `Token calls (requests under ${DEFAULT_PROTECTED_PREFIX}) by decision: allowed, denied, refused, unauthenticated, error.`,
      labelNames: ['decision'],
      registers,
      collect() {
        this.reset();
        // a decision's series appears with its first call, as with a counter incremented per call
        for (let i = 0; i < DECISIONS.length; i++) {
          const count = callsByDecision[i] as number;
          if (count > 0) this.inc({ decision: DECISIONS[i] as string }, count);
        }
      },
    });
    this.registry.registerMetric(
      new CountedHistogram(
        'tokengate_token_call_duration_seconds',
        'Time from a token call arriving to its record (upstream time included), seconds.',
        () => ({ buckets: this.#durationBuckets, sum: this.#durationSum, count: this.#durationCount }),
      ) as unknown as Metric,
    );
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
      'tokengate_audit_pruned_early_total',
      'Audit records deleted because the audit log was over audit.maxRows, before their age (oldest first).',
      registers,
      () => sources.audit().prunedEarly,
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
    const webhooks = sources.webhooks;
    if (webhooks !== undefined) {
      new Counter({
        name: 'tokengate_webhook_deliveries_total',
        help: 'Webhook delivery attempts of this node by outcome: delivered (2xx), failed (retried with backoff), given_up (after webhooks.maxAttempts).',
        labelNames: ['outcome'],
        registers,
        collect() {
          const stats = webhooks();
          this.reset();
          this.inc({ outcome: 'delivered' }, stats.delivered);
          this.inc({ outcome: 'failed' }, stats.failed);
          this.inc({ outcome: 'given_up' }, stats.givenUp);
        },
      });
      counterFrom(
        'tokengate_webhook_events_dropped_total',
        'New (token, client address) pairs not noted because 10,000 were already waiting to be recorded: their token.new_address event may be missed.',
        registers,
        () => webhooks().dropped,
      );
    }
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

  /** Counts one recorded token call: its decision and duration. */
  #count(decision: string, durationMs: number): void {
    const index = this.#decisionIndex.get(decision);
    if (index !== undefined) this.#callsByDecision[index] = (this.#callsByDecision[index] as number) + 1;
    const seconds = durationMs / 1000;
    if (!Number.isFinite(seconds)) return;
    let bucket = 0;
    while (bucket < DURATION_BUCKETS.length && seconds > (DURATION_BUCKETS[bucket] as number)) bucket++;
    this.#durationBuckets[bucket] = (this.#durationBuckets[bucket] as number) + 1;
    this.#durationSum += seconds;
    this.#durationCount += 1;
  }

  /** A call log that counts each recorded token call, then passes it on to `inner`. */
  countCalls(inner: CallLog): CallLog {
    return {
      record: (input) => {
        this.#count(input.decision, input.durationMs);
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

interface HistogramCounts {
  /** Observations per bucket of DURATION_BUCKETS (not cumulative), then those above the last bound. */
  readonly buckets: Float64Array;
  readonly sum: number;
  readonly count: number;
}

/**
 * A histogram without labels whose counts are kept elsewhere in plain numbers and read at scrape
 * time — prom-client's `Histogram.observe` (label hashing, object lookups) costs more than the
 * rest of recording a call. Renders exactly as prom-client's Histogram does (`_bucket{le}`
 * cumulative, `+Inf`, `_sum`, `_count`).
 */
class CountedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly labelNames: readonly string[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly counts: () => HistogramCounts,
  ) {}

  get(): {
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: { labels: Record<string, string | number>; value: number; metricName: string }[];
  } {
    const { buckets, sum, count } = this.counts();
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    let cumulative = 0;
    for (let i = 0; i < DURATION_BUCKETS.length; i++) {
      cumulative += buckets[i] as number;
      values.push({
        labels: { le: DURATION_BUCKETS[i] as number },
        value: cumulative,
        metricName: `${this.name}_bucket`,
      });
    }
    values.push({ labels: { le: '+Inf' }, value: count, metricName: `${this.name}_bucket` });
    values.push({ labels: {}, value: sum, metricName: `${this.name}_sum` });
    values.push({ labels: {}, value: count, metricName: `${this.name}_count` });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    // the counts belong to GatewayMetrics; nothing to reset here
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
