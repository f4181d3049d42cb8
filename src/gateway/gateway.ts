import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { adminAccessRefusal } from '../admin/admin-access.js';
import type { AdminRouter } from '../admin/admin-router.js';
import type { CallLog } from '../audit/call-log.js';
import { redactedParamNames, redactedParamValues, redactReasonValues } from '../audit/sanitize.js';
import type { AuthCache } from '../auth/auth-cache.js';
import { type AuthenticateDeps, type AuthResult, authenticate } from '../auth/authenticate.js';
import { CredentialMemo, readCredentials } from '../auth/credentials.js';
import type { Attempt, FailureLimiter } from '../auth/failure-limiter.js';
import type { Config } from '../config/config.js';
import { sendDecisionAllowed, sendDecisionRefusal } from '../decision/decision-answer.js';
import { type DecisionFlavour, hasFormBody, originalRequest, urlOverrideHeader } from '../decision/original-request.js';
import type { CanonicalizeOptions, CanonicalRequest } from '../http/canonical-request.js';
import { canonicalize } from '../http/canonicalize.js';
import { clientAddress } from '../http/client-address.js';
import { type ErrorCode, fixedMessage } from '../http/error-catalogue.js';
import { HttpError } from '../http/http-error.js';
import { findMethodOverride } from '../http/method-override.js';
import { DECISION_PATH, EXTENDER_BASE } from '../http/paths.js';
import { readJsonBody } from '../http/read-json-body.js';
import { sendError } from '../http/send.js';
import { describeVerdict, evaluate, requestFacts } from '../restrictions/index.js';
import type { Verdict } from '../restrictions/types.js';
import type { DatabaseHealth } from '../store/database-health.js';
import type { AuditDecision, RuntimeSettings } from '../store/models.js';
import type { SettingsHolder } from '../store/settings-holder.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import { type Upstream, UpstreamError } from './forward.js';
import { buildUpstreamHeaders } from './upstream-headers.js';
import { upstreamQuery } from './upstream-query.js';

export interface GatewayDeps {
  readonly config: Config;
  readonly publicUrl: string;
  readonly cache: AuthCache;
  readonly digest: (secret: string) => string;
  readonly limiter: FailureLimiter;
  /**
   * Paths under this prefix are token calls (checked, audited, forwarded); everything else is
   * `localRoutes` or 404. A value, not a constant read here, so that it can be configured.
   */
  readonly protectedPrefix: string;
  /** Whether the database answers; past the outage grace period token calls get 503. */
  readonly databaseHealth: DatabaseHealth;
  readonly settingsHolder: SettingsHolder;
  /** Where each call is recorded: audit records, usage, internal errors. */
  readonly callLog: CallLog;
  readonly admin: AdminRouter;
  readonly upstream: Upstream | null;
  readonly now: () => number;
  /** Routes outside the protected prefix served by tokengate itself (`/healthz`, `/metrics`, the page). */
  readonly localRoutes: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
}

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
  readonly #canonicalizeOptions: CanonicalizeOptions;
  readonly #authDeps: AuthenticateDeps;
  /** Query parameters whose values are never quoted in a reason (`audit.redactParams` and the built-in ones). */
  readonly #redactedNames: ReadonlySet<string>;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
    this.#canonicalizeOptions = { publicUrl: deps.publicUrl };
    this.#redactedNames = redactedParamNames(deps.config.audit.redactParams);
    this.#authDeps = {
      cache: deps.cache,
      digest: deps.digest,
      now: deps.now,
      memo: new CredentialMemo(CREDENTIAL_MEMO_SIZE),
    };
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
    const deps = this.#deps;
    const state: CallState = {
      start: deps.now(),
      ip: clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], deps.config.trustedProxyHops),
      req,
      flavour: null,
      canonical: null,
      auth: null,
    };
    try {
      if (isDecisionTarget(req.url)) {
        this.#decisionCall(req, res);
        return;
      }
      const canonical = this.#route(state, res);
      if (canonical === null) return;
      const pending = this.#tokenCall(state, canonical, res);
      if (pending !== undefined) pending.catch((err: unknown) => this.#failClosed(state, res, err));
    } catch (err) {
      this.#failClosed(state, res, err);
    }
  };

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
    const state: CallState = {
      start: deps.now(),
      ip: clientAddress(
        req.socket.remoteAddress,
        req.headers['x-forwarded-for'],
        deps.config.trustedProxyHops + askingHops,
      ),
      req,
      flavour: question.flavour,
      canonical: null,
      auth: null,
    };
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
      if (!canonical.path.startsWith(deps.protectedPrefix)) {
        // the proxy asks only about protected paths; anything else is not tokengate's to allow
        this.#answerError(state, res, 'not_found', fixedMessage('not_found'));
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
      return null;
    }
    const canonical = result.request;
    state.canonical = canonical;
    const path = canonical.path;
    if (!path.startsWith(this.#deps.protectedPrefix)) {
      if (!this.#deps.localRoutes(req, res, path)) sendError(res, 'not_found', fixedMessage('not_found'));
      return null;
    }
    return canonical;
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
    const verdict = this.#check(state, canonical, res, auth, settings);
    if (verdict === null) return;
    if (verdict.allowed) return this.#serveAllowed(state, canonical, res, auth, verdict.line, null);
    if (verdict.needsBody) {
      if (state.flavour === null) return this.#withBody(state, canonical, res, auth);
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
    // Past the outage grace period a cached token may have been deleted meanwhile: fail closed.
    const outage = this.#deps.databaseHealth.refusal();
    if (outage !== null) {
      this.#record(state, 'error', outage, null);
      this.#answerError(state, res, 'database_outage', outage, { 'retry-after': '5' });
      return null;
    }
    if (settings.extenderEndpointsOnly && !canonical.path.startsWith(EXTENDER_BASE)) {
      this.#refuse(state, res, 'extender_endpoints_only', fixedMessage('extender_endpoints_only'));
      return null;
    }
    const override = findMethodOverride(canonical.headers, canonical.query);
    if (override !== null) {
      this.#refuse(state, res, 'method_override_refused', override);
      return null;
    }
    if (state.flavour !== null && this.#undecidable(state, canonical, res)) return null;
    // The body is not read yet: a JsonData rule that could allow the call answers needsBody.
    return evaluate(auth.ruleSet, requestFacts(canonical));
  }

  /** A JsonData rule may allow the call: reads the body strictly and decides again. */
  async #withBody(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
  ): Promise<void> {
    let body: { bytes: Buffer; value: unknown };
    try {
      body = await readJsonBody(state.req, canonical.headers, this.#deps.config.bodyLimitBytes);
    } catch (err) {
      if (err instanceof HttpError) return this.#refuse(state, res, err.code, err.message);
      throw err;
    }
    const verdict = evaluate(auth.ruleSet, requestFacts(canonical, { kind: 'json', value: body.value }));
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

  /** An allowed call: tokengate's admin API or the upstream. `line` is the rule that allowed it. */
  #serveAllowed(
    state: CallState,
    canonical: CanonicalRequest,
    res: ServerResponse,
    auth: AuthResult & { ok: true },
    line: number,
    body: { bytes: Buffer; value: unknown } | null,
  ): Promise<void> | undefined {
    const deps = this.#deps;
    const admin = deps.admin.match(canonical.method, canonical.path);
    if (state.flavour !== null) {
      if (admin !== null) this.#refuse(state, res, 'decision_not_for_admin', fixedMessage('decision_not_for_admin'));
      else this.#answerAllowed(state, res, auth, line);
      return;
    }
    if (admin !== null) {
      // the privilege rule of the admin API, in one place for every endpoint (see admin-access.ts)
      const refusal = adminAccessRefusal(canonical.method, canonical.path, {
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

    const upstream = deps.upstream;
    if (upstream === null) {
      this.#refuse(state, res, 'no_upstream', fixedMessage('no_upstream'));
      return;
    }
    const req = state.req;
    const query = upstreamQuery(canonical.rawQuery, canonical.query);
    const headers = buildUpstreamHeaders(canonical.headers, {
      peerAddress: req.socket.remoteAddress ?? state.ip,
      proto: 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
      identityHeader: this.#identityHeader,
      username: auth.user.username,
      upstreamAuthorization: this.#upstreamAuthorization,
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

  /** An allowed decision: 200 with what the proxy sets upstream; recorded and counted like a forwarded call. */
  #answerAllowed(state: CallState, res: ServerResponse, auth: AuthResult & { ok: true }, line: number): void {
    sendDecisionAllowed(res, state.flavour ?? 'envoy', {
      identityHeader: this.#identityHeader,
      username: auth.user.username,
      upstreamAuthorization: this.#upstreamAuthorization,
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
    const status = await deps.admin.handle(admin, {
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
    this.#record(
      state,
      status < 400 ? 'allowed' : 'error',
      status < 400 ? 'admin API' : 'admin API refused the call',
      status,
    );
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
    const auth = state.auth;
    const canonical = state.canonical;
    this.#deps.callLog.record({
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
      durationMs: end - state.start,
      secret: auth?.secret ?? null,
    });
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
    if (state.canonical?.path.startsWith(this.#deps.protectedPrefix)) {
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

/** True when the request has a body to stream (Content-Length > 0 or chunked). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}
