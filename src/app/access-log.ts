import type { AuditRecordBuilder } from '../audit/audit-record-builder.js';
import type { EndedCall } from '../gateway/gateway.js';
import type { Logger } from '../log/logger.js';

export interface AccessLogOptions {
  readonly log: Logger;
  /** The audit record builder: the access line is scrubbed exactly as an audit record is. */
  readonly build: AuditRecordBuilder;
  /** `info` lines named `access` (`accessLog: true`), or `debug` lines named `call` (`logLevel: debug`). */
  readonly level: 'info' | 'debug';
}

/**
 * One log line per ended call: method, path, query (values of secret-looking parameters and of
 * `audit.redactParams` redacted, the presented credential scrubbed from every field, as in the
 * audit log), status, duration, client address, user, token id, decision and error code.
 */
export function createAccessLog(options: AccessLogOptions): (call: EndedCall) => void {
  const { log, build, level } = options;
  const message = level === 'info' ? 'access' : 'call';
  return (call) => {
    const scrubbed = build({
      time: call.start,
      tokenId: call.tokenId,
      tokenLabel: null,
      user: call.user,
      authMethod: null,
      method: call.method,
      path: call.path,
      rawQuery: call.rawQuery,
      // (not used: the builder needs one; the line carries the call's own decision below)
      decision: call.decision ?? 'allowed',
      reason: '',
      upstreamStatus: null,
      clientIp: call.clientIp,
      userAgent: '',
      durationMs: call.end - call.start,
      secret: call.secret,
    });
    const fields = {
      method: scrubbed.method,
      path: scrubbed.path,
      query: scrubbed.query,
      status: call.completed ? call.status : 0,
      durationMs: scrubbed.durationMs,
      clientIp: scrubbed.clientIp,
      user: scrubbed.user,
      tokenId: scrubbed.tokenId,
      decision: call.decision,
      code: call.code,
    };
    if (level === 'info') log.info(message, fields);
    else log.debug(message, fields);
  };
}
