import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalize } from '../http/canonicalize.js';
import { clientAddress } from '../http/client-address.js';
import { HttpError } from '../http/http-error.js';
import { PAGE_API_BASE, PAGE_BASE } from '../http/paths.js';
import { sendError } from '../http/send.js';
import { PageApi } from './page-api.js';
import type { PageDeps } from './page-deps.js';
import { PageSessions } from './page-sessions.js';
import { isHttps } from './request-origin.js';
import { applySecurityHeaders } from './security-headers.js';
import { SessionKeyring } from './session-key.js';
import { DEFAULT_ASSETS_DIR, StaticAssets } from './static-assets.js';

export type { PageDeps } from './page-deps.js';

/** `tokengate/`: the page root relative to `PAGE_BASE` itself (its last segment, then a slash). */
const PAGE_ROOT_RELATIVE = `${PAGE_BASE.slice(PAGE_BASE.lastIndexOf('/') + 1)}/`;

/**
 * The REST API Tokens page: the built single-page app under `/tokengate/` and its JSON API
 * under `/tokengate/api/`. Returns the gateway's `localRoutes` hook: true when the path was the
 * page's (the answer is then written asynchronously), false for any other path. Every page
 * response carries a strict Content-Security-Policy and the other security headers.
 *
 * @example
 * const page = createPageRoutes({ config, store, tokens, users, settingsHolder, publicUrl, now, callLog,
 *   adminEndpoints });
 * const localRoutes = (req, res, path) => page(req, res, path) || otherRoutes(req, res, path);
 */
export function createPageRoutes(deps: PageDeps): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  const keyring = new SessionKeyring(deps.store, deps.now);
  const sessions = new PageSessions({ store: deps.store, keyring, now: deps.now, times: deps.sessionTimes });
  const api = new PageApi(deps, sessions);
  const assets = new StaticAssets(deps.assetsDir ?? DEFAULT_ASSETS_DIR);

  const serve = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (path.startsWith(PAGE_API_BASE)) {
      const result = canonicalize(
        { method: req.method ?? '', target: req.url ?? '', headers: req.headers },
        { publicUrl: deps.publicUrl },
      );
      if (!result.ok) throw new HttpError('malformed_request', result.message);
      const ip = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], deps.config.trustedProxyHops);
      const https = isHttps(req, deps.publicUrl, deps.config.trustedProxyHops);
      await api.handle({ req, res, canonical: result.request, ip, https }, path.slice(PAGE_API_BASE.length));
      return;
    }
    await assets.serve(req, res, path.slice(PAGE_BASE.length + 1));
  };

  return (req, res, path) => {
    if (path !== PAGE_BASE && !path.startsWith(`${PAGE_BASE}/`)) return false;
    applySecurityHeaders(res);
    if (path === PAGE_BASE) {
      // relative, so that a proxy path prefix in front of tokengate is kept
      res.writeHead(308, { location: PAGE_ROOT_RELATIVE, 'cache-control': 'no-store' });
      res.end();
      return true;
    }
    serve(req, res, path).catch((err: unknown) => {
      if (err instanceof HttpError) {
        sendError(res, err.code, err.message, err.headers);
        return;
      }
      deps.callLog.logError(err);
      sendError(res, 'internal_error', 'internal error: the page could not answer');
    });
    return true;
  };
}
