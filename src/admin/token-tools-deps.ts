import type { SettingsHolder } from '../store/settings-holder.js';
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

/** What every admin endpoint may use: the tokenTools services and tokengate's public URL. */
export interface AdminEndpointDeps extends TokenToolsDeps {
  readonly publicUrl: string;
}
