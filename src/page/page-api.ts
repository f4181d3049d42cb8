import { AdminRouter } from '../admin/admin-router.js';
import type { FailureLimiter } from '../auth/failure-limiter.js';
import { HttpError } from '../http/http-error.js';
import { ADMIN_BASE, PAGE_API_BASE } from '../http/paths.js';
import { sendJson } from '../http/send.js';
import { recordPageAction } from './admin-bridge.js';
import { meResponse } from './me.js';
import type { PageAdminDeps, PageDeps } from './page-deps.js';
import type { PageRequest, SignedInRequest } from './page-request.js';
import type { PageSessions } from './page-sessions.js';
import { crossSiteReason, expectedOrigins } from './request-origin.js';
import { revealSecret } from './reveal.js';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from './session-cookie.js';
import { signIn, signInLimiter, signOut } from './sign-in.js';
import { listTokens } from './token-list.js';
import { listUsers } from './users-list.js';

/** Header that carries the CSRF token on every change. */
export const CSRF_HEADER = 'x-csrf-token';

/** tokenTools endpoints the page calls as they are (`/tokengate/api/tokenTools/<name>`). */
const PASS_THROUGH = [
  'set',
  'delete',
  'rotate',
  'settings',
  'check',
  'snippet',
  'audit',
  'auditStats',
  'upstreamCredential',
] as const;

type Handler = (call: SignedInRequest) => Promise<void>;

function isSafe(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/**
 * The page's JSON API under `/tokengate/api/`: sign-in and sign-out, the session's state
 * (`GET session`: 200 with `signedIn` true and the `me` answer, or false), `me`, the token list,
 * reveal, users, and the tokenTools endpoints called through their own `handle` functions with
 * the signed-in user as the actor. Every call but sign-in needs a valid session; every change
 * needs the session's CSRF token in `X-CSRF-Token` and a same-origin `Origin`/`Sec-Fetch-Site`.
 * `Authorization` headers are ignored: tokens never open the page.
 */
export class PageApi {
  readonly #deps: PageDeps;
  readonly #sessions: PageSessions;
  readonly #adminDeps: PageAdminDeps;
  readonly #router: AdminRouter<PageAdminDeps>;
  readonly #routes = new Map<string, Handler>();
  readonly #signInLimiter: FailureLimiter;

  constructor(deps: PageDeps, sessions: PageSessions) {
    this.#deps = deps;
    this.#sessions = sessions;
    this.#signInLimiter = signInLimiter(deps);
    this.#adminDeps = {
      config: deps.config,
      store: deps.store,
      now: deps.now,
      settings: () => deps.settingsHolder.current,
      settingsHolder: deps.settingsHolder,
      tokens: deps.tokens,
      users: deps.users,
      upstreamCredentials: deps.upstreamCredentials,
      publicUrl: deps.publicUrl,
    };
    const passPaths = new Set(PASS_THROUGH.map((name) => `${ADMIN_BASE}/${name}`));
    this.#router = new AdminRouter(
      deps.adminEndpoints.filter((e) => passPaths.has(e.path)),
      this.#adminDeps,
    );
    this.#routes.set('GET me', async (call) => {
      sendJson(call.res, 200, meResponse(deps, call.user, call.session, sessions.times));
    });
    // the page's first call: whether a session is open, answered 200 either way (see handle)
    this.#routes.set('GET session', async (call) => {
      sendJson(call.res, 200, { ...meResponse(deps, call.user, call.session, sessions.times), signedIn: true });
    });
    this.#routes.set('DELETE session', (call) => signOut(call, deps, sessions));
    this.#routes.set('GET tokens', (call) => listTokens(call, deps));
    this.#routes.set('POST tokens/reveal', (call) => revealSecret(call, deps));
    this.#routes.set('GET users', (call) => listUsers(call, deps));
    // whether the signed-in user holds an upstream credential (its kind and date, never the value)
    this.#routes.set('GET upstream-credential', async (call) => {
      sendJson(call.res, 200, {
        status: 'ok',
        credential: await deps.upstreamCredentials.describe(call.user.username),
      });
    });
  }

  /** Answers `sub` (the path after `/tokengate/api/`). Errors are thrown as HttpError. */
  async handle(call: PageRequest, sub: string): Promise<void> {
    const method = call.canonical.method;
    if (!isSafe(method)) {
      const refused = crossSiteReason(call.req, expectedOrigins(call.req, this.#deps.publicUrl, call.https));
      if (refused !== null) throw new HttpError('cross_site_refused', refused);
    }
    if (sub === 'session' && method === 'POST') return signIn(call, this.#deps, this.#sessions, this.#signInLimiter);

    const sent = sessionCookieOf(call.req);
    const resumed = await this.#sessions.resume(sent);
    if (!resumed.ok) {
      if (sent !== undefined) clearSessionCookie(call.res, call.https);
      // "am I signed in?" before sign-in is a question, not an error: no 401 in the console
      if (sub === 'session' && method === 'GET') {
        sendJson(call.res, 200, { status: 'ok', signedIn: false, message: resumed.reason ?? null });
        return;
      }
      const message =
        resumed.reason ??
        (call.req.headers.authorization !== undefined
          ? 'the page does not accept tokens or passwords in an Authorization header: sign in on the page'
          : 'sign in first');
      throw new HttpError('session_required', message);
    }
    const signedIn: SignedInRequest = { ...call, user: resumed.user, session: resumed.data };
    if (!isSafe(method) && !this.#sessions.csrfMatches(resumed.data, headerValue(call.req.headers[CSRF_HEADER]))) {
      throw new HttpError('csrf_failed', 'the CSRF token is missing or wrong: reload the page and try again');
    }
    if (resumed.renewed !== null) setSessionCookie(call.res, resumed.renewed, resumed.maxAgeSeconds, call.https);

    const handler = this.#routes.get(`${method} ${sub}`);
    if (handler !== undefined) return handler(signedIn);
    if (sub.startsWith('tokenTools/')) {
      const endpoint = this.#router.match(method, `${ADMIN_BASE}/${sub.slice('tokenTools/'.length)}`);
      if (endpoint !== null) {
        await this.#router.handle(endpoint, {
          canonical: call.canonical,
          req: call.req,
          res: call.res,
          actor: signedIn.user,
          bufferedBody: null,
          recordAdmin: (action) => recordPageAction(this.#deps, signedIn, action),
        });
        return;
      }
    }
    const known = [...this.#routes.keys()].filter((key) => key.slice(key.indexOf(' ') + 1) === sub);
    if (known.length > 0) {
      const allowed = known.map((key) => key.slice(0, key.indexOf(' '))).join(', ');
      throw new HttpError('method_not_allowed', `method ${method} is not allowed here; use ${allowed}`, {
        allow: allowed,
      });
    }
    throw new HttpError('unknown_api_path', `no page API at ${PAGE_API_BASE}${sub.slice(0, 100)}`);
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
