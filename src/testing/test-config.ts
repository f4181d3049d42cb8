/** A complete, valid configuration for tests that build services or endpoints without loading one. */
import type { Config } from '../config/config.js';

/** The defaults a test needs (SQLite in `dataDir`, free port, quiet log), with `overrides` on top. */
export function testConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    publicUrl: null,
    upstream: {
      url: null,
      timeoutMs: 30_000,
      connectTimeoutMs: 5000,
      identityHeader: null,
      responseCsp: null,
      credentials: null,
      perUserCredentials: 'optional',
    },
    protect: ['/rest/'],
    passthrough: false,
    encodedSlash: 'refuse',
    tls: { certFile: null, keyFile: null },
    dataDir,
    database: { url: null, outageGraceMs: 60_000 },
    metrics: { enabled: true },
    secureMode: false,
    maxExpiryDays: null,
    bodyLimitBytes: 1 << 20,
    trustedProxyHops: 0,
    auth: { failureLimit: 20, failureWindowMs: 60_000, cacheSize: 1000 },
    audit: {
      retentionDays: 90,
      maxRows: 0,
      queueSize: 50_000,
      batchMs: 100,
      onFull: 'reject',
      redactParams: [],
      passthrough: false,
      stream: null,
    },
    rateLimit: { redisUrl: null, redisKeyPrefix: 'tokengate:', redisTimeoutMs: 500 },
    workers: 1,
    nodeId: 'test',
    logLevel: 'error',
    accessLog: false,
    decision: { port: null, host: '127.0.0.1' },
    webhooks: {
      receivers: [],
      expiringDays: [7, 1],
      timeoutMs: 10_000,
      maxAttempts: 16,
      retryBaseMs: 1000,
      retryMaxMs: 3_600_000,
      pollMs: 1000,
      scanMs: 60_000,
    },
    ...overrides,
  };
}
