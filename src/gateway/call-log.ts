import type { AdminActionInput } from '../audit/audit-record-builder.js';
import type { AuditDecision } from '../store/models.js';

/** What the gateway knows about one token call when it records it. */
export interface CallRecordInput {
  readonly time: number;
  readonly tokenId: string | null;
  readonly tokenLabel: string | null;
  readonly user: string | null;
  readonly authMethod: string | null;
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly decision: AuditDecision;
  readonly reason: string;
  readonly upstreamStatus: number | null;
  readonly clientIp: string;
  readonly userAgent: string;
  readonly durationMs: number;
  /** The credential the client presented, scrubbed from every recorded field; null when none. */
  readonly secret: string | null;
}

/**
 * Where the gateway sends what happened: audit records, usage details and internal errors.
 * Every method is synchronous on the hot path except `waitForRoom`.
 */
export interface CallLog {
  /** Queues one audit record (when the audit log is on). */
  record(input: CallRecordInput): void;
  /** Records an administrative action (always, whatever the audit switch). */
  recordAdmin(input: AdminActionInput): void;
  /** Counts one successful call for usage details (when usage details are on). */
  countUsage(tokenId: string, ip: string, time: number): void;
  /** False when the audit queue is full and calls must wait (fail closed). */
  hasRoom(): boolean;
  waitForRoom(timeoutMs: number): Promise<boolean>;
  /** Logs an internal error without any secret. */
  logError(err: unknown): void;
}
