import type { IncomingMessage, ServerResponse } from 'node:http';
import { HEALTH_PATH, METRICS_PATH, OPENAPI_PATH } from '../http/paths.js';
import { sendError, sendJson } from '../http/send.js';
import { describeError, type Logger } from '../log/logger.js';
import type { DatabaseHealth } from '../store/database-health.js';
import type { Store } from '../store/store.js';
import type { GatewayMetrics } from './metrics.js';

/** Answers a path outside the protected prefix: true when it was one of these routes. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

export interface LocalRoutesDeps {
  /** The page's routes (`createPageRoutes`), tried first. */
  readonly page: RouteHandler;
  readonly databaseHealth: DatabaseHealth;
  readonly databaseKind: Store['dialect'];
  readonly nodeId: string;
  /** Null when `metrics.enabled` is off: `/metrics` is then not served. */
  readonly metrics: GatewayMetrics | null;
  /** The OpenAPI document, as the JSON text to send. */
  readonly openApiJson: string;
  readonly log: Logger;
}

/**
 * tokengate's own routes outside the protected prefix: the page, `/healthz` (200, or 503 while
 * the database is down or the node is stopping), `/metrics` and the OpenAPI document. (The
 * OpenAPI path lies under the default protected prefix, so today the gateway treats it as a token
 * call and it never arrives here; serving it to anyone is issue 13's.)
 *
 * @example
 * const local = new LocalRoutes({ page, databaseHealth, databaseKind: 'sqlite', nodeId, metrics, openApiJson, log });
 * new Gateway({ ...deps, localRoutes: local.handle });
 * local.stopping(); // on shutdown: load balancers see 503 and stop sending
 */
export class LocalRoutes {
  readonly #deps: LocalRoutesDeps;
  #stopping = false;

  constructor(deps: LocalRoutesDeps) {
    this.#deps = deps;
  }

  /** From now on `/healthz` answers 503 `stopping`. */
  stopping(): void {
    this.#stopping = true;
  }

  handle: RouteHandler = (req, res, path) => {
    const deps = this.#deps;
    if (deps.page(req, res, path)) return true;
    if (path === HEALTH_PATH) {
      this.#health(res);
      return true;
    }
    if (path === METRICS_PATH && deps.metrics !== null && req.method === 'GET') {
      deps.metrics.send(res).catch((err: unknown) => {
        deps.log.error('could not render metrics', describeError(err));
        sendError(res, 'internal_error', 'metrics could not be rendered');
      });
      return true;
    }
    if (path === OPENAPI_PATH && req.method === 'GET') {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(deps.openApiJson),
      });
      res.end(deps.openApiJson);
      return true;
    }
    return false;
  };

  #health(res: ServerResponse): void {
    const deps = this.#deps;
    const state = deps.databaseHealth.state();
    const serving = !this.#stopping && state !== 'down';
    sendJson(res, serving ? 200 : 503, {
      status: this.#stopping ? 'stopping' : state === 'down' ? 'database down' : 'ok',
      database: { kind: deps.databaseKind, state, lastAnsweredMsAgo: deps.databaseHealth.silentMs() },
      node: deps.nodeId,
    });
  }
}
