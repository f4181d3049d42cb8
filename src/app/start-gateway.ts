import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminEndpoints } from '../admin/admin-endpoints.js';
import { AdminRouter } from '../admin/admin-router.js';
import { openApiDocument } from '../admin/openapi.js';
import type { AdminEndpointDeps } from '../admin/token-tools-deps.js';
import { createAuditCallLog } from '../audit/audit-call-log.js';
import { createAuditRecordBuilder } from '../audit/audit-record-builder.js';
import { type AuditStream, openAuditStream } from '../audit/audit-stream.js';
import { AuditWriter } from '../audit/audit-writer.js';
import { startRetention } from '../audit/retention.js';
import { AuthCache } from '../auth/auth-cache.js';
import { FailureLimiter } from '../auth/failure-limiter.js';
import { type Config, contextPathOf } from '../config/config.js';
import { Upstream } from '../gateway/forward.js';
import { Gateway } from '../gateway/gateway.js';
import { RouteTable } from '../gateway/route-table.js';
import { createListener } from '../gateway/tls-listener.js';
import { UpstreamAuthorizations } from '../gateway/upstream-authorizations.js';
import { createLogger, describeError, type Logger } from '../log/logger.js';
import { createPageRoutes } from '../page/page-routes.js';
import { policyCounter } from '../policy/policy-counter.js';
import { PolicyGate } from '../policy/policy-gate.js';
import { RedisRateCounter, redisLocation } from '../policy/redis-rate-counter.js';
import { quotaExhaustedEvent, WebhookDispatcher } from '../policy/webhooks/webhook-dispatcher.js';
import { DatabaseHealth } from '../store/database-health.js';
import { createAccessLog } from './access-log.js';
import { watchingAddresses } from './address-watching-call-log.js';
import { LocalRoutes } from './local-routes.js';
import { GatewayMetrics } from './metrics.js';
import { openServices, type Services } from './open-services.js';

export interface StartGatewayOptions {
  /** Clock (tests inject one; the product uses Date.now). */
  readonly now?: () => number;
  readonly log?: Logger;
  /** Called once the server listens, with its URL. */
  readonly onListening?: (url: string) => void;
}

export interface OpenGatewayOptions extends Omit<StartGatewayOptions, 'onListening'> {
  /**
   * The base URL clients use (the page's origin check, X-Forwarded-Host, Location rewriting).
   * Default: `publicUrl` of the configuration, else `http://localhost:PORT` plus the context path.
   */
  readonly publicUrl?: string;
}

/** tokengate's services and pipeline without a listener: the embedding server calls `gateway.handle`. */
export interface OpenedGateway {
  readonly publicUrl: string;
  readonly services: Services;
  readonly gateway: Gateway;
  /** Stops the timers, drains the audit queue, closes the upstream client and the store. Safe to call twice. */
  close(): Promise<void>;
}

export interface RunningGateway {
  readonly url: string;
  /** The decision listener's URL (`decision.port`), or null when there is none. */
  readonly decisionUrl: string | null;
  readonly server: Server;
  readonly services: Services;
  /** Graceful stop: no new connections, in-flight calls finish (bounded), audit drained, store closed. */
  close(): Promise<void>;
  /** HTTPS: reads the certificate and key files again (SIGHUP); open connections stay. No-op for HTTP. */
  reloadTls(): Promise<void>;
  /** Opens the audit stream file again at its path (SIGHUP, log rotation). No-op without one. */
  reopenAuditStream(): void;
}

/** How long in-flight requests may take to finish on shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often this node records its secure mode and that it is alive (other nodes look back 30 s). */
const HEARTBEAT_MS = 10_000;

/**
 * Starts tokengate: opens the store, loads the settings, wires authentication, restrictions,
 * audit and the admin API, and listens.
 *
 * @example
 * const gateway = await startGateway(config);
 * process.on('SIGTERM', () => gateway.close().then(() => process.exit(0)));
 */
export async function startGateway(config: Config, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const tlsFiles =
    config.tls.certFile !== null && config.tls.keyFile !== null
      ? { certFile: config.tls.certFile, keyFile: config.tls.keyFile }
      : null;
  const running = await assemble(config, options, {
    async listen() {
      const listener = await createListener(
        { keepAliveTimeout: 5_000, requestTimeout: 300_000, headersTimeout: 60_000 },
        tlsFiles,
      );
      const server = listener.server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { server, listener, url: `${listener.scheme}://${host}:${address.port}` };
    },
  });
  const listening = running.listening as Listening;
  const reloadTls = async (): Promise<void> => {
    await listening.listener.reload();
    if (tlsFiles !== null) running.log.info('TLS certificate reloaded', { certFile: tlsFiles.certFile });
  };
  return {
    url: listening.url,
    decisionUrl: running.decisionUrl,
    server: listening.server,
    services: running.services,
    close: running.close,
    reloadTls,
    reopenAuditStream: running.reopenAuditStream,
  };
}

/**
 * Opens tokengate's services and pipeline without listening (the library's `node:http` handler
 * and middleware): the same wiring as `startGateway`, decision listener included when configured.
 */
export async function openGateway(config: Config, options: OpenGatewayOptions = {}): Promise<OpenedGateway> {
  const running = await assemble(config, options, {
    listen: async () => null,
    publicUrl: options.publicUrl ?? config.publicUrl ?? `http://localhost:${config.port}${contextPathOf(config)}`,
  });
  return { publicUrl: running.publicUrl, services: running.services, gateway: running.gateway, close: running.close };
}

interface Listening {
  readonly server: Server;
  readonly listener: Awaited<ReturnType<typeof createListener>>;
  readonly url: string;
}

/** How the pipeline is reached: a listener of its own (serve), or none (embedded). */
interface ListenStep {
  listen(): Promise<Listening | null>;
  /** The public URL when there is no listener to derive it from. */
  readonly publicUrl?: string;
}

interface Assembled {
  readonly listening: Listening | null;
  readonly decisionUrl: string | null;
  readonly publicUrl: string;
  readonly services: Services;
  readonly gateway: Gateway;
  readonly log: Logger;
  close(): Promise<void>;
  reopenAuditStream(): void;
}

async function assemble(config: Config, options: StartGatewayOptions, step: ListenStep): Promise<Assembled> {
  const now = options.now ?? Date.now;
  const log = options.log ?? createLogger(config.logLevel);
  const services = await openServices(config, { now });
  const { store } = services;
  let redis: RedisRateCounter | null = null;
  let auditStream: AuditStream | null = null;
  try {
    const settingsHolder = services.settingsHolder;
    const cache = new AuthCache({ store, maxEntries: config.auth.cacheSize });
    const upstreamAuthorizations = new UpstreamAuthorizations({
      lookUp: (username) => services.upstreamCredentials.authorization(username),
      maxEntries: Math.ceil(config.auth.cacheSize / 10),
    });
    const unsubscribe = store.subscribe((change) => {
      cache.apply(change);
      upstreamAuthorizations.apply(change);
      settingsHolder.apply(change).catch((err: unknown) => log.error('could not reload settings', describeError(err)));
    });
    const limiter = new FailureLimiter({
      store,
      limit: config.auth.failureLimit,
      windowMs: config.auth.failureWindowMs,
      now,
      addressCounts: 'unclaimed',
      scope: 'token',
    });
    const writer = new AuditWriter({
      store,
      batchMs: config.audit.batchMs,
      queueSize: config.audit.queueSize,
      onFull: config.audit.onFull,
      maxRows: config.audit.maxRows,
      log,
    });
    auditStream = config.audit.stream === null ? null : openAuditStream(config.audit.stream, log);
    const build = createAuditRecordBuilder({ node: config.nodeId, redactParams: config.audit.redactParams });
    // the access log, or per-call decisions at debug; nothing at all (no listener) otherwise
    const onCallEnd =
      config.accessLog || config.logLevel === 'debug'
        ? createAccessLog({ log, build, level: config.accessLog ? 'info' : 'debug' })
        : undefined;
    const callLog = createAuditCallLog({
      writer,
      build,
      settings: () => settingsHolder.current,
      log,
      stream: auditStream,
    });
    const databaseHealth = new DatabaseHealth({
      status: () => store.changeFeedStatus(),
      graceMs: config.database.outageGraceMs,
    });
    const webhooks = new WebhookDispatcher({ store, config: config.webhooks, nodeId: config.nodeId, now, log });
    const metrics = config.metrics.enabled
      ? new GatewayMetrics({
          cache: () => cache.stats(),
          audit: () => writer.stats(),
          database: () => ({ state: databaseHealth.state(), silentMs: databaseHealth.silentMs() }),
          ...(config.webhooks.receivers.length > 0 && { webhooks: () => webhooks.stats() }),
        })
      : null;
    const beat = () =>
      store
        .heartbeat(config.nodeId, config.secureMode, now())
        .catch((err: unknown) => log.warn('heartbeat failed', describeError(err)));
    await beat();
    const heartbeatTimer = setInterval(beat, HEARTBEAT_MS);
    heartbeatTimer.unref();
    redis =
      config.rateLimit.redisUrl === null
        ? null
        : new RedisRateCounter({
            url: config.rateLimit.redisUrl,
            keyPrefix: config.rateLimit.redisKeyPrefix,
            timeoutMs: config.rateLimit.redisTimeoutMs,
            log,
          });
    // waits at most redisTimeoutMs: a Redis that is down must not stop the start; rate-limited calls get 503 until it answers
    await redis?.start();
    const stopRetention = startRetention({
      store,
      retentionDays: config.audit.retentionDays,
      maxRows: config.audit.maxRows,
      now,
    });

    const listening = await step.listen();
    const server = listening?.server ?? null;
    const listenUrl = listening?.url ?? null;
    const contextPath = contextPathOf(config);
    const publicUrl = config.publicUrl ?? (listenUrl === null ? (step.publicUrl as string) : listenUrl + contextPath);

    const upstream =
      config.upstream.url === null
        ? null
        : new Upstream({
            url: config.upstream.url,
            timeoutMs: config.upstream.timeoutMs,
            connectTimeoutMs: config.upstream.connectTimeoutMs,
            publicOrigin: new URL(publicUrl).origin,
            responseCsp: config.upstream.responseCsp,
          });
    const adminDeps: AdminEndpointDeps = {
      config,
      store,
      now,
      settings: () => settingsHolder.current,
      settingsHolder,
      tokens: services.tokens,
      users: services.users,
      upstreamCredentials: services.upstreamCredentials,
      publicUrl,
    };
    const admin = new AdminRouter(adminEndpoints, adminDeps);
    const page = createPageRoutes({
      config,
      store,
      tokens: services.tokens,
      users: services.users,
      upstreamCredentials: services.upstreamCredentials,
      settingsHolder,
      publicUrl,
      now,
      callLog,
      adminEndpoints,
    });
    const localRoutes = new LocalRoutes({
      page,
      databaseHealth,
      databaseKind: store.dialect,
      nodeId: config.nodeId,
      metrics,
      openApiJson: JSON.stringify(openApiDocument(publicUrl)),
      log,
    });
    const gateway = new Gateway({
      config,
      publicUrl,
      cache,
      digest: services.digest,
      limiter,
      databaseHealth,
      settingsHolder,
      callLog: watchingAddresses(metrics === null ? callLog : metrics.countCalls(callLog), webhooks.addresses),
      admin,
      upstream,
      policy: new PolicyGate({
        counter: policyCounter(store, redis),
        quotaExhaustedEvent: (record) => quotaExhaustedEvent(record, now()),
      }),
      upstreamAuthorizations,
      now,
      routes: new RouteTable({ contextPath, protect: config.protect }),
      localRoutes: localRoutes.handle,
      onCallEnd,
    });
    // `Expect: 100-continue` reaches the gateway unanswered: it answers once the call may go on.
    server?.on('request', gateway.handle);
    server?.on('checkContinue', gateway.handle);
    const decision = config.decision.port === null ? null : await listenForDecisions(config, gateway);
    webhooks.start();

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        localRoutes.stopping();
        const closed = Promise.all(
          [server, decision?.server].map(
            (each) =>
              new Promise<void>((resolve) => {
                if (each === undefined || each === null) return resolve();
                each.close(() => resolve());
                each.closeIdleConnections();
              }),
          ),
        );
        const timer = setTimeout(() => {
          server?.closeAllConnections();
          decision?.server.closeAllConnections();
        }, SHUTDOWN_GRACE_MS);
        await closed;
        clearTimeout(timer);
        unsubscribe();
        clearInterval(heartbeatTimer);
        await stopRetention();
        await webhooks.stop();
        callLog.flush();
        await writer.drain(SHUTDOWN_GRACE_MS);
        await auditStream?.close();
        await upstream?.close();
        redis?.close();
        await store.removeNode(config.nodeId).catch(() => undefined);
        await services.close();
      })();
      return closing;
    };
    const outcome = services.secureModeOutcome;
    if (outcome !== null && config.secureMode && outcome.previous !== true) {
      // turning secure mode on deletes what standard mode kept: say how much
      log.warn(
        `secure mode on: deleted ${outcome.wiped} kept token secret(s); those tokens still work but can never be shown again`,
        { wipedSecrets: outcome.wiped },
      );
    }
    log.info('tokengate started', {
      url: listenUrl ?? 'none (embedded)',
      decisionUrl: decision?.url ?? null,
      publicUrl,
      upstream: config.upstream.url,
      database: store.dialect,
      secureMode: config.secureMode,
      // a summary without secrets: where things go, never a credential or a URL's password
      rateLimits: config.rateLimit.redisUrl === null ? 'database' : redisLocation(config.rateLimit.redisUrl),
      auditStream: config.audit.stream,
      accessLog: config.accessLog,
      logLevel: config.logLevel,
      workers: config.workers,
      nodeId: config.nodeId,
    });
    if (listenUrl !== null) options.onListening?.(listenUrl);
    return {
      listening,
      decisionUrl: decision?.url ?? null,
      publicUrl,
      services,
      gateway,
      log,
      close,
      reopenAuditStream: () => auditStream?.reopen(),
    };
  } catch (err) {
    redis?.close();
    await auditStream?.close();
    await services.close();
    throw err;
  }
}

/** The decision endpoint's own listener (`decision.port`, `decision.host`). */
async function listenForDecisions(config: Config, gateway: Gateway): Promise<{ server: Server; url: string }> {
  const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 60_000, headersTimeout: 60_000 });
  server.on('request', gateway.handleDecisionListener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.decision.port ?? 0, config.decision.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${host}:${address.port}` };
}
