import type { Config } from '../config/config.js';
import type { RuntimeSettings, User } from '../store/models.js';
import type { Store } from '../store/store.js';
import type { BodyOf, EndpointContract, HttpMethod, QueryOf, ResponseOf } from './endpoint-contract.js';
import { validateBody, validateQuery } from './validate-request.js';

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

/** What the router runs for a method and path: an endpoint, or its synthetic 405. */
export interface AdminRoute<D extends AdminDeps = AdminDeps> {
  readonly method: HttpMethod;
  readonly path: string;
  /** Validates the request against the contract, then runs the handler. Errors are thrown as `HttpError`. */
  handle(req: AdminRequest, deps: D): Promise<AdminResponse>;
}

/** One admin endpoint: its contract (shape) and the route that serves it. See `endpoint-contract.ts`. */
export interface AdminEndpoint<D extends AdminDeps = AdminDeps> extends AdminRoute<D> {
  readonly contract: EndpointContract;
}

/** What a handler receives: the request with its query and body validated against the contract. */
export interface ValidRequest<C extends EndpointContract> {
  readonly query: QueryOf<C>;
  readonly body: BodyOf<C>;
  readonly actor: User;
  recordAdmin(action: AdminAction): void;
}

/** A handler's answer: the success body, type-checked against the contract, or a download. */
export type HandlerResponse<C extends EndpointContract> =
  | { readonly status: 200; readonly json: ResponseOf<C> }
  | Extract<AdminResponse, { readonly stream: AsyncIterable<string> }>;

/**
 * An endpoint from its contract and handler: the query and body are validated first (a bad one is
 * a 400 that names the field, before anything is read or changed), then the handler runs.
 *
 * @example
 * export const deleteEndpoint = defineEndpoint(deleteContract).handledBy(async ({ body, actor }, deps: TokenToolsDeps) => {
 *   await deps.tokens.delete(body.id, actor);
 *   return { status: 200, json: { status: 'ok' } };
 * });
 */
export function defineEndpoint<C extends EndpointContract>(contract: C) {
  return {
    /** The handler, with the deps it needs (the router passes every endpoint the same deps). */
    handledBy<D extends AdminDeps>(
      handler: (req: ValidRequest<C>, deps: D) => Promise<HandlerResponse<C>>,
    ): AdminEndpoint<D> {
      return {
        method: contract.method,
        path: contract.path,
        contract,
        async handle(req, deps) {
          const query = validateQuery(contract, req.query) as QueryOf<C>;
          const body = (
            contract.body === undefined ? undefined : validateBody(contract, await req.json(), req.actor)
          ) as BodyOf<C>;
          return handler({ query, body, actor: req.actor, recordAdmin: (action) => req.recordAdmin(action) }, deps);
        },
      };
    },
  };
}
