import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Gateway } from '../gateway/gateway.js';
import { bodyOf, identityOf, type TokengateRequest } from './identity.js';

export interface MiddlewareOptions {
  /**
   * Which path the rules judge: `original` (default) the full path the client sent
   * (`req.originalUrl`, as Express and Connect keep it under a mount point), or `mounted` the
   * path below the mount point (`req.url`).
   */
  readonly path?: 'original' | 'mounted';
}

/** An Express / Connect middleware (`(req, res, next)`). */
export type TokengateMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The middleware over the gateway's own pipeline: an allowed call gets `req.tokengate` (and
 * `req.body` when tokengate read the body) and goes on with `next()`; a refused one is answered
 * here with the gateway's status, JSON and headers, and `next` is never called.
 */
export function createMiddleware(gateway: Gateway, options: MiddlewareOptions = {}): TokengateMiddleware {
  const mounted = options.path === 'mounted';
  return (req, res, next) => {
    const request = req as TokengateRequest & { originalUrl?: string };
    const target = (mounted ? req.url : (request.originalUrl ?? req.url)) ?? '';
    gateway.handleForApp(req, res, target, (call) => {
      request.tokengate = identityOf(call);
      // what was checked is what the app reads: body parsers skip a body already read
      if (call.body !== null) request.body = bodyOf(call);
      next();
    });
  };
}
