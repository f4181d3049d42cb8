import type { SettingsHolder } from '../gateway/settings-holder.js';
import type { TokenService } from '../tokens/token-service.js';
import type { UpstreamCredentialService } from '../users/upstream-credential-service.js';
import type { UserService } from '../users/user-service.js';
import type { AdminDeps } from './admin-endpoint.js';

/** What the tokenTools endpoints use. */
export interface TokenToolsDeps extends AdminDeps {
  readonly tokens: TokenService;
  readonly users: UserService;
  readonly upstreamCredentials: UpstreamCredentialService;
  readonly settingsHolder: SettingsHolder;
}

/** Base path of the Extender admin API. */
export const TOKEN_TOOLS = '/rest/extender/1.0/tokenTools';
