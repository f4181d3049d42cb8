/** The typed, frozen configuration every module receives. Loaded once by `loadConfig`. */
import type { WebhooksConfig } from './webhook-config.js';

export type UpstreamCredentials =
  | { readonly type: 'basic'; readonly username: string; readonly password: string }
  | { readonly type: 'bearer'; readonly token: string };

export interface Config {
  /** Port to listen on. Default 8080. */
  readonly port: number;
  /** Host/interface to listen on. Default 127.0.0.1. */
  readonly host: string;
  /** Public base URL clients use (e.g. https://wiki.example.com), no trailing slash; null = derived from the listen address. */
  readonly publicUrl: string | null;
  readonly upstream: {
    /**
     * URL of the protected REST API, no trailing slash; may carry a context path (which must then
     * be the public URL's as well: paths are forwarded unchanged). Null only with --demo or for CLI commands.
     */
    readonly url: string | null;
    /** Whole-response timeout (headers) in ms. Default 30000. */
    readonly timeoutMs: number;
    /** Connect timeout in ms. Default 5000. */
    readonly connectTimeoutMs: number;
    /** Header that carries the caller's username upstream; null = none. Default X-Forwarded-User. */
    readonly identityHeader: string | null;
    /**
     * Content-Security-Policy added to proxied responses (with nosniff); null = none.
     * Default `sandbox; default-src 'none'; frame-ancestors 'none'`.
     */
    readonly responseCsp: string | null;
    /** Fixed credentials added to forwarded token calls of users without their own; null = none. */
    readonly credentials: UpstreamCredentials | null;
    /** `required`: a token call of a user without an upstream credential of their own gets 403. Default optional. */
    readonly perUserCredentials: 'optional' | 'required';
  };
  /** Path prefixes (under the context path) whose calls need a token. Default ['/rest/']. */
  readonly protect: readonly string[];
  /** Requests carrying no tokengate token go to the upstream unchanged. Default false. */
  readonly passthrough: boolean;
  /** `refuse` (default) a `%2F` in a path, or `keep` it encoded (rules see `%2F`, forwarded as is). */
  readonly encodedSlash: 'refuse' | 'keep';
  readonly tls: {
    /** PEM certificate file; with keyFile, the listener speaks HTTPS. Null = plain HTTP. */
    readonly certFile: string | null;
    readonly keyFile: string | null;
  };
  /** Data directory (SQLite file, keys). Default ./data. */
  readonly dataDir: string;
  readonly database: {
    /** postgres://… for several nodes; null = SQLite in dataDir. */
    readonly url: string | null;
    /**
     * How long, after the database stops answering, calls with cached, still-valid tokens keep
     * working (ms). Past it, token calls fail closed with 503. 0 = refuse at once. Default 60000.
     */
    readonly outageGraceMs: number;
  };
  readonly metrics: {
    /** Serve Prometheus metrics at GET /metrics. Default true. */
    readonly enabled: boolean;
  };
  /** Secure mode (startup only): secrets shown once, only digests kept. Default false. */
  readonly secureMode: boolean;
  /** Longest allowed expiry in days; null = no maximum (never-expiring tokens allowed). */
  readonly maxExpiryDays: number | null;
  /** Largest body read for a JsonData rule, bytes. Default 1 MiB. */
  readonly bodyLimitBytes: number;
  /** How many X-Forwarded-For hops (proxies in front of tokengate) are trusted. Default 0. */
  readonly trustedProxyHops: number;
  readonly auth: {
    /** Failed attempts allowed per client address per window. Default 20. */
    readonly failureLimit: number;
    /** Window of the failure limit, ms. Default 60000. */
    readonly failureWindowMs: number;
    /** Most tokens/users kept in the in-memory cache. Default 100000. */
    readonly cacheSize: number;
  };
  readonly audit: {
    /** Records older than this many days are pruned. Default 90. */
    readonly retentionDays: number;
    /** Most records kept; past it the oldest are pruned first, whatever their age. 0 = no bound. Default 5000000. */
    readonly maxRows: number;
    /** Most records waiting to be written. Default 50000. */
    readonly queueSize: number;
    /** Batch window in ms (the most a crash can lose). Default 100. */
    readonly batchMs: number;
    /** What a full queue does: `reject` (503, fail closed, default) or `drop` (counted). */
    readonly onFull: 'reject' | 'drop';
    /** Extra query parameter names (case-insensitive) whose values are redacted. */
    readonly redactParams: readonly string[];
    /** Record pass-through requests (no token) too. Default false. */
    readonly passthrough: boolean;
    /** Every audit record also as one JSON line: `stdout` or a file path (reopened on SIGHUP); null = none. */
    readonly stream: string | null;
  };
  readonly rateLimit: {
    /** redis:// or rediss:// URL: rate-limit windows counted in Redis; null = in the database. */
    readonly redisUrl: string | null;
    /** Prefix of every Redis key. Default `tokengate:`. */
    readonly redisKeyPrefix: string;
    /** Longest wait for one Redis command or connection attempt, ms. Default 500. */
    readonly redisTimeoutMs: number;
  };
  /**
   * Processes serving on the same port (node:cluster), sharing nothing but the database. Each is
   * a node of its own (node id + `-wN`). Default 1.
   */
  readonly workers: number;
  /** Node id in audit records and heartbeats. Default: hostname-pid. */
  readonly nodeId: string;
  /** Log level: error, warn, info, debug. Default info. */
  readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** One `access` log line per call. Default false. */
  readonly accessLog: boolean;
  /**
   * The decision endpoint's own listener (nginx auth_request, Caddy forward_auth…): null = none,
   * the endpoint is served on the main listener only. Default none, host 127.0.0.1.
   */
  readonly decision: { readonly port: number | null; readonly host: string };
  /**
   * Webhook receivers of token events and how they are delivered. In a file either a list of
   * receivers or an object `{receivers, expiringDays, …}`. Default: no receiver.
   */
  readonly webhooks: WebhooksConfig;
}

/**
 * The context path tokengate and the upstream live under (`/confluence`), '' for none: the path
 * of the public URL, else of the upstream URL (the configuration refuses two different ones).
 */
export function contextPathOf(config: Pick<Config, 'publicUrl' | 'upstream'>): string {
  const pathOf = (url: string | null) => (url === null ? '' : new URL(url).pathname.replace(/\/+$/, ''));
  return pathOf(config.publicUrl) || pathOf(config.upstream.url);
}
