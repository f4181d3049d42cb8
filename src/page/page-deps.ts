import type { AdminEndpoint } from '../admin/admin-endpoint.js';
import type { AdminEndpointDeps } from '../admin/token-tools-deps.js';
import type { AuditCallLog } from '../audit/audit-call-log.js';
import type { Config } from '../config/config.js';
import type { SettingsHolder } from '../store/settings-holder.js';
import type { Store } from '../store/store.js';
import type { TokenService } from '../tokens/token-service.js';
import type { UpstreamCredentialService } from '../users/upstream-credential-service.js';
import type { UserService } from '../users/user-service.js';
import type { SessionTimes } from './page-sessions.js';

/** What the admin endpoints receive when the page calls them (the gateway's admin deps). */
export type PageAdminDeps = AdminEndpointDeps;

/**
 * Everything the REST API Tokens page needs, built by `startGateway` from what it already has.
 *
 * @example
 * const page = createPageRoutes({ config, store, tokens: services.tokens, users: services.users,
 *   settingsHolder, publicUrl, now, callLog, adminEndpoints });
 */
export interface PageDeps {
  readonly config: Config;
  readonly store: Store;
  readonly tokens: TokenService;
  readonly users: UserService;
  readonly upstreamCredentials: UpstreamCredentialService;
  readonly settingsHolder: SettingsHolder;
  /** Public base URL of tokengate (no trailing slash). */
  readonly publicUrl: string;
  readonly now: () => number;
  /** The audit call log: administrative actions done on the page are recorded with authMethod `session`. */
  readonly callLog: Pick<AuditCallLog, 'recordAdmin' | 'logError'>;
  /** The tokenTools endpoints (`adminEndpoints` of src/admin/admin-endpoints.ts); the page calls their `handle` functions. */
  readonly adminEndpoints: readonly AdminEndpoint<PageAdminDeps>[];
  /** Directory of the built page (default: `dist/page-ui` of the project). */
  readonly assetsDir?: string;
  /** Session lifetimes (default: 30 minutes idle, 12 hours at most). */
  readonly sessionTimes?: Partial<SessionTimes>;
}
