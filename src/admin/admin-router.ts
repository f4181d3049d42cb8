import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CanonicalRequest } from '../http/canonical-request.js';
import { HttpError } from '../http/http-error.js';
import { readJsonBody } from '../http/read-json-body.js';
import { sendError, sendJson } from '../http/send.js';
import type { User } from '../store/models.js';
import type { AdminAction, AdminDeps, AdminEndpoint, AdminRequest, AdminRoute } from './admin-endpoint.js';

export interface AdminCall {
  readonly canonical: CanonicalRequest;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly actor: User;
  /** The body, when a JsonData rule already read it. */
  readonly bufferedBody: { readonly bytes: Buffer; readonly value: unknown } | null;
  /** Records an administrative action of this call. */
  readonly recordAdmin: (action: AdminAction) => void;
  /** Told why the call was refused (`code: message`, what the client was sent), for the audit log. */
  readonly onRefused?: (reason: string) => void;
}

/**
 * Serves tokengate's own admin API (`/rest/extender/1.0/tokenTools/*`): finds the endpoint for
 * a method and path and turns its result (or HttpError) into a response.
 */
export class AdminRouter<D extends AdminDeps = AdminDeps> {
  readonly #byRoute = new Map<string, AdminEndpoint<D>>();
  readonly #paths = new Set<string>();
  readonly #deps: D;
  readonly #bodyLimit: number;

  constructor(endpoints: readonly AdminEndpoint<D>[], deps: D) {
    // Paths are kept lower-case: tokenTools paths are tokengate's in any letter case.
    for (const endpoint of endpoints) {
      const path = endpoint.path.toLowerCase();
      this.#byRoute.set(`${endpoint.method} ${path}`, endpoint);
      this.#paths.add(path);
    }
    this.#deps = deps;
    this.#bodyLimit = deps.config.bodyLimitBytes;
  }

  /**
   * The endpoint for this call (`path` compared without letter case); `null` when no endpoint has
   * this path. A known path with another method is answered with 405 by a synthetic endpoint.
   */
  match(method: string, anyCasePath: string): AdminRoute<D> | null {
    const path = anyCasePath.toLowerCase();
    const endpoint = this.#byRoute.get(`${method} ${path}`);
    if (endpoint !== undefined) return endpoint;
    if (!this.#paths.has(path)) return null;
    const allowed = [...this.#byRoute.values()].filter((e) => e.path.toLowerCase() === path).map((e) => e.method);
    return {
      method: 'GET',
      path,
      handle: async () => {
        throw new HttpError('method_not_allowed', `method ${method} is not allowed here; use ${allowed.join(' or ')}`, {
          allow: allowed.join(', '),
        });
      },
    };
  }

  /** Runs the endpoint and writes the response; returns the status sent. */
  async handle(endpoint: AdminRoute<D>, call: AdminCall): Promise<number> {
    const request: AdminRequest = {
      method: call.canonical.method,
      query: call.canonical.query,
      actor: call.actor,
      recordAdmin: call.recordAdmin,
      json: async () => {
        if (call.bufferedBody !== null) return call.bufferedBody.value;
        return (await readJsonBody(call.req, call.canonical.headers, this.#bodyLimit)).value;
      },
    };
    try {
      const response = await endpoint.handle(request, this.#deps);
      if ('json' in response) {
        sendJson(call.res, response.status, response.json);
      } else {
        call.res.writeHead(response.status, { ...response.headers, 'cache-control': 'no-store' });
        for await (const chunk of response.stream) {
          if (!call.res.write(chunk)) await new Promise((resolve) => call.res.once('drain', resolve));
          // a download runs on the thread that serves every token call: after each chunk, let
          // the calls waiting meanwhile be served before the next one is made
          else await new Promise(setImmediate);
        }
        call.res.end();
      }
      return response.status;
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      sendError(call.res, err.code, err.message, err.headers);
      call.onRefused?.(`${err.code}: ${err.message}`);
      return err.status;
    }
  }
}
