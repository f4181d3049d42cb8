import { EXTENDER_BASE, OPENAPI_PATH, ADMIN_BASE as TOKEN_TOOLS } from '../http/paths.js';

/**
 * What a canonical path is to tokengate:
 * - `openapi`: the OpenAPI document, served to anyone, never forwarded;
 * - `admin`: under the tokenTools base (any letter case, with or without a trailing slash):
 *   tokengate's own, needs a token, unknown ones are 404, never forwarded;
 * - `protected`: under a protected prefix: needs a token (or, with pass-through on, carries none);
 * - `unprotected`: anything else (tokengate's own local pages, or pass-through, or 404).
 */
export type Route =
  | { readonly kind: 'openapi' }
  | { readonly kind: 'admin'; readonly adminPath: string }
  | { readonly kind: 'protected' }
  | { readonly kind: 'unprotected' };

export interface RouteTableOptions {
  /** Path of the public URL / upstream URL (`/confluence`), '' for none. Own paths live under it. */
  readonly contextPath: string;
  /** Protected prefixes as written in the configuration, relative to the context path (`/rest/`). */
  readonly protect: readonly string[];
}

const OPENAPI: Route = Object.freeze({ kind: 'openapi' });
const PROTECTED: Route = Object.freeze({ kind: 'protected' });
const UNPROTECTED: Route = Object.freeze({ kind: 'unprotected' });

/**
 * Classifies request paths. Every protected prefix and tokengate's own paths sit under the
 * context path: with a public URL `https://example.com/confluence`, `/rest/` protects
 * `/confluence/rest/` and the admin API is `/confluence/rest/extender/1.0/tokenTools/*` — where
 * an Extender script that knows the base URL looks for it.
 *
 * @example
 * const routes = new RouteTable({ contextPath: '', protect: ['/rest/'] });
 * routes.classify('/rest/extender/1.0/TokenTools/get/') // { kind: 'admin', adminPath: '/rest/extender/1.0/tokentools/get' }
 * routes.classify('/login.action')                      // { kind: 'unprotected' }
 */
export class RouteTable {
  readonly contextPath: string;
  /** Full prefixes (context path + configured prefix). */
  readonly protectedPrefixes: readonly string[];
  readonly openApiPath: string;
  /** Base of the Extender endpoints (`…/rest/extender/`), for the "Extender endpoints only" setting. */
  readonly extenderBase: string;
  readonly #adminBaseLower: string;

  constructor(options: RouteTableOptions) {
    this.contextPath = options.contextPath;
    this.protectedPrefixes = Object.freeze(options.protect.map((prefix) => options.contextPath + prefix));
    this.openApiPath = options.contextPath + OPENAPI_PATH;
    this.extenderBase = options.contextPath + EXTENDER_BASE;
    this.#adminBaseLower = (options.contextPath + TOKEN_TOOLS).toLowerCase();
  }

  classify(path: string): Route {
    if (path === this.openApiPath) return OPENAPI;
    const base = this.#adminBaseLower;
    if (path.length >= base.length) {
      const head = path.slice(0, base.length).toLowerCase();
      if (head === base && (path.length === base.length || path.charCodeAt(base.length) === 0x2f)) {
        let rest = path.slice(base.length).toLowerCase();
        if (rest.endsWith('/')) rest = rest.slice(0, -1);
        return { kind: 'admin', adminPath: TOKEN_TOOLS.toLowerCase() + rest };
      }
    }
    for (const prefix of this.protectedPrefixes) if (path.startsWith(prefix)) return PROTECTED;
    return UNPROTECTED;
  }

  /** True when `path` is under a protected prefix (tokens are accepted there). */
  isProtected(path: string): boolean {
    return this.protectedPrefixes.some((prefix) => path.startsWith(prefix));
  }
}
