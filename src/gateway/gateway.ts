import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthCache } from '../auth/auth-cache.js';
import { type AuthResult, authenticate } from '../auth/authenticate.js';
import type { FailureLimiter } from '../auth/failure-limiter.js';
import type { Config } from '../config/config.js';
import type { CanonicalRequest } from '../http/canonical-request.js';
import { canonicalize } from '../http/canonicalize.js';
import { clientAddress } from '../http/client-address.js';
import { HttpError } from '../http/http-error.js';
import { findMethodOverride } from '../http/method-override.js';
import { readJsonBody } from '../http/read-json-body.js';
import { describeVerdict, evaluate } from '../restrictions/index.js';
import type { RequestFacts } from '../restrictions/types.js';
import type { AuditDecision } from '../store/models.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import type { AdminRouter } from './admin-router.js';
import type { CallLog } from './call-log.js';
import type { DatabaseHealth } from './database-health.js';
import { type Upstream, UpstreamError } from './forward.js';
import { sendError } from './send.js';
import type { SettingsHolder } from './settings-holder.js';
import { buildUpstreamHeaders } from './upstream-headers.js';
import { upstreamQuery } from './upstream-query.js';

export interface GatewayDeps {
  readonly config: Config;
  readonly publicUrl: string;
  readonly cache: AuthCache;
  readonly digest: (secret: string) => string;
  readonly limiter: FailureLimiter;
  /** Whether the database answers; past the outage grace period token calls get 503. */
  readonly database: DatabaseHealth;
  readonly settings: SettingsHolder;
  readonly calls: CallLog;
  readonly admin: AdminRouter;
  readonly upstream: Upstream | null;
  readonly now: () => number;
  /** Non-`/rest/` routes served by tokengate itself (`/healthz`, `/metrics`, the page). */
  readonly localRoutes: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
}

/** How long a token call waits for room in a full audit queue before 503. */
const AUDIT_ROOM_WAIT_MS = 250;

/** One call being handled: what the audit record needs, filled in as the call goes. */
interface CallState {
  readonly start: number;
  readonly ip: string;
  readonly req: IncomingMessage;
  canonical: CanonicalRequest | null;
  auth: AuthResult | null;
}

/**
 * The request pipeline: canonical request → authentication → restrictions → admin API or
 * upstream, with one audit record per token call. Every internal error fails closed (500,
 * nothing forwarded).
 */
export class Gateway {
  readonly #deps: GatewayDeps;
  readonly #identityHeader: string | null;
  readonly #upstreamAuthorization: string | null;
  readonly #challenges: Record<string, string[]>;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
    const upstream = deps.config.upstream;
    this.#identityHeader = upstream.identityHeader === null ? null : upstream.identityHeader.toLowerCase();
    const credentials = upstream.credentials;
    this.#upstreamAuthorization =
      credentials === null
        ? null
        : credentials.type === 'basic'
          ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
          : `Bearer ${credentials.token}`;
    this.#challenges = {
      basic: ['Basic realm="tokengate", charset="UTF-8"'],
      bearer: ['Bearer realm="tokengate"'],
      both: ['Basic realm="tokengate", charset="UTF-8"', 'Bearer realm="tokengate"'],
    };
  }

  /** Node `request` listener. Never throws. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const state: CallState = {
      start: this.#deps.now(),
      ip: clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.#deps.config.trustedProxyHops),
      req,
      canonical: null,
      auth: null,
    };
    this.#route(state, res).catch((err: unknown) => this.#failClosed(state, res, err));
  };

  async #route(state: CallState, res: ServerResponse): Promise<void> {
    const { req } = state;
    const result = canonicalize(
      { method: req.method ?? '', target: req.url ?? '', headers: req.headers },
      { publicUrl: this.#deps.publicUrl },
    );
    if (!result.ok) {
      sendError(res, result.status, result.message);
      return;
    }
    const canonical = result.request;
    state.canonical = canonical;
    const path = canonical.path;
    if (!path.startsWith('/rest/')) {
      if (!this.#deps.localRoutes(req, res, path))
        sendError(res, 404, `not found: tokengate serves only /rest/* (and its own pages)`);
      return;
    }
    await this.#tokenCall(state, canonical, res);
  }

  async #tokenCall(state: CallState, canonical: CanonicalRequest, res: ServerResponse): Promise<void> {
    const deps = this.#deps;
    const settings = deps.settings.current;

    const wait = deps.limiter.retryAfter(state.ip);
    if (wait > 0) {
      this.#record(state, 'unauthenticated', 'too many failed authentication attempts from this address', null);
      sendError(res, 429, 'too many failed authentication attempts; try again later', { 'retry-after': String(wait) });
      return;
    }

    if (!deps.calls.hasRoom() && !(await deps.calls.waitForRoom(AUDIT_ROOM_WAIT_MS))) {
      sendError(res, 503, 'the audit log cannot keep up; the call was not made, try again shortly', {
        'retry-after': '1',
      });
      return;
    }

    const auth = await authenticate(state.req.headers.authorization, settings.authType, {
      cache: deps.cache,
      digest: deps.digest,
      now: deps.now,
    });
    state.auth = auth;
    if (!auth.ok) {
      const retryAfter = auth.attempted ? await deps.limiter.fail(state.ip) : 0;
      this.#record(state, 'unauthenticated', auth.reason, null);
      if (retryAfter > 0) {
        sendError(res, 429, 'too many failed authentication attempts; try again later', {
          'retry-after': String(retryAfter),
        });
      } else {
        sendError(res, 401, auth.reason, { 'www-authenticate': this.#challenges[settings.authType] ?? [] });
      }
      return;
    }

    // Past the outage grace period a cached token may have been deleted meanwhile: fail closed.
    const outage = deps.database.refusal();
    if (outage !== null) {
      this.#record(state, 'error', outage, null);
      sendError(res, 503, outage, { 'retry-after': '5' });
      return;
    }

    if (settings.extenderEndpointsOnly && !canonical.path.startsWith('/rest/extender/')) {
      return this.#refuse(
        state,
        res,
        403,
        'tokens are restricted to Extender endpoints (/rest/extender/*) on this server',
      );
    }
    const override = findMethodOverride(canonical.headers, canonical.query);
    if (override !== null) return this.#refuse(state, res, 400, override);

    const facts: { -readonly [K in keyof RequestFacts]: RequestFacts[K] } = {
      method: canonical.method,
      path: canonical.path,
      absoluteUrl: canonical.absoluteUrl,
      query: canonical.query,
    };
    let verdict = evaluate(auth.ruleSet, facts);
    let bodyBytes: Buffer | null = null;
    let bodyValue: unknown;
    if (!verdict.allowed && verdict.needsBody) {
      try {
        const body = await readJsonBody(state.req, canonical.headers, deps.config.bodyLimitBytes);
        bodyBytes = body.bytes;
        bodyValue = body.value;
      } catch (err) {
        if (err instanceof HttpError) return this.#refuse(state, res, err.status, err.message);
        throw err;
      }
      facts.body = { kind: 'json', value: bodyValue };
      verdict = evaluate(auth.ruleSet, facts);
    }
    if (!verdict.allowed) {
      const reason = describeVerdict(verdict);
      this.#record(state, 'denied', reason, null);
      sendError(res, 403, `token "${auth.token.label}" does not allow this request: ${reason}`);
      return;
    }

    const admin = deps.admin.match(canonical.method, canonical.path);
    if (admin !== null) {
      const status = await deps.admin.handle(admin, {
        canonical,
        req: state.req,
        res,
        actor: auth.user,
        bufferedBody: bodyBytes === null ? null : { bytes: bodyBytes, value: bodyValue },
        recordAdmin: (action) =>
          deps.calls.recordAdmin({
            time: deps.now(),
            actor: auth.user.username,
            authMethod: auth.method,
            method: canonical.method,
            path: canonical.path,
            action: action.action,
            tokenId: action.tokenId ?? null,
            tokenLabel: action.tokenLabel ?? null,
            clientIp: state.ip,
            userAgent: state.req.headers['user-agent'] ?? '',
            secret: auth.secret,
            extraSecrets: action.extraSecrets ?? [],
          }),
      });
      this.#record(
        state,
        status < 400 ? 'allowed' : 'error',
        status < 400 ? 'admin API' : 'admin API refused the call',
        status,
      );
      if (status < 400) deps.calls.countUsage(auth.token.id, state.ip, deps.now());
      return;
    }

    const upstream = deps.upstream;
    if (upstream === null) {
      return this.#refuse(state, res, 404, 'no upstream REST API is configured for this path');
    }
    const query = upstreamQuery(canonical.rawQuery, canonical.query);
    const headers = buildUpstreamHeaders(canonical.headers, {
      peerAddress: state.req.socket.remoteAddress ?? state.ip,
      proto: 'encrypted' in state.req.socket && state.req.socket.encrypted ? 'https' : 'http',
      identityHeader: this.#identityHeader,
      username: auth.user.username,
      upstreamAuthorization: this.#upstreamAuthorization,
    });
    if (bodyBytes !== null) headers['content-length'] = String(bodyBytes.length);
    const body = bodyBytes ?? (hasBody(state.req) ? state.req : null);
    try {
      const status = await upstream.forward(
        res,
        canonical.method,
        query === '' ? canonical.path : `${canonical.path}?${query}`,
        headers,
        body,
      );
      this.#record(
        state,
        'allowed',
        `allowed by ${verdict.line === 0 ? 'an unrestricted token' : `line ${verdict.line}`}`,
        status,
      );
      deps.calls.countUsage(auth.token.id, state.ip, deps.now());
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      this.#record(state, 'error', err.message, err.status);
      sendError(res, err.status, err.message);
    }
  }

  #refuse(state: CallState, res: ServerResponse, status: number, message: string): void {
    this.#record(state, 'refused', message, null);
    sendError(res, status, message);
  }

  #record(state: CallState, decision: AuditDecision, reason: string, upstreamStatus: number | null): void {
    const auth = state.auth;
    const canonical = state.canonical;
    this.#deps.calls.record({
      time: state.start,
      tokenId: auth?.ok ? auth.token.id : (auth?.token?.id ?? null),
      tokenLabel: auth?.ok ? auth.token.label : (auth?.token?.label ?? null),
      user: auth?.ok ? auth.user.username : (auth?.userName ?? null),
      authMethod: auth?.method ?? null,
      method: canonical?.method ?? state.req.method ?? '',
      path: canonical?.path ?? '',
      rawQuery: canonical?.rawQuery ?? '',
      decision,
      reason,
      upstreamStatus,
      clientIp: state.ip,
      userAgent: state.req.headers['user-agent'] ?? '',
      durationMs: this.#deps.now() - state.start,
      secret: auth?.secret ?? null,
    });
  }

  #failClosed(state: CallState, res: ServerResponse, err: unknown): void {
    const unavailable =
      !(err instanceof HttpError) && (isDatabaseUnavailable(err) || this.#deps.database.state() !== 'up');
    const message =
      err instanceof HttpError
        ? err.message
        : unavailable
          ? 'the database is not answering: the call was refused; try again shortly'
          : 'internal error: the call was refused';
    const status = err instanceof HttpError ? err.status : unavailable ? 503 : 500;
    if (!(err instanceof HttpError)) this.#deps.calls.logError(err);
    if (state.canonical?.path.startsWith('/rest/')) {
      try {
        this.#record(state, 'error', message, null);
      } catch {
        // the audit log is failing too; the call is refused either way
      }
    }
    sendError(res, status, message, unavailable ? { 'retry-after': '5' } : {});
  }
}

/** True when the request has a body to stream (Content-Length > 0 or chunked). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}
