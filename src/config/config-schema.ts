import { z } from 'zod';
import type { Config, UpstreamCredentials } from './config.js';
import { httpUrlField, int, text } from './schema-parts.js';
import { parseSize } from './size.js';
import { webhooksSchema } from './webhook-config.js';

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers tokengate itself owns: they cannot carry the caller's identity. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'cookie',
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);
const BLANK_OR_CONTROL = /[\s\p{Cc}]/u;

/** An http(s) URL without credentials, query or fragment; `originOnly` also refuses a path. */
function httpUrl(example: string, originOnly: boolean) {
  return httpUrlField({ example, credentialsHint: 'use upstream.credentials', originOnly }, (url) =>
    originOnly ? url.origin : `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
  );
}

const identityHeader = text('a header name, or empty for none')
  .nullable()
  .transform((value, ctx) => {
    const name = value?.trim() ?? '';
    if (name === '') return null;
    if (!HEADER_NAME.test(name)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${JSON.stringify(name)} is not a valid header name` });
      return z.NEVER;
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} cannot carry the caller's identity` });
      return z.NEVER;
    }
    return name;
  });

/** The sandboxing policy of proxied responses: no script, no plugin, no same-origin access, no framing. */
export const DEFAULT_RESPONSE_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'";

/** A Content-Security-Policy value, or empty for none (one header line: no CR/LF). */
const responseCsp = text('a Content-Security-Policy value, or empty for none')
  .nullable()
  .transform((value, ctx) => {
    const policy = value?.trim() ?? '';
    if (policy === '') return null;
    if (/[\r\n\0]/.test(policy)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be one line' });
      return z.NEVER;
    }
    return policy;
  });

const credentials = z
  .object(
    {
      type: z.enum(['basic', 'bearer']).optional(),
      username: text()
        .min(1, 'must not be empty')
        .refine((v) => !v.includes(':'), 'must not contain ":"')
        .optional(),
      password: text().min(1, 'must not be empty').optional(),
      token: text()
        .min(1, 'must not be empty')
        .refine((v) => !BLANK_OR_CONTROL.test(v), 'must not contain whitespace')
        .optional(),
    },
    { invalid_type_error: 'must be an object: {username, password} (Basic) or {token} (Bearer)' },
  )
  .strict()
  .nullable()
  .transform((value, ctx): UpstreamCredentials | null => {
    if (value === null) return null;
    const { type, username, password, token } = value;
    const fail = (message: string) => {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    };
    if (token !== undefined && (username !== undefined || password !== undefined)) {
      return fail('give either username and password (Basic) or token (Bearer), not both');
    }
    if (token !== undefined)
      return type === 'basic' ? fail('type basic needs username and password, not token') : { type: 'bearer', token };
    if (username === undefined && password === undefined)
      return fail('give username and password (Basic) or token (Bearer)');
    if (username === undefined || password === undefined) return fail('username and password must be given together');
    if (type === 'bearer') return fail('type bearer needs token, not username and password');
    return { type: 'basic', username, password };
  });

/** A redis:// or rediss:// URL, or empty for none. Never echoed back: it may hold a password. */
const redisUrl = text('a redis:// URL')
  .nullable()
  .transform((value, ctx) => {
    const url = value?.trim() ?? '';
    if (url === '') return null;
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // reported below
    }
    if (parsed === null || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          'must be a redis://host[:port][/db] or rediss://… URL (leave empty to count rate limits in the database)',
      });
      return z.NEVER;
    }
    if (parsed.pathname !== '' && parsed.pathname !== '/' && !/^\/\d{1,2}$/.test(parsed.pathname)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'the path of a Redis URL must be a database number such as /0',
      });
      return z.NEVER;
    }
    return url;
  });

/** `stdout`, a file path, or empty for none (the file is checked when the server opens it). */
const auditStream = text('"stdout" or a file path')
  .nullable()
  .transform((value) => {
    const stream = value?.trim() ?? '';
    return stream === '' ? null : stream;
  });

/** A protected path prefix: starts with "/", no query, fragment, whitespace or escapes. */
const protectedPrefix = text('a path prefix such as /rest/').refine(
  (value) => /^\/[!$&'()*+,\-./0-9:=@A-Z_a-z~]*$/.test(value),
  'must be a path prefix such as /rest/ (starting with "/", no query, spaces or percent-escapes)',
);

const bodyLimit = z.preprocess(
  (value) => (typeof value === 'string' ? (parseSize(value) ?? value) : value),
  z
    .number({ invalid_type_error: 'must be a number of bytes or a size such as 512kb or 2mb' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1024 ** 3, 'must be at most 1gb'),
);

/**
 * The whole configuration as it may be written in a file (after `upstream: URL` shorthands are
 * expanded), with the documented defaults, turned into a `Config`. Unknown keys are errors.
 */
export function configSchema(defaultNodeId: string) {
  return z
    .object({
      port: int(0, 65_535).default(8080),
      host: text().min(1, 'must not be empty').default('127.0.0.1'),
      publicUrl: httpUrl('https://wiki.example.com', false).nullable().default(null),
      upstream: z
        .object(
          {
            url: httpUrl('https://confluence.example.com', false).nullable().default(null),
            timeoutMs: int(1, 3_600_000).default(30_000),
            connectTimeoutMs: int(1, 600_000).default(5_000),
            identityHeader: identityHeader.default('X-Forwarded-User'),
            responseCsp: responseCsp.default(DEFAULT_RESPONSE_CSP),
            credentials: credentials.default(null),
            perUserCredentials: z
              .enum(['optional', 'required'], { message: 'must be "optional" or "required"' })
              .default('optional'),
          },
          {
            invalid_type_error:
              'must be a URL, or an object with url, timeoutMs, connectTimeoutMs, identityHeader, responseCsp, credentials',
          },
        )
        .strict()
        .default({}),
      protect: z
        .array(protectedPrefix, { invalid_type_error: 'must be a list of path prefixes such as /rest/' })
        .min(1, 'must list at least one path prefix (such as /rest/)')
        .default(['/rest/']),
      passthrough: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
      encodedSlash: z.enum(['refuse', 'keep'], { message: 'must be "refuse" or "keep"' }).default('refuse'),
      tls: z
        .object({
          certFile: text('a file name').min(1, 'must not be empty').nullable().default(null),
          keyFile: text('a file name').min(1, 'must not be empty').nullable().default(null),
        })
        .strict()
        .superRefine((tls, ctx) => {
          if ((tls.certFile === null) !== (tls.keyFile === null)) {
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              path: [tls.certFile === null ? 'certFile' : 'keyFile'],
              message: 'tls.certFile and tls.keyFile must be given together',
            });
          }
        })
        .default({}),
      dataDir: text().min(1, 'must not be empty').default('./data'),
      database: z
        .object({
          url: text()
            .nullable()
            .transform((value, ctx) => {
              const url = value?.trim() ?? '';
              if (url === '') return null;
              if (!/^postgres(ql)?:\/\/./.test(url)) {
                ctx.addIssue({
                  code: z.ZodIssueCode.custom,
                  message: 'must be a postgres://… URL (leave empty for SQLite in the data directory)',
                });
                return z.NEVER;
              }
              return url;
            })
            .default(null),
          outageGraceMs: int(0, 3_600_000).default(60_000),
        })
        .strict()
        .default({}),
      metrics: z
        .object({ enabled: z.boolean({ invalid_type_error: 'must be true or false' }).default(true) })
        .strict()
        .default({}),
      secureMode: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
      maxExpiryDays: int(1, 36_500).nullable().default(null),
      bodyLimitBytes: bodyLimit.default(1_048_576),
      trustedProxyHops: int(0, 32).default(0),
      auth: z
        .object({
          failureLimit: int(1, 1_000_000_000).default(20),
          failureWindowMs: int(1_000, 86_400_000).default(60_000),
          cacheSize: int(1, 100_000_000).default(100_000),
        })
        .strict()
        .default({}),
      audit: z
        .object({
          retentionDays: int(0, 36_500).default(90),
          maxRows: int(0, 1_000_000_000_000).default(5_000_000),
          queueSize: int(1, 100_000_000).default(50_000),
          batchMs: int(1, 60_000).default(100),
          onFull: z.enum(['reject', 'drop'], { message: 'must be "reject" or "drop"' }).default('reject'),
          redactParams: z
            .array(text().min(1, 'must not be empty'), { invalid_type_error: 'must be a list of parameter names' })
            .default([]),
          passthrough: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
          stream: auditStream.default(null),
        })
        .strict()
        .default({}),
      rateLimit: z
        .object({
          redisUrl: redisUrl.default(null),
          redisKeyPrefix: text()
            .max(200, 'must be at most 200 characters')
            .refine((v) => !BLANK_OR_CONTROL.test(v), 'must not contain whitespace or control characters')
            .default('tokengate:'),
          redisTimeoutMs: int(10, 60_000).default(500),
        })
        .strict()
        .default({}),
      workers: int(1, 64).default(1),
      nodeId: text()
        .min(1, 'must not be empty')
        .max(128, 'must be at most 128 characters')
        .refine((v) => !BLANK_OR_CONTROL.test(v), 'must not contain whitespace or control characters')
        .default(defaultNodeId),
      logLevel: z
        .enum(['error', 'warn', 'info', 'debug'], { message: 'must be error, warn, info or debug' })
        .default('info'),
      accessLog: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
      decision: z
        .object({
          port: int(0, 65_535).nullable().default(null),
          host: text().min(1, 'must not be empty').default('127.0.0.1'),
        })
        .strict()
        .default({}),
      webhooks: webhooksSchema.default({}),
    })
    .strict()
    .superRefine((config, ctx) => {
      // (a URL that was refused above is no string here)
      const pathOf = (url: unknown) => (typeof url === 'string' ? new URL(url).pathname.replace(/\/+$/, '') : '');
      const publicPath = pathOf(config.publicUrl);
      const upstreamPath = pathOf(config.upstream.url);
      if (publicPath !== '' && upstreamPath !== '' && publicPath !== upstreamPath) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['upstream', 'url'],
          message: `has the context path ${upstreamPath} but publicUrl has ${publicPath}: tokengate forwards paths unchanged, so both must be the same (or give it on one only)`,
        });
      }
    }) satisfies z.ZodType<Config, z.ZodTypeDef, unknown>;
}
