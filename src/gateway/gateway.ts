import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { adminAccessRefusal } from '../admin/admin-access.js';
import type { AdminRouter } from '../admin/admin-router.js';
import type { CallLog } from '../audit/call-log.js';
import { redactedParamNames, redactedParamValues, redactReasonValues } from '../audit/sanitize.js';
import type { AuthCache } from '../auth/auth-cache.js';
import { type AuthenticateDeps, type AuthResult, authenticate } from '../auth/authenticate.js';
import { CredentialMemo, readCredentials } from '../auth/credentials.js';
import type { Attempt, FailureLimiter } from '../auth/failure-limiter.js';
import { carriesToken, presentedSecret, type TokenPresenceDeps } from '../auth/token-presence.js';
import type { Config } from '../config/config.js';
import { sendDecisionAllowed, sendDecisionRefusal } from '../decision/decision-answer.js';
import { type DecisionFlavour, hasFormBody, originalRequest, urlOverrideHeader } from '../decision/original-request.js';
import type { CanonicalizeOptions, CanonicalRequest } from '../http/canonical-request.js';
import { canonicalize } from '../http/canonicalize.js';
import { clientAddress } from '../http/client-address.js';
import { type ErrorCode, fixedMessage } from '../http/error-catalogue.js';
import { type FormBody, type FormKind, formKindOf, mergedParams, readFormBody } from '../http/form-body.js';
import { HttpError } from '../http/http-error.js';
import { findMethodOverride } from '../http/method-override.js';
import { DECISION_PATH, OPENAPI_PATH } from '../http/paths.js';
import { publicBase } from '../http/public-base.js';
import { readJsonBody } from '../http/read-json-body.js';
import { errorCodeSent, sendError } from '../http/send.js';
import type { JsonNumberText } from '../http/strict-json.js';
import { type PolicyGate, PolicyStoreError } from '../policy/policy-gate.js';
import { describeVerdict, evaluate, requestFacts } from '../restrictions/index.js';
import type { RequestFacts, Verdict } from '../restrictions/types.js';
import type { DatabaseHealth } from '../store/database-health.js';
import type { AuditDecision, RuntimeSettings } from '../store/models.js';
import type { SettingsHolder } from '../store/settings-holder.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import { formBodyRefusal } from './form-body-refusal.js';
import { type Upstream, UpstreamBrokeOff, UpstreamError } from './forward.js';
import type { Route, RouteTable } from './route-table.js';
import type { UpstreamAuthorizations } from './upstream-authorizations.js';
import { buildUpstreamHeaders } from './upstream-headers.js';
import { upstreamQuery } from './upstream-query.js';

export interface GatewayDeps {
  readonly config: Config;
  readonly publicUrl: string;
  readonly cache: AuthCache;
  readonly digest: (secret: string) => string;
  readonly limiter: FailureLimiter;
  /** Whether the database answers; past the outage grace period token calls get 503. */
  readonly databaseHealth: DatabaseHealth;
  readonly settingsHolder: SettingsHolder;
  /** Where each call is recorded: audit records, usage, internal errors. */
  readonly callLog: CallLog;
  readonly admin: AdminRouter;
  readonly upstream: Upstream | null;
  /** Token policy: IP allow lists, rate limits and quotas. */
  readonly policy: PolicyGate;
  /** Users' own upstream credentials (instead of the fixed `upstream.credentials`). */
  readonly upstreamAuthorizations: UpstreamAuthorizations;
  readonly now: () => number;
  /** Which paths are tokengate's own, which are protected. */
  readonly routes: RouteTable;
  /**
   * Routes served by tokengate itself outside the protected prefixes (`/healthz`, `/metrics`,
   * the page, and the OpenAPI document, which is passed as `OPENAPI_PATH`).
   */
  readonly localRoutes: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
  /** Told of every call once its response is done (the access log); absent: nothing is. */
  readonly onCallEnd?: ((call: EndedCall) => void) | undefined;
}

/**
 * An allowed call handed to the embedding app (middleware mode) instead of the upstream: who
 * called, and what was judged — the body exactly as read when the rules needed it.
 */
export interface AppCall {
  readonly user: string;
  readonly tokenId: string;
  readonly tokenLabel: string;
  readonly authMethod: 'basic' | 'bearer';
  /** The rule line that allowed the call (0: an unrestricted token). */
  readonly line: number;
  readonly canonical: CanonicalRequest;
  /** The body when tokengate read it (JsonData rules, form bodies): its exact bytes and parsed value. */
  readonly body: {
    readonly bytes: Buffer;
    /** JSON: the parsed value; form: parameter name → every value. */
    readonly value: unknown;
    readonly kind: 'json' | 'form';
  } | null;
}

/** Middleware mode: gets each allowed call once it is recorded as allowed; the app answers `res`. */
export type AppHandoff = (call: AppCall) => void;

const PROTECTED_ROUTE: Route = Object.freeze({ kind: 'protected' });

/** How long a token call waits for room in a full audit queue before 503. */
const AUDIT_ROOM_WAIT_MS = 250;
/** Accepted `Authorization` values whose decoding and digest are remembered (see CredentialMemo). */
const CREDENTIAL_MEMO_SIZE = 1024;

/** One call being handled: what the audit record needs, filled in as the call goes. */
interface CallState {
  readonly start: number;
  readonly ip: string;
  readonly req: IncomingMessage;
  /** Null for a call through the gateway; for a proxy's decision request, which proxy asks. */
  readonly flavour: DecisionFlavour | null;
  canonical: CanonicalRequest | null;
  /** What the path is to tokengate; null until canonicalised. */
  route: Route | null;
  auth: AuthResult | null;
  /** For a request refused before it had a canonical form: its target, escaped and truncated. */
  refusedTarget: { readonly path: string; readonly query: string } | null;
  /** Middleware mode: where an allowed call goes instead of the upstream (null: the gateway). */
  readonly app: AppHandoff | null;
  /** A form body's parameters once read (middleware mode hands them to the app). */
  form: ReadonlyMap<string, readonly string[]> | null;
  /** The decision recorded for the call (null: none, e.g. tokengate's own pages). */
  decision: AuditDecision | null;
}

/** A call that has ended, for the access log: what the gateway knew, unscrubbed (the observer scrubs). */
export interface EndedCall {
  readonly start: number;
  readonly end: number;
  readonly method: string;
  /** Canonical path, or the target as received when it had no canonical form. */
  readonly path: string;
  readonly rawQuery: string;
  readonly status: number;
  /** False when the connection closed before the response was complete. */
  readonly completed: boolean;
  readonly clientIp: string;
  readonly user: string | null;
  readonly tokenId: string | null;
  readonly decision: AuditDecision | null;
  readonly code: ErrorCode | null;
  /** The credential presented, to scrub from every field; null when none. */
  readonly secret: string | null;
}

/**
 * The request pipeline: canonical request → authentication → restrictions → admin API or
 * upstream, with one audit record per token call. Every internal error fails closed (500,
 * nothing forwarded).
 */
export class Gateway {
  readonly #deps: GatewayDeps;
  readonly #identityHeader: string | null;
  /** X-Forwarded-Proto and X-Forwarded-Host, from the public URL (never from the client). */
  readonly #publicProto: string;
  readonly #publicHost: string;
  readonly #upstreamAuthorization: string | null;
  readonly #requireOwnCredential: boolean;
  /** The 404 message, naming the protected prefixes. */
  readonly #notFound: string;
  readonly #challenges: Record<string, string[]>;
  readonly #canonicalizeOptions: CanonicalizeOptions;
  readonly #authDeps: AuthenticateDeps;
  /** Query parameters whose values are never quoted in a reason (`audit.redactParams` and the built-in ones). */
  readonly #redactedNames: ReadonlySet<string>;
  readonly #presenceDeps: TokenPresenceDeps;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
    this.#canonicalizeOptions = { publicUrl: deps.publicUrl, encodedSlash: deps.config.encodedSlash };
    this.#redactedNames = redactedParamNames(deps.config.audit.redactParams);
    const base = publicBase(deps.publicUrl);
    this.#publicProto = base.protocol.slice(0, -1);
    this.#publicHost = base.host;
    this.#authDeps = {
      cache: deps.cache,
      digest: deps.digest,
      now: deps.now,
      memo: new CredentialMemo(CREDENTIAL_MEMO_SIZE),
    };
    this.#presenceDeps = { cache: deps.cache, digest: deps.digest };
    const upstream = deps.config.upstream;
    this.#identityHeader = upstream.identityHeader === null ? null : upstream.identityHeader.toLowerCase();
    this.#requireOwnCredential = upstream.perUserCredentials === 'required';
    this.#notFound = `not found: tokengate serves only ${deps.routes.protectedPrefixes.map((p) => `${p}*`).join(', ')} (and its own pages)`;
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

  /** A call's state as it starts: only its time and client address are known (`extraHops`: see #decisionCall). */
  #startState(
    req: IncomingMessage,
    flavour: DecisionFlavour | null,
    route: Route | null,
    app: AppHandoff | null,
    extraHops: number,
  ): CallState {
    const deps = this.#deps;
    return {
      start: deps.now(),
      ip: clientAddress(
        req.socket.remoteAddress,
        req.headers['x-forwarded-for'],
        deps.config.trustedProxyHops + extraHops,
      ),
      req,
      flavour,
      canonical: null,
      route,
      auth: null,
      refusedTarget: null,
      app,
      form: null,
      decision: null,
    };
  }

  /** Node `request` listener. Never throws. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const deps = this.#deps;
    const state = this.#startState(req, null, null, null, 0);
    try {
      if (isDecisionTarget(req.url)) {
        // observed there, with the state of the decision call
        this.#decisionCall(req, res);
        return;
      }
      if (deps.onCallEnd !== undefined) this.#observe(state, res, deps.onCallEnd);
      const canonical = this.#route(state, res);
      if (canonical === null) return;
      const pending = deps.config.passthrough
        ? this.#sortOut(state, canonical, res)
        : this.#tokenCall(state, canonical, res);
      if (pending !== undefined) pending.catch((err: unknown) => this.#failClosed(state, res, err));
    } catch (err) {
      this.#failClosed(state, res, err);
    }
  };

  /**
   * Middleware mode: `target` (the request's full path and query as the client sent it) is judged
   * as a token call with the same steps — limits, authentication, policy, rules, body, audit — and
   * an allowed call goes to `serve` instead of the upstream; every refusal is answered here exactly
   * as the gateway answers it. Every path is a protected one (the app chose where it mounts this);
   * tokengate's own routes are not served. Never throws.
   */
  handleForApp(req: IncomingMessage, res: ServerResponse, target: string, serve: AppHandoff): void {
    const deps = this.#deps;
    const state = this.#startState(req, null, PROTECTED_ROUTE, serve, 0);
    try {
      if (deps.onCallEnd !== undefined) this.#observe(state, res, deps.onCallEnd);
      const result = canonicalize(
        { method: req.method ?? '', target, headers: req.headers },
        this.#canonicalizeOptions,
      );
      const refused = result.ok ? notAsSent(target, result.request.path) : result.message;
      if (refused !== null || !result.ok) {
        sendError(res, 'malformed_request', refused ?? 'the request cannot be read');
        if (req.headers.authorization !== undefined) this.#recordRefusedTarget(state, refused ?? '');
        return;
      }
      state.canonical = result.request;
      const pending = this.#tokenCall(state, result.request, res);
      if (pending !== undefined) pending.catch((err: unknown) => this.#failClosed(state, res, err));
    } catch (err) {
      this.#failClosed(state, res, err);
    }
  }

  /**
   * Node `request` listener of the decision listener (`decision.port`): the decision endpoint
   * only, 404 for anything else. Never throws.
   */
  handleDecisionListener = (req: IncomingMessage, res: ServerResponse): void => {
    if (isDecisionTarget(req.url)) this.#decisionCall(req, res, 1);
    else sendError(res, 'not_found', `not found: this listener serves only ${DECISION_PATH}`);
  };

  /**
   * A proxy asks whether the request it holds may pass (nginx `auth_request`, Caddy
   * `forward_auth`, Traefik `ForwardAuth`, Envoy `ext_authz`): the original request is read from
   * the proxy's headers, canonicalised by the same code, then goes through the same steps as a
   * token call (limits, authentication, rules, audit); instead of being forwarded, an allowed call
   * is answered 200 with the headers the proxy sets upstream. `askingHops`: proxies trusted on top
   * of `trustedProxyHops` (1 on the decision listener, which only the asking proxy reaches).
   */
  #decisionCall(req: IncomingMessage, res: ServerResponse, askingHops = 0): void {
    const deps = this.#deps;
    const question = originalRequest(req.method ?? '', req.url ?? '', req.headers, DECISION_PATH);
    const state = this.#startState(req, question.flavour, null, null, askingHops);
    if (deps.onCallEnd !== undefined) this.#observe(state, res, deps.onCallEnd);
    try {
      if ('refused' in question) {
        this.#answerError(state, res, 'malformed_request', question.refused);
        return;
      }
      const result = canonicalize(question.raw, this.#canonicalizeOptions);
      if (!result.ok) {
        this.#answerError(state, res, 'malformed_request', result.message);
        return;
      }
      const canonical = result.request;
      state.canonical = canonical;
      const route = deps.routes.classify(canonical.path);
      state.route = route;
      if (route.kind !== 'protected' && route.kind !== 'admin') {
        // the proxy asks only about protected paths; anything else is not tokengate's to allow
        this.#answerError(state, res, 'not_found', this.#notFound);
        return;
      }
      const pending = this.#tokenCall(state, canonical, res);
      if (pending !== undefined) pending.catch((err: unknown) => this.#failClosed(state, res, err));
    } catch (err) {
      this.#failClosed(state, res, err);
    }
  }

  /**
   * The canonical request of a token call (under the protected prefix), or null when the request was answered here
   * (400 for a request that cannot be canonicalised, tokengate's own pages, 404).
   *
   * The steps of a token call are synchronous methods joined by promise continuations at the
   * two places that wait (authentication, the upstream): an async function keeps its whole frame
   * on the heap for every call, which costs allocation and garbage collection on every request.
   */
  #route(state: CallState, res: ServerResponse): CanonicalRequest | null {
    const req = state.req;
    const result = canonicalize(
      { method: req.method ?? '', target: req.url ?? '', headers: req.headers },
      this.#canonicalizeOptions,
    );
    if (!result.ok) {
      sendError(res, 'malformed_request', result.message);
      // With credentials this is an attempt an operator wants to see (`..;/`, `%2e%2e`, `//`…): recorded.
      if (req.headers.authorization !== undefined) this.#recordRefusedTarget(state, result.message);
      return null;
    }
    const canonical = result.request;
    state.canonical = canonical;
    const route = this.#deps.routes.classify(canonical.path);
    state.route = route;
    switch (route.kind) {
      case 'openapi':
        continueIfExpected(state.req, res);
        if (!this.#deps.localRoutes(state.req, res, OPENAPI_PATH)) {
          sendError(res, 'method_not_allowed', `method ${canonical.method} is not allowed here; use GET`, {
            allow: 'GET',
          });
        }
        return null;
      case 'admin':
      case 'protected':
        return canonical;
      default:
        // no token is judged here: a local route, a pass-through (the upstream judges), or a 404
        continueIfExpected(state.req, res);
        if (this.#deps.localRoutes(state.req, res, canonical.path)) return null;
        if (this.#deps.config.passthrough) return canonical;
        sendError(res, 'not_found', this.#notFound);
        return null;
    }
  }

  /**
   * With pass-through on: a request that carries a tokengate token is a token call (under a
   * protected prefix; elsewhere it is refused, so the secret never reaches the upstream); one that
   * carries none goes to the upstream unchanged. tokenTools paths always need a token.
   */
  #sortOut(state: CallState, canonical: CanonicalRequest, res: ServerResponse): Promise<void> | undefined {
    if (state.route?.kind === 'admin') return this.#tokenCall(state, canonical, res);
    const carries = carriesToken(state.req.headers.authorization, this.#presenceDeps);
    if (carries === true) return this.#withToken(state, canonical, res);
    if (carries === false) return this.#passThrough(state, canonical, res);
    return carries.then((token) =>
      token ? this.#withToken(state, canonical, res) : this.#passThrough(state, canonical, res),
    );
  }

  #withToken(state: CallState, canonical: CanonicalRequest, res: ServerResponse): Promise<void> | undefined {
    if (state.route?.kind === 'protected') return this.#tokenCall(state, canonical, res);
    this.#refuse(
      state,
      res,
      'token_outside_protected',
      `tokens are accepted only under ${this.#deps.routes.protectedPrefixes.join(', ')}; this path is passed through only without one`,
    );
    return undefined;
  }

  /**
   * A request without a token, sent as it came: its own `Authorization` and cookies, its query,
   * its body; no identity header (in any spelling), no configured upstream credentials. Not a
   * failed authentication; recorded only when `audit.passthrough` is on.
   */
  #passThrough(state: CallState, canonical: CanonicalRequest, res: ServerResponse): Promise<void> | undefined {
    const deps = this.#deps;
    const upstream = deps.upstream;
    if (upstream === null) {
      sendError(res, 'no_upstream', fixedMessage('no_upstream'));
      return undefined;
    }
    const req = state.req;
    const headers = buildUpstreamHeaders(canonical.headers, {
      clientAddress: state.ip,
      publicProto: this.#publicProto,
      publicHost: this.#publicHost,
      identityHeader: this.#identityHeader,
      username: '',
      upstreamAuthorization: null,
      passThrough: true,
    });
    const target = canonical.rawQuery === '' ? canonical.path : `${canonical.path}?${canonical.rawQuery}`;
    return upstream.forward(res, canonical.method, target, headers, hasBody(req) ? req : null).then(
      (status) => this.#recordPassThrough(state, 'passthrough', 'passed through without a token', status),
      (err: unknown) => {
        if (!(err instanceof UpstreamError)) throw err;
        this.#recordPassThrough(state, 'error', err.message, err.status);
        sendError(res, err.code, err.message);
      },
    );
  }

  #recordPassThrough(state: CallState, decision: AuditDecision, reason: string, status: number | null): void {
    state.decision = decision;
    if (!this.#deps.config.audit.passthrough) return;
    const canonical = state.canonical;
    const end = this.#deps.now();
    this.#deps.callLog.record({
      time: state.start,
      tokenId: null,
      tokenLabel: null,
      user: null,
      authMethod: null,
      method: canonical?.method ?? state.req.method ?? '',
      path: canonical?.path ?? '',
      rawQuery: canonical?.rawQuery ?? '',
      decision,
      reason,
      upstreamStatus: status,
      clientIp: state.ip,
      userAgent: state.req.headers['user-agent'] ?? '',
      durationMs: end - state.start,
      // the upstream's own password or token: scrubbed wherever it might appear
      secret: presentedSecret(state.req.headers.authorization),
    });
  }

  /** Records a request refused at the canonical-request step, with whoever its credentials name. */
  #recordRefusedTarget(state: CallState, message: string): void {
    state.refusedTarget = escapedTarget(state.req.url ?? '');
    const settings = this.#deps.settingsHolder.current;
    authenticate(state.req.headers.authorization, settings.authType, this.#authDeps)
      .then((auth) => {
        state.auth = auth;
        this.#record(state, auth.ok ? 'refused' : 'unauthenticated', message, null);
      })
      .catch((err: unknown) => this.#deps.callLog.logError(err));
  }

  /** A token call; returns what is still under way (undefined when it was answered at once). Throws like it rejects. */
  #tokenCall(state: CallState, canonical: CanonicalRequest, res: ServerResponse): Promise<void> | undefined {
    const deps = this.#deps;
    const settings = deps.settingsHolder.current;
    if (this.#rateLimited(state, res)) return;
    if (!deps.callLog.hasRoom()) {
      return deps.callLog.waitForRoom(AUDIT_ROOM_WAIT_MS).then((room) => {
        if (room) return this.#identifyCaller(state, canonical, res, settings);
        this.#answerError(state, res, 'audit_overloaded', fixedMessage('audit_overloaded'), {
          'retry-after': '1',
        });
      });
    }
    return this.#identifyCaller(state, canonical, res, settings);
  }

  /** Reads the credentials and resolves token and user (through the cache), then decides. */
  #identifyCaller(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    settings: RuntimeSettings,
  ): Promise<void> {
    return authenticate(state.req.headers.authorization, settings.authType, this.#authDeps).then((auth) =>
      this.#decideForCaller(state, canonical, res, settings, auth),
    );
  }

  /** Once the caller is known: 401/429, a refusal, a denial, the body read, or the call served. */
  #decideForCaller(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    settings: RuntimeSettings,
    auth: AuthResult,
  ): Promise<void> | undefined {
    state.auth = auth;
    if (!auth.ok) return this.#unauthenticated(state, res, auth, settings);
    // (a proxy's decision request never carries the body: its form bodies are refused in #check)
    const form = state.flavour === null && hasBody(state.req) ? formKindOf(canonical.headers['content-type']) : null;
    // A form body carries parameters: it is read (after the checks that need no body) and judged with the query.
    if (form !== null) {
      return this.#refusedBeforeRules(state, canonical, res, settings)
        ? undefined
        : this.#withForm(state, canonical, res, auth, form);
    }
    const verdict = this.#check(state, canonical, res, auth, settings);
    if (verdict === null) return;
    if (verdict.allowed) {
      if (state.flavour === null) continueIfExpected(state.req, res);
      return this.#serveAllowed(state, canonical, res, auth, verdict.line, null);
    }
    if (verdict.needsBody) {
      if (state.flavour === null) {
        continueIfExpected(state.req, res);
        return this.#withBody(state, canonical, res, auth);
      }
      // a proxy sends no body: a rule that reads it cannot be judged, so the call is refused
      this.#refuse(
        state,
        res,
        'body_not_available',
        `token "${auth.token.label}" has rules that read the request body (JsonData), and a proxy decision is made without the body: send this call through tokengate's gateway`,
      );
      return;
    }
    this.#deny(state, res, auth, verdict);
  }

  /**
   * 429 (recorded) when the attempt falls under a blocked failure counter: the user it claims
   * from this address, that user everywhere, or (attempts naming no user) this address.
   */
  #rateLimited(state: CallState, res: ServerResponse): boolean {
    const limiter = this.#deps.limiter;
    if (limiter.idle) return false;
    const wait = limiter.retryAfter(this.#attempt(state));
    if (wait <= 0) return false;
    this.#record(state, 'unauthenticated', 'too many failed authentication attempts', null);
    this.#answerError(state, res, 'too_many_failures', fixedMessage('too_many_failures'), {
      'retry-after': String(wait),
    });
    return true;
  }

  /** Who a call claims to be before anything is verified (the Basic user name), for the limiter. */
  #attempt(state: CallState): Attempt {
    const header = state.req.headers.authorization;
    const known = header === undefined ? undefined : this.#authDeps.memo?.get(header);
    let credentials = known?.credentials;
    if (credentials === undefined) {
      const read = readCredentials(header);
      if (read.ok) credentials = read.credentials;
    }
    return { address: state.ip, user: credentials?.scheme === 'basic' ? credentials.user : null };
  }

  /** 401, or 429 when this failure went over the limit; recorded. */
  async #unauthenticated(
    state: CallState,
    res: ServerResponse,
    auth: AuthResult & { ok: false },
    settings: RuntimeSettings,
  ): Promise<void> {
    const limiter = this.#deps.limiter;
    const retryAfter = auth.attempted
      ? await limiter.fail({ address: state.ip, user: auth.method === 'basic' ? auth.userName : null })
      : limiter.overNoiseLimit(state.ip)
        ? 1
        : 0;
    this.#record(state, 'unauthenticated', auth.reason, null);
    if (retryAfter > 0) {
      this.#answerError(state, res, 'too_many_failures', fixedMessage('too_many_failures'), {
        'retry-after': String(retryAfter),
      });
    } else {
      this.#answerError(state, res, auth.code, auth.reason, {
        'www-authenticate': this.#challenges[settings.authType] ?? [],
      });
    }
  }

  /**
   * The checks after authentication, then the rules without the body: the verdict, or null when
   * the call was refused (answered and recorded).
   */
  #check(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    settings: RuntimeSettings,
  ): Verdict | null {
    if (this.#refusedBeforeRules(state, canonical, res, settings)) return null;
    // The body is not read yet: a JsonData rule that could allow the call answers needsBody.
    return evaluate(auth.ruleSet, requestFacts(canonical));
  }

  /** The checks after authentication that need neither rules nor body; true when the call was refused (answered, recorded). */
  #refusedBeforeRules(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    settings: RuntimeSettings,
  ): boolean {
    // Past the outage grace period a cached token may have been deleted meanwhile: fail closed.
    const outage = this.#deps.databaseHealth.refusal();
    if (outage !== null) {
      this.#record(state, 'error', outage, null);
      this.#answerError(state, res, 'database_outage', outage, { 'retry-after': '5' });
      return true;
    }
    const auth = state.auth;
    const notAllowedFrom = auth?.ok === true ? this.#deps.policy.addressRefusal(auth.token, state.ip) : null;
    if (notAllowedFrom !== null) {
      this.#refuse(state, res, 'address_not_allowed', notAllowedFrom);
      return true;
    }
    if (
      settings.extenderEndpointsOnly &&
      state.route?.kind !== 'admin' &&
      !canonical.path.startsWith(this.#deps.routes.extenderBase)
    ) {
      this.#refuse(state, res, 'extender_endpoints_only', fixedMessage('extender_endpoints_only'));
      return true;
    }
    const override = findMethodOverride(canonical.headers, canonical.query);
    if (override !== null) {
      this.#refuse(state, res, 'method_override_refused', override);
      return true;
    }
    if (state.flavour !== null && this.#undecidable(state, canonical, res)) return true;
    return false;
  }
  /**
   * A call with a form body: the body is read (bounded) and its parameters judged with the
   * query's — every value of a parameter a QueryParam part names, from both; override and
   * credential parameters refused. The bytes judged are the bytes forwarded.
   */
  async #withForm(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    kind: FormKind,
  ): Promise<void> {
    continueIfExpected(state.req, res);
    let form: FormBody;
    try {
      form = await readFormBody(state.req, canonical.headers, kind, this.#deps.config.bodyLimitBytes);
    } catch (err) {
      if (err instanceof HttpError) return this.#refuse(state, res, err.code, err.message);
      throw err;
    }
    state.form = form.params;
    const refusal = formBodyRefusal(form.names);
    if (refusal !== null) return this.#refuse(state, res, refusal.code, refusal.message);
    if (this.#deps.admin.match(canonical.method, canonical.path) !== null) {
      return this.#refuse(state, res, 'unsupported_media_type', "tokengate's admin API takes JSON bodies, not forms");
    }
    // the one facts builder, with the body's parameters beside the query's
    const facts: RequestFacts = {
      ...requestFacts(canonical, { kind: 'none' }),
      query: mergedParams(canonical.query, form.params),
    };
    // The rules must hold whether the upstream reads the body's parameters (POST in a servlet
    // container, PUT/PATCH in other frameworks) or not (GET, another letter case of the type…).
    const withBody = evaluate(auth.ruleSet, facts);
    if (!withBody.allowed) return this.#deny(state, res, auth, withBody);
    const queryOnly = evaluate(auth.ruleSet, { ...facts, query: canonical.query });
    if (!queryOnly.allowed) return this.#deny(state, res, auth, queryOnly);
    return this.#serveAllowed(state, canonical, res, auth, withBody.line, { bytes: form.bytes, value: undefined });
  }

  /** A JsonData rule may allow the call: reads the body strictly and decides again. */
  async #withBody(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
  ): Promise<void> {
    let body: { bytes: Buffer; value: unknown; numberText: JsonNumberText | null };
    try {
      body = await readJsonBody(state.req, canonical.headers, this.#deps.config.bodyLimitBytes);
    } catch (err) {
      if (err instanceof HttpError) return this.#refuse(state, res, err.code, err.message);
      throw err;
    }
    const verdict = evaluate(
      auth.ruleSet,
      requestFacts(canonical, { kind: 'json', value: body.value, numberText: body.numberText }),
    );
    if (!verdict.allowed) return this.#deny(state, res, auth, verdict);
    return this.#serveAllowed(state, canonical, res, auth, verdict.line, body);
  }

  /** 403 naming the token and every rule's reason (never quoting a redacted parameter's value); recorded. */
  #deny(state: CallState, res: ServerResponse, auth: AuthResult & { ok: true }, verdict: Verdict): void {
    const described = describeVerdict(verdict);
    const hidden = redactedParamValues(state.canonical?.rawQuery ?? '', this.#redactedNames);
    const reason = hidden.length === 0 ? described : redactReasonValues(described, hidden);
    this.#record(state, 'denied', reason, null);
    this.#answerError(
      state,
      res,
      'request_denied',
      `token "${auth.token.label}" does not allow this request: ${reason}`,
    );
  }

  /**
   * An allowed call; a token with a rate limit or quota is counted first (one atomic count in the
   * shared store): over the limit 429, quota used up 403, store failing 503 — all recorded.
   */
  #serveAllowed(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    line: number,
    body: { bytes: Buffer; value: unknown } | null,
  ): Promise<void> | undefined {
    const policy = this.#deps.policy;
    if (!policy.counted(auth.token)) return this.#serveCounted(state, canonical, res, auth, line, body);
    return policy.admit(auth.token, this.#deps.now()).then(
      (admission) => {
        for (const [name, value] of Object.entries(admission.headers)) {
          if (value !== undefined) res.setHeader(name, value);
        }
        if (admission.ok) return this.#serveCounted(state, canonical, res, auth, line, body);
        this.#record(state, 'refused', admission.message, null);
        sendError(res, admission.code, admission.message);
      },
      (err: unknown) => {
        if (!(err instanceof PolicyStoreError)) throw err;
        this.#deps.callLog.logError(err);
        this.#record(state, 'error', fixedMessage(err.code), null);
        sendError(res, err.code, fixedMessage(err.code), { 'retry-after': '5' });
      },
    );
  }

  /** An allowed (and counted) call: tokengate's admin API or the upstream. `line` is the rule that allowed it. */
  #serveCounted(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    line: number,
    body: { bytes: Buffer; value: unknown } | null,
  ): Promise<void> | undefined {
    const deps = this.#deps;
    const route = state.route;
    if (state.app !== null) return this.#toApp(state, state.app, canonical, res, auth, line, body);
    if (state.flavour !== null) {
      // tokengate's own paths are served by tokengate, never judged for a proxy
      if (route?.kind === 'admin') {
        this.#refuse(state, res, 'decision_not_for_admin', fixedMessage('decision_not_for_admin'));
        return;
      }
      return this.#decisionAllowed(state, res, auth, line);
    }
    if (route?.kind === 'admin') {
      // tokengate's own path in any letter case: served here or 404, never forwarded
      const admin = deps.admin.match(canonical.method, route.adminPath);
      if (admin === null) {
        this.#refuse(state, res, 'unknown_admin_endpoint', fixedMessage('unknown_admin_endpoint'));
        return;
      }
      // the privilege rule of the admin API, in one place for every endpoint (see admin-access.ts)
      const refusal = adminAccessRefusal(canonical.method, admin.path, {
        token: auth.token,
        ruleSet: auth.ruleSet,
        line,
      });
      if (refusal !== null) {
        this.#refuse(state, res, 'admin_access_denied', refusal);
        return;
      }
      return this.#admin(state, canonical, res, auth, admin, body);
    }

    if (deps.upstream === null) {
      this.#refuse(state, res, 'no_upstream', fixedMessage('no_upstream'));
      return;
    }
    // the user's own upstream credential, else the fixed one (if any)
    const own = deps.upstreamAuthorizations.of(auth.user.username);
    if (typeof own === 'string' || own === null) return this.#send(state, canonical, res, auth, line, body, own);
    return own.then((header) => this.#send(state, canonical, res, auth, line, body, header));
  }

  /**
   * `upstream.perUserCredentials = required` and the user has none: refused (true), for a
   * forwarded call and a proxy's decision alike.
   */
  #refusedWithoutOwnCredential(
    state: CallState,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    own: string | null,
  ): boolean {
    if (own !== null || !this.#requireOwnCredential) return false;
    this.#refuse(
      state,
      res,
      'upstream_credential_required',
      `user "${auth.user.username}" has no upstream credential of their own, and this server requires one ` +
        '(upstream.perUserCredentials = required): set it on the tokengate page or with tokengate user upstream-credential',
    );
    return true;
  }

  /** Forwards an allowed token call with `own`, the user's own upstream `Authorization` (or null). */
  #send(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    line: number,
    body: { bytes: Buffer; value: unknown } | null,
    own: string | null,
  ): Promise<void> | undefined {
    const upstream = this.#deps.upstream as Upstream;
    if (this.#refusedWithoutOwnCredential(state, res, auth, own)) return undefined;
    const req = state.req;
    const query = upstreamQuery(canonical.rawQuery, canonical.query);
    const headers = buildUpstreamHeaders(canonical.headers, {
      clientAddress: state.ip,
      publicProto: this.#publicProto,
      publicHost: this.#publicHost,
      identityHeader: this.#identityHeader,
      username: auth.user.username,
      upstreamAuthorization: own ?? this.#upstreamAuthorization,
    });
    if (body !== null) headers['content-length'] = String(body.bytes.length);
    return this.#forward(
      state,
      res,
      upstream,
      canonical.method,
      query === '' ? canonical.path : `${canonical.path}?${query}`,
      headers,
      body !== null ? body.bytes : hasBody(req) ? req : null,
      auth.token.id,
      line,
    );
  }

  /**
   * Middleware mode: the allowed call goes to the app; it is recorded (with the app's status) and
   * counted once the response is over.
   */
  #toApp(
    state: CallState,
    serve: AppHandoff,
    canonical: CanonicalRequest,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    line: number,
    body: { bytes: Buffer; value: unknown } | null,
  ): undefined {
    res.once('close', () => {
      const end = this.#deps.now();
      this.#record(state, 'allowed', allowedReason(line), res.headersSent ? res.statusCode : null, end);
      this.#deps.callLog.countUsage(auth.token.id, state.ip, end);
    });
    serve({
      user: auth.user.username,
      tokenId: auth.token.id,
      tokenLabel: auth.token.label,
      authMethod: auth.method,
      line,
      canonical,
      body:
        body === null
          ? null
          : state.form !== null
            ? { bytes: body.bytes, value: state.form, kind: 'form' }
            : { bytes: body.bytes, value: body.value, kind: 'json' },
    });
    return undefined;
  }

  /**
   * What a proxy decision cannot guarantee the way the gateway does, refused (answered and
   * recorded; true): a URL-override header the proxy would pass on (the gateway drops them), and a
   * form body, whose parameters (method overrides, credentials, rule parameters) the upstream may
   * read but the proxy does not send.
   */
  #undecidable(state: CallState, canonical: CanonicalRequest, res: ServerResponse): boolean {
    const header = urlOverrideHeader(canonical.headers);
    if (header !== null) {
      this.#refuse(
        state,
        res,
        'url_override_refused',
        `the ${header} header may make the upstream read another URL than the one judged: the proxy must not pass it on`,
      );
      return true;
    }
    if (hasFormBody(canonical.headers)) {
      this.#refuse(
        state,
        res,
        'body_not_available',
        "a form body may carry parameters the upstream reads, and a proxy decision is made without the body: send this call through tokengate's gateway",
      );
      return true;
    }
    return false;
  }

  /** An allowed decision: the user's own upstream credential (else the fixed one) found, as for forwarding. */
  #decisionAllowed(
    state: CallState,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    line: number,
  ): Promise<void> | undefined {
    const own = this.#deps.upstreamAuthorizations.of(auth.user.username);
    if (typeof own === 'string' || own === null) {
      this.#answerAllowed(state, res, auth, line, own);
      return undefined;
    }
    return own.then((header) => this.#answerAllowed(state, res, auth, line, header));
  }

  /** 200 with what the proxy sets upstream; recorded and counted like a forwarded call. */
  #answerAllowed(
    state: CallState,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    line: number,
    own: string | null,
  ): void {
    if (this.#refusedWithoutOwnCredential(state, res, auth, own)) return;
    sendDecisionAllowed(res, state.flavour ?? 'envoy', {
      identityHeader: this.#identityHeader,
      username: auth.user.username,
      upstreamAuthorization: own ?? this.#upstreamAuthorization,
    });
    const end = this.#deps.now();
    this.#record(state, 'allowed', allowedReason(line), null, end);
    this.#deps.callLog.countUsage(auth.token.id, state.ip, end);
  }

  #forward(
    state: CallState,
    res: ServerResponse,
    upstream: Upstream,
    method: string,
    target: string,
    headers: OutgoingHttpHeaders,
    body: IncomingMessage | Buffer | null,
    tokenId: string,
    line: number,
  ): Promise<void> {
    return upstream.forward(res, method, target, headers, body).then(
      (status) => {
        const end = this.#deps.now();
        this.#record(state, 'allowed', allowedReason(line), status, end);
        this.#deps.callLog.countUsage(tokenId, state.ip, end);
      },
      (err: unknown) => {
        if (err instanceof UpstreamBrokeOff) {
          // the client response is already destroyed: nothing more to send
          this.#record(state, 'error', err.message, err.status);
          return;
        }
        if (!(err instanceof UpstreamError)) throw err;
        this.#record(state, 'error', err.message, err.status);
        sendError(res, err.code, err.message);
      },
    );
  }

  async #admin(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    admin: NonNullable<ReturnType<AdminRouter['match']>>,
    body: { bytes: Buffer; value: unknown } | null,
  ): Promise<void> {
    const deps = this.#deps;
    let refusal = 'admin API refused the call';
    const status = await deps.admin.handle(admin, {
      onRefused: (reason) => {
        refusal = `admin API refused the call: ${reason}`;
      },
      canonical,
      req: state.req,
      res,
      actor: auth.user,
      bufferedBody: body,
      recordAdmin: (action) =>
        deps.callLog.recordAdmin({
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
    this.#record(state, status < 400 ? 'allowed' : 'error', status < 400 ? 'admin API' : refusal, status);
    if (status < 400) deps.callLog.countUsage(auth.token.id, state.ip, deps.now());
  }

  #refuse(state: CallState, res: ServerResponse, code: ErrorCode, message: string): void {
    this.#record(state, 'refused', message, null);
    this.#answerError(state, res, code, message);
  }

  /** Records the call (`end`: when it ended, default now). */
  #record(
    state: CallState,
    decision: AuditDecision,
    reason: string,
    upstreamStatus: number | null,
    end: number = this.#deps.now(),
  ): void {
    state.decision = decision;
    const auth = state.auth;
    const canonical = state.canonical;
    this.#deps.callLog.record({
      time: state.start,
      tokenId: auth?.ok ? auth.token.id : (auth?.token?.id ?? null),
      tokenLabel: auth?.ok ? auth.token.label : (auth?.token?.label ?? null),
      user: auth?.ok ? auth.user.username : (auth?.userName ?? null),
      authMethod: auth?.method ?? null,
      method: canonical?.method ?? state.req.method ?? '',
      path: canonical?.path ?? state.refusedTarget?.path ?? '',
      rawQuery: canonical?.rawQuery ?? state.refusedTarget?.query ?? '',
      decision,
      reason,
      upstreamStatus,
      clientIp: state.ip,
      userAgent: state.req.headers['user-agent'] ?? '',
      durationMs: end - state.start,
      secret: auth?.secret ?? null,
    });
  }

  /** Tells `onCallEnd` of the call once its response is done or its connection closed. */
  #observe(state: CallState, res: ServerResponse, onCallEnd: (call: EndedCall) => void): void {
    // the call's record is made when the response is done: read the state on the next turn
    res.once('close', () => setImmediate(() => this.#callEnded(state, res, onCallEnd)));
  }

  #callEnded(state: CallState, res: ServerResponse, onCallEnd: (call: EndedCall) => void): void {
    {
      const auth = state.auth;
      const canonical = state.canonical;
      const target = state.req.url ?? '';
      const mark = target.indexOf('?');
      try {
        onCallEnd({
          start: state.start,
          end: this.#deps.now(),
          method: canonical?.method ?? state.req.method ?? '',
          path: canonical?.path ?? (mark < 0 ? target : target.slice(0, mark)),
          rawQuery: canonical?.rawQuery ?? (mark < 0 ? '' : target.slice(mark + 1)),
          status: res.statusCode,
          completed: res.writableFinished,
          clientIp: state.ip,
          user: auth?.ok ? auth.user.username : (auth?.userName ?? null),
          tokenId: auth?.ok ? auth.token.id : (auth?.token?.id ?? null),
          decision: state.decision,
          code: errorCodeSent(res),
          secret: auth?.secret ?? presentedSecret(state.req.headers.authorization),
        });
      } catch (err) {
        this.#deps.callLog.logError(err);
      }
    }
  }

  #failClosed(state: CallState, res: ServerResponse, err: unknown): void {
    const unavailable =
      !(err instanceof HttpError) && (isDatabaseUnavailable(err) || this.#deps.databaseHealth.state() !== 'up');
    const message =
      err instanceof HttpError
        ? err.message
        : unavailable
          ? 'the database is not answering: the call was refused; try again shortly'
          : 'internal error: the call was refused';
    const code: ErrorCode =
      err instanceof HttpError ? err.code : unavailable ? 'database_unavailable' : 'internal_error';
    if (!(err instanceof HttpError)) this.#deps.callLog.logError(err);
    const kind = state.route?.kind;
    if (kind === 'admin' || kind === 'protected') {
      try {
        this.#record(state, 'error', message, null);
      } catch {
        // the audit log is failing too; the call is refused either way
      }
    }
    this.#answerError(state, res, code, message, unavailable ? { 'retry-after': '5' } : {});
  }

  /** An error answer: the gateway's, or, for a proxy's decision request, the decision's (nginx: 401/403). */
  #answerError(
    state: CallState,
    res: ServerResponse,
    code: ErrorCode,
    message: string,
    headers: Readonly<Record<string, string | string[]>> = {},
  ): void {
    if (state.flavour === null) sendError(res, code, message, headers);
    else sendDecisionRefusal(res, state.flavour, code, message, headers);
  }
}

/** Longest raw target part kept in an audit record. */
const REFUSED_TARGET_MAX = 512;

/**
 * A raw request target as it may be stored and shown: split at the first `?`, every byte outside
 * printable ASCII (and `%` itself is kept) written as `%XX`, each part cut at REFUSED_TARGET_MAX
 * characters with `…`. The query still goes through the audit record's redaction.
 */
export function escapedTarget(target: string): { path: string; query: string } {
  const escapeBytes = (text: string): string => {
    let out = '';
    for (const byte of Buffer.from(text, 'latin1')) {
      out +=
        byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      if (out.length > REFUSED_TARGET_MAX) return `${out.slice(0, REFUSED_TARGET_MAX)}…`;
    }
    return out;
  };
  const mark = target.indexOf('?');
  return mark < 0
    ? { path: escapeBytes(target), query: '' }
    : { path: escapeBytes(target.slice(0, mark)), query: escapeBytes(target.slice(mark + 1)) };
}

/**
 * Middleware mode: null when the path the client sent is the canonical path (escapes compared
 * without letter case), else why it is refused. The app routes on the path as sent, so a path
 * the canonical form changes (an escaped unreserved character such as `%61`) could be judged as
 * one path and served as another.
 */
function notAsSent(target: string, canonicalPath: string): string | null {
  const mark = target.indexOf('?');
  const sent = mark < 0 ? target : target.slice(0, mark);
  const same = sent.includes('%') ? sent.replace(/%[0-9a-f]{2}/gi, (hex) => hex.toUpperCase()) : sent;
  if (same === canonicalPath) return null;
  return 'the request path is refused: send it in its canonical form (no escapes of letters, digits or "-._~")';
}

/** `allowed by line N` for the first lines, made once. */
const ALLOWED_REASONS: string[] = [];

/** The audit reason of an allowed call; `line` 0 is an unrestricted token. */
function allowedReason(line: number): string {
  if (line === 0) return 'allowed by an unrestricted token';
  if (line >= 1024) return `allowed by line ${line}`;
  let reason = ALLOWED_REASONS[line];
  if (reason === undefined) {
    reason = `allowed by line ${line}`;
    ALLOWED_REASONS[line] = reason;
  }
  return reason;
}

/** True when a request-target is the decision path, or under it (Envoy's `path_prefix`). */
function isDecisionTarget(target: string | undefined): boolean {
  if (target === undefined || !target.startsWith(DECISION_PATH)) return false;
  const next = target.charCodeAt(DECISION_PATH.length);
  return Number.isNaN(next) || next === 0x2f || next === 0x3f; // end, '/', '?'
}

/**
 * Answers `Expect: 100-continue` (the server no longer does it on its own, see start-gateway):
 * only once the call passed authentication and the checks that can be made before its body.
 */
function continueIfExpected(req: IncomingMessage, res: ServerResponse): void {
  const expect = req.headers.expect;
  if (expect !== undefined && expect.toLowerCase() === '100-continue' && !res.headersSent) res.writeContinue();
}

/** True when the request has a body to stream (Content-Length > 0 or chunked). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}
