import type { Config } from '../config/config.js';
import type { RuntimeSettings, User } from '../store/models.js';
import type { Store } from '../store/store.js';

/**
 * What an admin endpoint (`/rest/extender/1.0/tokenTools/*`) receives. The caller is already
 * authenticated with a token (and that token's rules allowed the call) by the gateway.
 */
export interface AdminRequest {
  readonly method: string;
  /** Decoded query: name → every value. */
  readonly query: ReadonlyMap<string, readonly string[]>;
  /** The authenticated user making the call. */
  readonly actor: User;
  /** Reads and strictly parses the JSON body (throws HttpError 400/413/415). */
  json(): Promise<unknown>;
  /** Records an administrative action (always, whatever the audit switch) with who did it. */
  recordAdmin(action: AdminAction): void;
}

/** An administrative action for the audit log. */
export interface AdminAction {
  /** What was done, for people: `token created`, `settings changed: auditLog=false`, … (never a secret). */
  readonly action: string;
  readonly tokenId?: string | null;
  readonly tokenLabel?: string | null;
  /** Secrets to scrub from the record (e.g. the value of a token just created). */
  readonly extraSecrets?: readonly string[];
}

/** A JSON response, or a streamed one (exports). */
export type AdminResponse =
  | { readonly status: number; readonly json: unknown }
  | {
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly stream: AsyncIterable<string>;
    };

/** Shared services an endpoint may use. The gateway builds one and passes it to every call. */
export interface AdminDeps {
  readonly config: Config;
  readonly store: Store;
  /** Current runtime settings (cached, kept fresh by the change feed). */
  settings(): RuntimeSettings;
  readonly now: () => number;
}

/**
 * One endpoint per file: `{ method, path, handle }`. Errors are thrown as `HttpError`.
 *
 * @example
 * export const settingsEndpoint: AdminEndpoint = {
 *   method: 'GET',
 *   path: '/rest/extender/1.0/tokenTools/settings',
 *   async handle(req, deps) { return { status: 200, json: { status: 'ok', settings: deps.settings() } }; },
 * };
 */
export interface AdminEndpoint<D extends AdminDeps = AdminDeps> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  handle(req: AdminRequest, deps: D): Promise<AdminResponse>;
}
