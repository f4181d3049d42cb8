import { describeError, type Logger } from '../log/logger.js';
import type { RuntimeSettings } from '../store/models.js';
import {
  type AdminActionInput,
  type AuditRecordBuilder,
  type AuditRecordInput,
  adminAuditRecord,
} from './audit-record-builder.js';
import type { AuditStream } from './audit-stream.js';
import type { AuditWriter } from './audit-writer.js';
import { NoiseAggregator } from './noise-aggregator.js';

export interface AuditCallLogOptions {
  readonly writer: AuditWriter;
  readonly build: AuditRecordBuilder;
  /** The current runtime settings (e.g. `() => settingsHolder.current`). */
  readonly settings: () => RuntimeSettings;
  readonly log: Logger;
  /** `audit.stream`: every record queued is also written there as one JSON line. */
  readonly stream?: AuditStream | null;
}

/**
 * The audit side of a call, with the runtime switches applied. Structurally the gateway's
 * `CallLog` (src/audit/call-log.ts), plus `recordAdmin` for administrative actions.
 */
export interface AuditCallLog {
  /** Queues one token-call record, unless the `auditLog` setting is off. Never throws. */
  record(input: AuditRecordInput): void;
  /** Counts a successful call for usage details, unless `usageDetails` is off. Never throws. */
  countUsage(tokenId: string, ip: string, time: number): void;
  /** False when a new token call must wait for the audit queue (only while `auditLog` is on). */
  hasRoom(): boolean;
  waitForRoom(timeoutMs: number): Promise<boolean>;
  /** Logs an internal error without any secret (class and message only). */
  logError(err: unknown): void;
  /**
   * Queues an `admin` record — always, whatever the `auditLog` setting. Returns false when it
   * could not be queued (queue full under `reject`, or shut down); the loss is logged.
   */
  recordAdmin(input: AdminActionInput): boolean;
  /** Writes the summaries of unauthenticated noise still being counted (at shutdown). */
  flush(): void;
}

/** How often the summaries of unauthenticated noise are written out, ms. */
const NOISE_FLUSH_MS = 5_000;

/**
 * Wires the record builder, the writer and the runtime settings. Unauthenticated calls are
 * aggregated (see NoiseAggregator): a flood without credentials costs two records a minute per
 * address, not one per request. Switching `auditLog` off stops
 * new token-call records (administrative actions are still recorded); switching `usageDetails`
 * off freezes `counter`, `ip` and `lastUsed`. A record that cannot be queued is never lost
 * silently: it is counted by the writer (`rejected`/`dropped`) and logged.
 *
 * @example
 * const calls = createAuditCallLog({ writer, build: createAuditRecordBuilder({ node: config.nodeId,
 *   redactParams: config.audit.redactParams }), settings: () => holder.current, log });
 * const gateway = new Gateway({ ...deps, calls });
 */
export function createAuditCallLog(options: AuditCallLogOptions): AuditCallLog {
  const { writer, build, settings, log } = options;
  const stream = options.stream ?? null;
  const queue = (make: () => Parameters<AuditWriter['enqueue']>[0]): boolean => {
    try {
      const record = make();
      if (writer.enqueue(record)) {
        // the same record as the database gets: built (and scrubbed) once
        stream?.write(record);
        return true;
      }
      log.error('audit record lost: the audit queue is full or shut down', { rejected: writer.stats().rejected });
      return false;
    } catch (err) {
      log.error('audit record could not be built', describeError(err));
      return false;
    }
  };
  // unauthenticated noise: one record per address, claimed user and minute, plus a count
  const noise = new NoiseAggregator({ emit: (input) => queue(() => build(input)) });
  const timer = setInterval(() => noise.flush(Date.now()), NOISE_FLUSH_MS);
  timer.unref();
  return {
    record(input) {
      if (!settings().auditLog) return;
      if (input.decision === 'unauthenticated') noise.add(input);
      else queue(() => build(input));
    },
    flush() {
      clearInterval(timer);
      noise.flush(Number.POSITIVE_INFINITY);
    },
    countUsage(tokenId, ip, time) {
      if (!settings().usageDetails) return;
      try {
        writer.countUsage(tokenId, ip, time);
      } catch (err) {
        log.error('usage details could not be counted', describeError(err));
      }
    },
    hasRoom() {
      return !settings().auditLog || writer.hasRoom();
    },
    waitForRoom(timeoutMs) {
      return settings().auditLog ? writer.waitForRoom(timeoutMs) : Promise.resolve(true);
    },
    logError(err) {
      log.error('internal error', describeError(err));
    },
    recordAdmin(input) {
      return queue(() => adminAuditRecord(build, input));
    },
  };
}
