import { userInfo } from 'node:os';
import { adminAuditRecord, createAuditRecordBuilder } from '../audit/audit-record-builder.js';
import type { Config } from '../config/config.js';
import type { Store } from '../store/store.js';

/** An administrative action done on the command line. */
export interface CliAction {
  /** The command, e.g. `token create` (recorded as the path: `tokengate token create`). */
  readonly command: string;
  /** What was done, for people (never a secret). */
  readonly action: string;
  readonly tokenId?: string | null;
  readonly tokenLabel?: string | null;
  /** Secrets to scrub from the record (the value of a token just created, a password). */
  readonly extraSecrets?: readonly string[];
}

/** Who ran the command, as far as the system says (for the record's user agent). */
function systemUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * Records a CLI action in the audit log like an admin API action — decision `admin`, auth method
 * `cli`, the actor (`cli`, or `--author`), the command as the path, the system user and process in
 * the user agent — written at once (the CLI has no audit queue), built by the same rules (secrets
 * scrubbed, control characters escaped), and within `audit.maxRows`.
 *
 * @example
 * await recordCliAction(services, { command: 'token delete', action: 'token deleted', tokenId: id });
 */
export async function recordCliAction(
  services: { readonly store: Pick<Store, 'insertAudit'>; readonly config: Config },
  action: CliAction,
  actor = 'cli',
): Promise<void> {
  const { config, store } = services;
  const build = createAuditRecordBuilder({ node: config.nodeId, redactParams: config.audit.redactParams });
  const record = adminAuditRecord(build, {
    time: Date.now(),
    actor,
    authMethod: 'cli',
    method: 'CLI',
    path: `tokengate ${action.command}`,
    action: action.action,
    tokenId: action.tokenId ?? null,
    tokenLabel: action.tokenLabel ?? null,
    clientIp: 'local',
    userAgent: `tokengate CLI (system user ${systemUser()}, pid ${process.pid})`,
    extraSecrets: action.extraSecrets ?? [],
  });
  await store.insertAudit([record], { maxRows: config.audit.maxRows });
}
