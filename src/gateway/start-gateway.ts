import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { adminEndpoints } from '../admin/admin-endpoints.js';
import { OPENAPI_PATH, openApiDocument } from '../admin/openapi.js';
import type { AdminEndpointDeps } from '../admin/token-tools-deps.js';
import { openServices, type Services } from '../app/open-services.js';
import { createAuditCallLog } from '../audit/audit-call-log.js';
import { createAuditRecordBuilder } from '../audit/audit-record-builder.js';
import { AuditWriter } from '../audit/audit-writer.js';
import { startRetention } from '../audit/retention.js';
import { AuthCache } from '../auth/auth-cache.js';
import { FailureLimiter } from '../auth/failure-limiter.js';
import type { Config } from '../config/config.js';
import { createLogger, describeError, type Logger } from '../log/logger.js';
import { createPageRoutes } from '../page/page-routes.js';
import { AdminRouter } from './admin-router.js';
import { DatabaseHealth } from './database-health.js';
import { Upstream } from './forward.js';
import { Gateway } from './gateway.js';
import { GatewayMetrics } from './metrics.js';
import { sendError, sendJson } from './send.js';

export interface StartGatewayOptions {
  /** Clock (tests inject one; the product uses Date.now). */
  readonly now?: () => number;
  readonly log?: Logger;
  /** Called once the server listens, with its URL. */
  readonly onListening?: (url: string) => void;
}

export interface RunningGateway {
  readonly url: string;
  readonly server: Server;
  readonly services: Services;
  /** Graceful stop: no new connections, in-flight calls finish (bounded), audit drained, store closed. */
  close(): Promise<void>;
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
  const now = options.now ?? Date.now;
  const log = options.log ?? createLogger(config.logLevel);
  const services = await openServices(config, { now });
  const { store } = services;
  try {
    const settings = services.settingsHolder;
    const cache = new AuthCache({ store, maxEntries: config.auth.cacheSize });
    const unsubscribe = store.subscribe((change) => {
      cache.apply(change);
      settings.apply(change).catch((err: unknown) => log.error('could not reload settings', describeError(err)));
    });
    const limiter = new FailureLimiter({
      store,
      limit: config.auth.failureLimit,
      windowMs: config.auth.failureWindowMs,
      now,
    });
    const writer = new AuditWriter({
      store,
      batchMs: config.audit.batchMs,
      queueSize: config.audit.queueSize,
      onFull: config.audit.onFull,
      log,
    });
    const calls = createAuditCallLog({
      writer,
      build: createAuditRecordBuilder({ node: config.nodeId, redactParams: config.audit.redactParams }),
      settings: () => settings.current,
      log,
    });
    const database = new DatabaseHealth({
      status: () => store.changeFeedStatus(),
      graceMs: config.database.outageGraceMs,
    });
    const metrics = config.metrics.enabled
      ? new GatewayMetrics({
          cache: () => cache.stats(),
          audit: () => writer.stats(),
          database: () => ({ state: database.state(), silentMs: database.silentMs() }),
        })
      : null;
    const beat = () =>
      store
        .heartbeat(config.nodeId, config.secureMode, now())
        .catch((err: unknown) => log.warn('heartbeat failed', describeError(err)));
    await beat();
    const heartbeatTimer = setInterval(beat, HEARTBEAT_MS);
    heartbeatTimer.unref();
    const stopRetention = startRetention({ store, retentionDays: config.audit.retentionDays, now });

    const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 300_000, headersTimeout: 60_000 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const listenUrl = `http://${host}:${address.port}`;
    const publicUrl = config.publicUrl ?? listenUrl;

    const upstream =
      config.upstream.url === null
        ? null
        : new Upstream({
            url: config.upstream.url,
            timeoutMs: config.upstream.timeoutMs,
            connectTimeoutMs: config.upstream.connectTimeoutMs,
            publicOrigin: new URL(publicUrl).origin,
          });
    const adminDeps: AdminEndpointDeps = {
      config,
      store,
      now,
      settings: () => settings.current,
      settingsHolder: settings,
      tokens: services.tokens,
      users: services.users,
      publicUrl,
    };
    const admin = new AdminRouter(adminEndpoints, adminDeps);
    const page = createPageRoutes({
      config,
      store,
      tokens: services.tokens,
      users: services.users,
      settingsHolder: settings,
      publicUrl,
      now,
      calls,
      adminEndpoints,
    });
    const openApi = JSON.stringify(openApiDocument(publicUrl));
    let healthy = true;
    const localRoutes = (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
      if (page(req, res, path)) return true;
      if (path === '/healthz') {
        const state = database.state();
        const serving = healthy && state !== 'down';
        sendJson(res, serving ? 200 : 503, {
          status: !healthy ? 'stopping' : state === 'down' ? 'database down' : 'ok',
          database: { kind: store.dialect, state, lastAnsweredMsAgo: database.silentMs() },
          node: config.nodeId,
        });
        return true;
      }
      if (path === '/metrics' && metrics !== null && req.method === 'GET') {
        metrics.send(res).catch((err: unknown) => {
          log.error('could not render metrics', describeError(err));
          sendError(res, 'internal_error', 'metrics could not be rendered');
        });
        return true;
      }
      if (path === OPENAPI_PATH && req.method === 'GET') {
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(openApi),
        });
        res.end(openApi);
        return true;
      }
      return false;
    };
    const gateway = new Gateway({
      config,
      publicUrl,
      cache,
      digest: services.digest,
      limiter,
      database,
      settings,
      calls: metrics === null ? calls : metrics.countCalls(calls),
      admin,
      upstream,
      now,
      localRoutes,
    });
    server.on('request', gateway.handle);

    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        healthy = false;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        await closed;
        clearTimeout(timer);
        unsubscribe();
        clearInterval(heartbeatTimer);
        await stopRetention();
        await writer.drain(SHUTDOWN_GRACE_MS);
        await upstream?.close();
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
      url: listenUrl,
      publicUrl,
      upstream: config.upstream.url,
      database: store.dialect,
      secureMode: config.secureMode,
    });
    options.onListening?.(listenUrl);
    return { url: listenUrl, server, services, close };
  } catch (err) {
    await services.close();
    throw err;
  }
}
