import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Config } from './config.js';
import { contextPathOf } from './config.js';
import { CONFIG_OPTIONS, loadConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'tokengate-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function ok(result: ReturnType<typeof loadConfig>): Config {
  assert.ok(result.ok, result.ok ? '' : result.errors.join('\n'));
  return result.config;
}

function errors(result: ReturnType<typeof loadConfig>): readonly string[] {
  assert.equal(result.ok, false, 'expected errors');
  return result.ok ? [] : result.errors;
}

function valueAt(config: Config, key: string): unknown {
  let node: unknown = config;
  for (const part of key.split('.')) node = node === null ? null : (node as Record<string, unknown>)[part];
  return node ?? null;
}

test('defaults are exactly the documented ones', () => {
  const config = ok(loadConfig({ env: {} }));
  assert.deepEqual(
    { ...config, nodeId: 'n' },
    {
      port: 8080,
      host: '127.0.0.1',
      publicUrl: null,
      upstream: {
        url: null,
        timeoutMs: 30000,
        connectTimeoutMs: 5000,
        identityHeader: 'X-Forwarded-User',
        responseCsp: "sandbox; default-src 'none'; frame-ancestors 'none'",
        credentials: null,
        perUserCredentials: 'optional',
      },
      protect: ['/rest/'],
      passthrough: false,
      encodedSlash: 'refuse',
      tls: { certFile: null, keyFile: null },
      dataDir: './data',
      database: { url: null, outageGraceMs: 60_000 },
      metrics: { enabled: true },
      secureMode: false,
      maxExpiryDays: null,
      bodyLimitBytes: 1048576,
      trustedProxyHops: 0,
      auth: { failureLimit: 20, failureWindowMs: 60000, cacheSize: 100000 },
      audit: {
        retentionDays: 90,
        maxRows: 5000000,
        queueSize: 50000,
        batchMs: 100,
        onFull: 'reject',
        redactParams: [],
        passthrough: false,
        stream: null,
      },
      rateLimit: { redisUrl: null, redisKeyPrefix: 'tokengate:', redisTimeoutMs: 500 },
      workers: 1,
      nodeId: 'n',
      logLevel: 'info',
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
    },
  );
  assert.match(config.nodeId, new RegExp(`-${process.pid}$`));
  for (const option of CONFIG_OPTIONS) {
    if (option.key === 'nodeId') continue;
    assert.deepEqual(valueAt(config, option.key), option.default, option.key);
  }
});

test('the result is deeply frozen', () => {
  const config = ok(loadConfig({ env: { TOKENGATE_AUDIT_REDACT_PARAMS: 'a' } }));
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.upstream) && Object.isFrozen(config.audit.redactParams));
  assert.throws(() => {
    (config as { port: number }).port = 1;
  }, TypeError);
});

test('every option has a TOKENGATE_ variable and a description; the keys are unique', () => {
  assert.equal(new Set(CONFIG_OPTIONS.map((o) => o.key)).size, CONFIG_OPTIONS.length);
  assert.equal(new Set(CONFIG_OPTIONS.map((o) => o.env)).size, CONFIG_OPTIONS.length);
  for (const option of CONFIG_OPTIONS) {
    assert.match(option.env, /^TOKENGATE_[A-Z_]+$/);
    assert.ok(option.description.length > 10, option.key);
  }
});

test('YAML file, then environment, then command line; `upstream: URL` shorthand', () => {
  const yaml = file(
    'tokengate.yaml',
    [
      'port: 9000',
      'host: 0.0.0.0',
      'upstream: https://wiki.example.com/',
      'publicUrl: https://gate.example.com/',
      'secureMode: true',
      'audit:',
      '  retentionDays: 30',
      '  redactParams: [apikey, sig]',
      'bodyLimitBytes: 2mb',
    ].join('\n'),
  );
  const fromFile = ok(loadConfig({ file: yaml, env: {} }));
  assert.equal(fromFile.port, 9000);
  assert.equal(fromFile.host, '0.0.0.0');
  assert.equal(fromFile.upstream.url, 'https://wiki.example.com');
  assert.equal(fromFile.publicUrl, 'https://gate.example.com');
  assert.equal(fromFile.secureMode, true);
  assert.equal(fromFile.audit.retentionDays, 30);
  assert.deepEqual(fromFile.audit.redactParams, ['apikey', 'sig']);
  assert.equal(fromFile.bodyLimitBytes, 2 * 1024 * 1024);
  assert.equal(fromFile.upstream.timeoutMs, 30000);

  const env = {
    TOKENGATE_PORT: '9100',
    TOKENGATE_SECURE_MODE: 'false',
    TOKENGATE_AUDIT_RETENTION_DAYS: '7',
    TOKENGATE_UPSTREAM_TIMEOUT_MS: '300',
  };
  const fromEnv = ok(loadConfig({ file: yaml, env }));
  assert.equal(fromEnv.port, 9100);
  assert.equal(fromEnv.secureMode, false);
  assert.equal(fromEnv.audit.retentionDays, 7);
  assert.deepEqual(fromEnv.audit.redactParams, ['apikey', 'sig']);
  assert.equal(fromEnv.upstream.url, 'https://wiki.example.com');
  assert.equal(fromEnv.upstream.timeoutMs, 300);

  const fromCli = ok(
    loadConfig({
      file: yaml,
      env,
      overrides: { port: 0, upstream: 'http://127.0.0.1:8090', dataDir: '/tmp/x', host: undefined },
    }),
  );
  assert.equal(fromCli.port, 0);
  assert.equal(fromCli.upstream.url, 'http://127.0.0.1:8090');
  assert.equal(fromCli.upstream.timeoutMs, 300);
  assert.equal(fromCli.dataDir, '/tmp/x');
  assert.equal(fromCli.host, '0.0.0.0');
});

test('JSON file with nested upstream options and credentials', () => {
  const json = file(
    'tokengate.json',
    JSON.stringify({
      upstream: {
        url: 'http://10.0.0.5:8090',
        identityHeader: 'X-Remote-User',
        credentials: { username: 'svc', password: 'pw' },
      },
      maxExpiryDays: 90,
    }),
  );
  const config = ok(loadConfig({ file: json, env: {} }));
  assert.deepEqual(config.upstream.credentials, { type: 'basic', username: 'svc', password: 'pw' });
  assert.equal(config.upstream.identityHeader, 'X-Remote-User');
  assert.equal(config.maxExpiryDays, 90);
  // The environment replaces the file's credentials as a whole.
  const bearer = ok(loadConfig({ file: json, env: { TOKENGATE_UPSTREAM_TOKEN: 'pat-123' } }));
  assert.deepEqual(bearer.upstream.credentials, { type: 'bearer', token: 'pat-123' });
});

test('environment: every variable of the table is read', () => {
  const config = ok(
    loadConfig({
      env: {
        TOKENGATE_PORT: '1234',
        TOKENGATE_HOST: '::',
        TOKENGATE_PUBLIC_URL: 'https://gate.example.com',
        TOKENGATE_UPSTREAM: 'https://jira.example.com',
        TOKENGATE_UPSTREAM_CONNECT_TIMEOUT_MS: '100',
        TOKENGATE_IDENTITY_HEADER: '',
        TOKENGATE_UPSTREAM_USERNAME: 'svc',
        TOKENGATE_UPSTREAM_PASSWORD: 's3cret',
        TOKENGATE_UPSTREAM_PER_USER: 'Required',
        TOKENGATE_PROTECT: '/rest/,/api/',
        TOKENGATE_PASSTHROUGH: '1',
        TOKENGATE_ENCODED_SLASH: 'keep',
        TOKENGATE_TLS_CERT: '/etc/tg/cert.pem',
        TOKENGATE_TLS_KEY: '/etc/tg/key.pem',
        TOKENGATE_AUDIT_PASSTHROUGH: 'yes',
        TOKENGATE_DATA_DIR: '/var/lib/tokengate',
        TOKENGATE_DATABASE_URL: 'postgres://u@db/tokengate',
        TOKENGATE_DATABASE_OUTAGE_GRACE_MS: '5000',
        TOKENGATE_METRICS_ENABLED: 'no',
        TOKENGATE_SECURE_MODE: 'yes',
        TOKENGATE_MAX_EXPIRY_DAYS: '365',
        TOKENGATE_BODY_LIMIT: '512kb',
        TOKENGATE_TRUSTED_PROXY_HOPS: '2',
        TOKENGATE_AUTH_FAILURE_LIMIT: '5',
        TOKENGATE_AUTH_FAILURE_WINDOW_MS: '10000',
        TOKENGATE_AUTH_CACHE_SIZE: '10',
        TOKENGATE_AUDIT_RETENTION_DAYS: '0',
        TOKENGATE_AUDIT_MAX_ROWS: '1000',
        TOKENGATE_AUDIT_QUEUE_SIZE: '10',
        TOKENGATE_AUDIT_BATCH_MS: '5',
        TOKENGATE_AUDIT_ON_FULL: 'DROP',
        TOKENGATE_AUDIT_REDACT_PARAMS: ' apikey , sig,,',
        TOKENGATE_WORKERS: '2',
        TOKENGATE_NODE_ID: 'node-1',
        TOKENGATE_LOG_LEVEL: 'debug',
        TOKENGATE_WEBHOOK_URL: 'https://hooks.example.com/tokengate',
        TOKENGATE_WEBHOOK_SECRET: 'hook-key',
        TOKENGATE_WEBHOOK_EXPIRING_DAYS: '5,2',
        TOKENGATE_ACCESS_LOG: 'on',
        TOKENGATE_AUDIT_STREAM: '/var/log/tokengate/audit.ndjson',
        TOKENGATE_REDIS_URL: 'redis://:pw@cache:6380/2',
        TOKENGATE_REDIS_KEY_PREFIX: 'tg-a:',
        TOKENGATE_REDIS_TIMEOUT_MS: '250',
      },
    }),
  );
  assert.deepEqual(config, {
    port: 1234,
    host: '::',
    publicUrl: 'https://gate.example.com',
    upstream: {
      url: 'https://jira.example.com',
      timeoutMs: 30000,
      connectTimeoutMs: 100,
      identityHeader: null,
      responseCsp: "sandbox; default-src 'none'; frame-ancestors 'none'",
      credentials: { type: 'basic', username: 'svc', password: 's3cret' },
      perUserCredentials: 'required',
    },
    protect: ['/rest/', '/api/'],
    passthrough: true,
    encodedSlash: 'keep',
    tls: { certFile: '/etc/tg/cert.pem', keyFile: '/etc/tg/key.pem' },
    dataDir: '/var/lib/tokengate',
    database: { url: 'postgres://u@db/tokengate', outageGraceMs: 5000 },
    metrics: { enabled: false },
    secureMode: true,
    maxExpiryDays: 365,
    bodyLimitBytes: 524288,
    trustedProxyHops: 2,
    auth: { failureLimit: 5, failureWindowMs: 10000, cacheSize: 10 },
    audit: {
      retentionDays: 0,
      maxRows: 1000,
      queueSize: 10,
      batchMs: 5,
      onFull: 'drop',
      redactParams: ['apikey', 'sig'],
      passthrough: true,
      stream: '/var/log/tokengate/audit.ndjson',
    },
    rateLimit: { redisUrl: 'redis://:pw@cache:6380/2', redisKeyPrefix: 'tg-a:', redisTimeoutMs: 250 },
    workers: 2,
    nodeId: 'node-1',
    logLevel: 'debug',
    accessLog: true,
    decision: { port: null, host: '127.0.0.1' },
    webhooks: {
      receivers: [{ url: 'https://hooks.example.com/tokengate', secret: 'hook-key', events: null }],
      expiringDays: [5, 2],
      timeoutMs: 10_000,
      maxAttempts: 16,
      retryBaseMs: 1000,
      retryMaxMs: 3_600_000,
      pollMs: 1000,
      scanMs: 60_000,
    },
  });
});

test('EVERY error is reported at once, each naming its source', () => {
  const yaml = file(
    'bad.yaml',
    [
      'port: eighty',
      'prot: 80',
      'upstream:',
      '  url: ftp://wiki.example.com',
      '  timeoutMs: -5',
      '  colour: blue',
      'publicUrl: not a url',
      'logLevel: loud',
      'audit:',
      '  onFull: explode',
    ].join('\n'),
  );
  const list = errors(
    loadConfig({
      file: yaml,
      env: { TOKENGATE_TRUSTED_PROXY_HOPS: 'two', TOKENGATE_SECURE_MODE: 'maybe', TOKENGATE_MAX_EXPIRY_DAYS: '0' },
      overrides: { host: 42 },
    }),
  );
  const expectations: [RegExp, string][] = [
    [/^TOKENGATE_TRUSTED_PROXY_HOPS: must be a whole number, got "two"$/, 'env int'],
    [/^TOKENGATE_SECURE_MODE: must be true or false, got "maybe"$/, 'env bool'],
    [/^port: must be a number \(from configuration file .*bad\.yaml\)$/, 'wrong type'],
    [/^unknown option "prot" \(did you mean "port"\?\) \(from configuration file .*bad\.yaml\)$/, 'unknown key'],
    [/^unknown option "upstream\.colour" \(from configuration file/, 'nested unknown key'],
    [/^upstream\.url: must start with http:\/\/ or https:\/\//, 'bad scheme'],
    [/^upstream\.timeoutMs: must be at least 1/, 'range'],
    [/^publicUrl: must be a URL such as https:\/\/wiki\.example\.com, got "not a url"/, 'bad URL'],
    [/^logLevel: must be error, warn, info or debug/, 'enum'],
    [/^audit\.onFull: must be "reject" or "drop"/, 'nested enum'],
    [/^maxExpiryDays: must be at least 1 \(from TOKENGATE_MAX_EXPIRY_DAYS\)$/, 'env range'],
    [/^host: must be a string \(from the command line\)$/, 'override type'],
  ];
  for (const [pattern, what] of expectations) {
    assert.ok(
      list.some((e) => pattern.test(e)),
      `${what}: no error matches ${pattern}\n${list.join('\n')}`,
    );
  }
  assert.equal(list.length, expectations.length, list.join('\n'));
});

test('Redis URL: redis:// or rediss:// only, a database number as path; the error never echoes the URL', () => {
  for (const url of ['http://cache:6379', 'redis://', 'not a url', 'redis://:hunter2@cache/x']) {
    const list = errors(loadConfig({ env: { TOKENGATE_REDIS_URL: url } }));
    assert.equal(list.length, 1, list.join('\n'));
    assert.match(list[0] ?? '', /^rateLimit\.redisUrl.*TOKENGATE_REDIS_URL/);
    assert.doesNotMatch(list[0] ?? '', /hunter2/);
  }
  assert.equal(
    ok(loadConfig({ env: { TOKENGATE_REDIS_URL: 'rediss://u:p@cache:6380/0' } })).rateLimit.redisUrl,
    'rediss://u:p@cache:6380/0',
  );
  assert.equal(ok(loadConfig({ env: { TOKENGATE_REDIS_URL: '' } })).rateLimit.redisUrl, null);
});

test('URLs: no credentials in URLs; database must be PostgreSQL', () => {
  const list = errors(
    loadConfig({
      env: {
        TOKENGATE_UPSTREAM: 'https://wiki.example.com/confluence?x=1',
        TOKENGATE_PUBLIC_URL: 'https://user:pw@gate.example.com',
        TOKENGATE_DATABASE_URL: 'mysql://db/x',
      },
    }),
  );
  assert.equal(list.length, 3, list.join('\n'));
  assert.match(list.join('\n'), /upstream\.url: must not have a query or fragment \(from TOKENGATE_UPSTREAM\)/);
  assert.match(list.join('\n'), /publicUrl: must not contain credentials/);
  assert.match(list.join('\n'), /database\.url: must be a postgres:\/\/… URL/);
  assert.ok(!list.join('\n').includes(':pw@'), 'the password of a URL is not repeated');
});

test("context path: the upstream URL may carry one; it must be the public URL's when both have one", () => {
  const one = loadConfig({ env: { TOKENGATE_UPSTREAM: 'https://wiki.example.com/confluence/' } });
  assert.ok(one.ok);
  assert.equal(one.config.upstream.url, 'https://wiki.example.com/confluence');
  assert.equal(contextPathOf(one.config), '/confluence');
  const same = loadConfig({
    env: {
      TOKENGATE_UPSTREAM: 'http://confluence:8090/confluence',
      TOKENGATE_PUBLIC_URL: 'https://x.example.com/confluence',
    },
  });
  assert.ok(same.ok);
  assert.equal(contextPathOf(same.config), '/confluence');
  const differ = errors(
    loadConfig({
      env: {
        TOKENGATE_UPSTREAM: 'http://confluence:8090/confluence',
        TOKENGATE_PUBLIC_URL: 'https://x.example.com/wiki',
      },
    }),
  );
  assert.equal(differ.length, 1, differ.join('\n'));
  assert.match(differ[0] ?? '', /upstream\.url: has the context path \/confluence but publicUrl has \/wiki/);
});

test('routes, pass-through, encoded slashes, per-user credentials and TLS options', () => {
  const result = loadConfig({
    env: {
      TOKENGATE_PROTECT: '/rest/, /api/v1/,/v2/',
      TOKENGATE_PASSTHROUGH: 'on',
      TOKENGATE_ENCODED_SLASH: 'KEEP',
      TOKENGATE_UPSTREAM_PER_USER: 'required',
      TOKENGATE_TLS_CERT: '/etc/tokengate/cert.pem',
      TOKENGATE_TLS_KEY: '/etc/tokengate/key.pem',
      TOKENGATE_AUDIT_PASSTHROUGH: 'true',
    },
  });
  assert.ok(result.ok, result.ok ? '' : result.errors.join('\n'));
  assert.deepEqual(result.config.protect, ['/rest/', '/api/v1/', '/v2/']);
  assert.equal(result.config.passthrough, true);
  assert.equal(result.config.encodedSlash, 'keep');
  assert.equal(result.config.upstream.perUserCredentials, 'required');
  assert.deepEqual(result.config.tls, { certFile: '/etc/tokengate/cert.pem', keyFile: '/etc/tokengate/key.pem' });
  assert.equal(result.config.audit.passthrough, true);
  const bad = errors(
    loadConfig({
      env: {
        TOKENGATE_PROTECT: 'rest/,/a b/',
        TOKENGATE_ENCODED_SLASH: 'decode',
        TOKENGATE_UPSTREAM_PER_USER: 'always',
        TOKENGATE_TLS_CERT: '/etc/cert.pem',
      },
    }),
  );
  const text = bad.join('\n');
  assert.match(text, /protect\[0\]: must be a path prefix/);
  assert.match(text, /protect\[1\]: must be a path prefix/);
  assert.match(text, /encodedSlash: must be "refuse" or "keep"/);
  assert.match(text, /upstream\.perUserCredentials: must be "optional" or "required"/);
  assert.match(text, /tls\.keyFile: tls\.certFile and tls\.keyFile must be given together/);
});

test('credentials: either username+password or token', () => {
  const both = errors(
    loadConfig({
      env: { TOKENGATE_UPSTREAM_USERNAME: 'svc', TOKENGATE_UPSTREAM_PASSWORD: 'pw', TOKENGATE_UPSTREAM_TOKEN: 't' },
    }),
  );
  assert.match(
    both.join('\n'),
    /upstream\.credentials: give either username and password \(Basic\) or token \(Bearer\), not both/,
  );
  const half = errors(loadConfig({ env: { TOKENGATE_UPSTREAM_USERNAME: 'svc' } }));
  assert.match(half.join('\n'), /username and password must be given together \(from TOKENGATE_UPSTREAM_USERNAME\)/);
});

test('identity header: a valid header name; empty means none; Authorization is refused', () => {
  assert.equal(ok(loadConfig({ env: { TOKENGATE_IDENTITY_HEADER: '' } })).upstream.identityHeader, null);
  assert.equal(
    ok(loadConfig({ env: { TOKENGATE_IDENTITY_HEADER: 'X-Webauth-User' } })).upstream.identityHeader,
    'X-Webauth-User',
  );
  assert.match(errors(loadConfig({ env: { TOKENGATE_IDENTITY_HEADER: 'Authorization' } })).join(), /cannot carry/);
  assert.match(
    errors(loadConfig({ env: { TOKENGATE_IDENTITY_HEADER: 'bad header' } })).join(),
    /not a valid header name/,
  );
});

test('empty environment values are ignored, except where empty means none', () => {
  const config = ok(
    loadConfig({
      env: { TOKENGATE_PORT: '', TOKENGATE_SECURE_MODE: ' ', TOKENGATE_MAX_EXPIRY_DAYS: '', TOKENGATE_UPSTREAM: '' },
    }),
  );
  assert.equal(config.port, 8080);
  assert.equal(config.secureMode, false);
  assert.equal(config.maxExpiryDays, null);
  assert.equal(config.upstream.url, null);
});

test('unknown TOKENGATE_ variables are warnings, not errors; key variables are known', () => {
  const result = loadConfig({
    env: { TOKENGATE_SECURE_MOD: 'true', TOKENGATE_DIGEST_KEY: 'x', TOKENGATE_ENCRYPTION_KEY: 'y', PATH: '/bin' },
  });
  assert.ok(result.ok);
  assert.deepEqual(result.warnings, [
    'unknown environment variable TOKENGATE_SECURE_MOD ignored (see the configuration table in the README)',
  ]);
});

test('file problems: missing, bad extension, invalid YAML/JSON, not an object; empty YAML is fine', () => {
  assert.match(errors(loadConfig({ file: join(dir, 'missing.yaml'), env: {} })).join(), /cannot be read: no such file/);
  assert.match(
    errors(loadConfig({ file: file('x.toml', 'port = 1'), env: {} })).join(),
    /must end with \.json, \.yaml or \.yml/,
  );
  assert.match(errors(loadConfig({ file: file('bad.yml', 'port: [1\nhost: x'), env: {} })).join(), /is not valid YAML/);
  assert.match(errors(loadConfig({ file: file('dup.yml', 'port: 1\nport: 2'), env: {} })).join(), /is not valid YAML/);
  assert.match(errors(loadConfig({ file: file('bad.json', '{"port": 1,}'), env: {} })).join(), /is not valid JSON/);
  assert.match(errors(loadConfig({ file: file('list.json', '[1]'), env: {} })).join(), /must hold an object/);
  assert.equal(ok(loadConfig({ file: file('empty.yaml', ''), env: {} })).port, 8080);
  // A file problem does not hide the others.
  assert.equal(errors(loadConfig({ file: join(dir, 'missing.json'), env: { TOKENGATE_PORT: 'x' } })).length, 2);
});
