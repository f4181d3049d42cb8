import type { AdminActionInput, AuditRecordInput } from './audit-record-builder.js';

/** What the gateway knows about one token call when it records it: the audit builder's input. */
export type CallRecordInput = AuditRecordInput;

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
