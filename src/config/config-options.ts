/** How an environment variable's text becomes a value. */
export type EnvKind = 'int' | 'nullableInt' | 'bool' | 'string' | 'nullableString' | 'enum' | 'size' | 'list';

/** A plain configuration value (as in a JSON/YAML file). */
export type ConfigValue = string | number | boolean | null | readonly string[];

/** One documented configuration option. */
export interface ConfigOption {
  /** Dotted path in the configuration file (`upstream.timeoutMs`). */
  readonly key: string;
  /** Environment variable that overrides the file. */
  readonly env: string;
  /** Default value (null = none); `nodeId` is computed (`hostname-pid`). */
  readonly default: ConfigValue;
  readonly description: string;
  readonly kind: EnvKind;
}

/**
 * Every configuration option, in documentation order: the key in the file, the environment
 * variable, the default and what it does. Printed as the README table by
 * `scripts/print-config-table.ts`; `load-config.test.ts` checks the defaults against `loadConfig`.
 */
export const CONFIG_OPTIONS: readonly ConfigOption[] = Object.freeze([
  {
    key: 'port',
    env: 'TOKENGATE_PORT',
    default: 8080,
    kind: 'int',
    description: 'Port to listen on (0 = any free port).',
  },
  {
    key: 'host',
    env: 'TOKENGATE_HOST',
    default: '127.0.0.1',
    kind: 'string',
    description: 'Interface to listen on (`0.0.0.0` for every interface).',
  },
  {
    key: 'publicUrl',
    env: 'TOKENGATE_PUBLIC_URL',
    default: null,
    kind: 'nullableString',
    description: 'Public base URL clients use (e.g. `https://wiki.example.com`); none = the listen address.',
  },
  {
    key: 'upstream.url',
    env: 'TOKENGATE_UPSTREAM',
    default: null,
    kind: 'nullableString',
    description:
      'URL of the protected REST API (`scheme://host[:port][/context]`); required by `serve` unless `--demo`. Paths are forwarded unchanged: a context path here must be the public URL\u2019s too. In the file, `upstream: URL` is short for `upstream: {url: URL}`.',
  },
  {
    key: 'protect',
    env: 'TOKENGATE_PROTECT',
    default: ['/rest/'],
    kind: 'list',
    description:
      'Path prefixes whose calls need a token, under the context path (environment: comma-separated). The admin API and the OpenAPI document are always tokengate\u2019s.',
  },
  {
    key: 'passthrough',
    env: 'TOKENGATE_PASSTHROUGH',
    default: false,
    kind: 'bool',
    description:
      'Requests without a tokengate token go to the upstream unchanged (its UI, sessions and own passwords keep working); a revoked or unknown `tgp_` secret still gets `401`.',
  },
  {
    key: 'encodedSlash',
    env: 'TOKENGATE_ENCODED_SLASH',
    default: 'refuse',
    kind: 'enum',
    description:
      '`refuse` an encoded slash `%2F` in a path (`400`; right for Tomcat upstreams such as Confluence) or `keep` it encoded: rules see `%2F`, the path is forwarded as it came.',
  },
  {
    key: 'upstream.timeoutMs',
    env: 'TOKENGATE_UPSTREAM_TIMEOUT_MS',
    default: 30_000,
    kind: 'int',
    description: 'Upstream response timeout, ms (`504` after it).',
  },
  {
    key: 'upstream.connectTimeoutMs',
    env: 'TOKENGATE_UPSTREAM_CONNECT_TIMEOUT_MS',
    default: 5_000,
    kind: 'int',
    description: 'Upstream connect timeout, ms (`502` after it).',
  },
  {
    key: 'upstream.identityHeader',
    env: 'TOKENGATE_IDENTITY_HEADER',
    default: 'X-Forwarded-User',
    kind: 'nullableString',
    description:
      'Header that carries the caller\u2019s username upstream (removed from incoming requests); empty = none.',
  },
  {
    key: 'upstream.responseCsp',
    env: 'TOKENGATE_UPSTREAM_RESPONSE_CSP',
    default: "sandbox; default-src 'none'; frame-ancestors 'none'",
    kind: 'nullableString',
    description:
      'Content-Security-Policy added to every proxied response (with `X-Content-Type-Options: nosniff`), so an upstream answer can never run script on tokengate\u2019s origin, which is also the page\u2019s; empty = none (only for an upstream that must serve active pages, and then serve the page on its own origin).',
  },
  {
    key: 'upstream.credentials.username',
    env: 'TOKENGATE_UPSTREAM_USERNAME',
    default: null,
    kind: 'string',
    description: 'Fixed Basic credentials sent upstream: username (with `password`).',
  },
  {
    key: 'upstream.credentials.password',
    env: 'TOKENGATE_UPSTREAM_PASSWORD',
    default: null,
    kind: 'string',
    description: 'Fixed Basic credentials sent upstream: password.',
  },
  {
    key: 'upstream.credentials.token',
    env: 'TOKENGATE_UPSTREAM_TOKEN',
    default: null,
    kind: 'string',
    description: 'Fixed Bearer token sent upstream (instead of username/password).',
  },
  {
    key: 'upstream.perUserCredentials',
    env: 'TOKENGATE_UPSTREAM_PER_USER',
    default: 'optional',
    kind: 'enum',
    description:
      'Per-user upstream credentials (`tokengate user upstream-credential`): `optional` (users without one use `upstream.credentials`, if any) or `required` (their token calls get `403`).',
  },
  {
    key: 'tls.certFile',
    env: 'TOKENGATE_TLS_CERT',
    default: null,
    kind: 'nullableString',
    description:
      'PEM certificate (chain) file: with `tls.keyFile`, tokengate listens with HTTPS (TLS 1.2 or later). `SIGHUP` reloads both files.',
  },
  {
    key: 'tls.keyFile',
    env: 'TOKENGATE_TLS_KEY',
    default: null,
    kind: 'nullableString',
    description: 'PEM private key file of `tls.certFile`.',
  },
  {
    key: 'dataDir',
    env: 'TOKENGATE_DATA_DIR',
    default: './data',
    kind: 'string',
    description: 'Data directory: SQLite database, `encryption.key`.',
  },
  {
    key: 'database.url',
    env: 'TOKENGATE_DATABASE_URL',
    default: null,
    kind: 'nullableString',
    description:
      '`postgres://…` to share one PostgreSQL database between several nodes; none = SQLite in the data directory.',
  },
  {
    key: 'database.outageGraceMs',
    env: 'TOKENGATE_DATABASE_OUTAGE_GRACE_MS',
    default: 60_000,
    kind: 'int',
    description:
      'While the database does not answer, cached, still-valid tokens keep working this long (ms); then token calls get 503. 0 = refuse at once.',
  },
  {
    key: 'metrics.enabled',
    env: 'TOKENGATE_METRICS_ENABLED',
    default: true,
    kind: 'bool',
    description: 'Serve Prometheus metrics at `GET /metrics` (no secrets, no token labels).',
  },
  {
    key: 'secureMode',
    env: 'TOKENGATE_SECURE_MODE',
    default: false,
    kind: 'bool',
    description:
      'Secure mode: a secret is shown only once, at creation; only digests are kept. Startup only: restart every node to change it.',
  },
  {
    key: 'maxExpiryDays',
    env: 'TOKENGATE_MAX_EXPIRY_DAYS',
    default: null,
    kind: 'nullableInt',
    description: 'Longest token lifetime in days; when set, never-expiring tokens are refused. None = no maximum.',
  },
  {
    key: 'bodyLimitBytes',
    env: 'TOKENGATE_BODY_LIMIT',
    default: 1_048_576,
    kind: 'size',
    description: 'Largest body read for a JsonData rule (`413` above it): bytes, or with a unit (`512kb`, `2mb`).',
  },
  {
    key: 'trustedProxyHops',
    env: 'TOKENGATE_TRUSTED_PROXY_HOPS',
    default: 0,
    kind: 'int',
    description:
      'How many proxies in front of tokengate append to `X-Forwarded-For` (the client address is read past them).',
  },
  {
    key: 'auth.failureLimit',
    env: 'TOKENGATE_AUTH_FAILURE_LIMIT',
    default: 20,
    kind: 'int',
    description:
      'Failed authentications allowed per claimed user and client address per window (`429` after); 5× per user, 10× per address (see Security).',
  },
  {
    key: 'auth.failureWindowMs',
    env: 'TOKENGATE_AUTH_FAILURE_WINDOW_MS',
    default: 60_000,
    kind: 'int',
    description: 'Window of the failure limit, ms.',
  },
  {
    key: 'auth.cacheSize',
    env: 'TOKENGATE_AUTH_CACHE_SIZE',
    default: 100_000,
    kind: 'int',
    description: 'Most tokens kept in the in-memory cache.',
  },
  {
    key: 'audit.retentionDays',
    env: 'TOKENGATE_AUDIT_RETENTION_DAYS',
    default: 90,
    kind: 'int',
    description: 'Audit records older than this many days are deleted; 0 = keep forever.',
  },
  {
    key: 'audit.maxRows',
    env: 'TOKENGATE_AUDIT_MAX_ROWS',
    default: 5_000_000,
    kind: 'int',
    description:
      'Most audit records kept: past it the oldest are deleted first, whatever their age (logged and counted); 0 = no size bound.',
  },
  {
    key: 'audit.queueSize',
    env: 'TOKENGATE_AUDIT_QUEUE_SIZE',
    default: 50_000,
    kind: 'int',
    description: 'Most audit records waiting to be written.',
  },
  {
    key: 'audit.batchMs',
    env: 'TOKENGATE_AUDIT_BATCH_MS',
    default: 100,
    kind: 'int',
    description: 'Audit batch window, ms (the most a crash can lose).',
  },
  {
    key: 'audit.onFull',
    env: 'TOKENGATE_AUDIT_ON_FULL',
    default: 'reject',
    kind: 'enum',
    description: 'When the audit queue is full: `reject` calls with `503` (fail closed) or `drop` records (counted).',
  },
  {
    key: 'audit.redactParams',
    env: 'TOKENGATE_AUDIT_REDACT_PARAMS',
    default: [],
    kind: 'list',
    description:
      'Extra query parameter names whose values are redacted in the audit log (environment: comma-separated).',
  },
  {
    key: 'audit.passthrough',
    env: 'TOKENGATE_AUDIT_PASSTHROUGH',
    default: false,
    kind: 'bool',
    description:
      'Record pass-through requests (no token) in the audit log too (decision `passthrough`); off: only token calls are recorded.',
  },
  {
    key: 'audit.stream',
    env: 'TOKENGATE_AUDIT_STREAM',
    default: null,
    kind: 'nullableString',
    description:
      'Also write every audit record as one JSON line to `stdout` or to a file (appended; reopened on `SIGHUP` for log rotation), for log shippers; none = the database only.',
  },
  {
    key: 'rateLimit.redisUrl',
    env: 'TOKENGATE_REDIS_URL',
    default: null,
    kind: 'nullableString',
    description:
      '`redis://[user:password@]host[:port][/db]` (or `rediss://`): count rate-limit windows in Redis, shared by every node; none = in the database. Quotas stay in the database. Redis not answering: rate-limited calls get `503` (fail closed).',
  },
  {
    key: 'rateLimit.redisKeyPrefix',
    env: 'TOKENGATE_REDIS_KEY_PREFIX',
    default: 'tokengate:',
    kind: 'string',
    description: 'Prefix of every Redis key tokengate writes (to share one Redis with other programs).',
  },
  {
    key: 'rateLimit.redisTimeoutMs',
    env: 'TOKENGATE_REDIS_TIMEOUT_MS',
    default: 500,
    kind: 'int',
    description: 'Longest wait for one Redis command or connection attempt, ms; past it the call gets `503`.',
  },
  {
    key: 'workers',
    env: 'TOKENGATE_WORKERS',
    default: 1,
    kind: 'int',
    description:
      'Processes serving on the same port (one per core you give tokengate); they share only the database. Each is a node of its own (node id + `-wN`).',
  },
  {
    key: 'nodeId',
    env: 'TOKENGATE_NODE_ID',
    default: 'hostname-pid',
    kind: 'string',
    description: 'Name of this node in audit records and heartbeats.',
  },
  {
    key: 'logLevel',
    env: 'TOKENGATE_LOG_LEVEL',
    default: 'info',
    kind: 'enum',
    description: 'Log level: `error`, `warn`, `info` or `debug`.',
  },
  {
    key: 'accessLog',
    env: 'TOKENGATE_ACCESS_LOG',
    default: false,
    kind: 'bool',
    description:
      'Log one `access` line per call (method, path with query values scrubbed, status, duration, client address, user, token id, decision) at level `info`.',
  },
  {
    key: 'decision.port',
    env: 'TOKENGATE_DECISION_PORT',
    default: null,
    kind: 'nullableInt',
    description:
      'A listener of its own for the decision endpoint `/tokengate/authorize` (nginx `auth_request`, Caddy `forward_auth`…; 0 = any free port); none = only on the main listener. It trusts one more `X-Forwarded-For` hop (the asking proxy).',
  },
  {
    key: 'decision.host',
    env: 'TOKENGATE_DECISION_HOST',
    default: '127.0.0.1',
    kind: 'string',
    description: 'Interface of the decision listener (keep it where only the proxy reaches it).',
  },
] satisfies ConfigOption[]);

/** Settings read only from the environment (keys are never put in a configuration file). */
export const ENVIRONMENT_ONLY_OPTIONS: readonly { readonly env: string; readonly description: string }[] =
  Object.freeze([
    {
      env: 'TOKENGATE_DIGEST_KEY',
      description:
        'Key of token digests (32 bytes, base64 or 64 hex digits). Default: generated once and kept in the database, so every node computes the same digests.',
    },
    {
      env: 'TOKENGATE_ENCRYPTION_KEY',
      description:
        'Key that encrypts kept token secrets (standard mode) and users\u2019 upstream credentials (both modes) (32 bytes, base64 or 64 hex digits). Default: generated into `<dataDir>/encryption.key` (mode 0600). Use the same key on every node.',
    },
    {
      env: 'TOKENGATE_WEBHOOK_URL',
      description:
        'URL of one webhook receiver of every token event, added to `webhooks` of the file; needs `TOKENGATE_WEBHOOK_SECRET` (one without the other stops the start).',
    },
    {
      env: 'TOKENGATE_WEBHOOK_SECRET',
      description: 'Key of the `X-Tokengate-Signature` HMAC of the receiver given by `TOKENGATE_WEBHOOK_URL`.',
    },
    {
      env: 'TOKENGATE_WEBHOOK_EXPIRING_DAYS',
      description:
        'Days before expiry at which `token.expiring` is sent, comma-separated (`webhooks.expiringDays`; default `7,1`).',
    },
  ]);
