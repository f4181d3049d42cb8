import { z } from 'zod';
import { httpUrlField, int } from './schema-parts.js';

/** Every event a webhook receiver can be sent (`events` in a receiver's configuration). */
export const WEBHOOK_EVENT_TYPES = Object.freeze([
  'token.created',
  'token.deleted',
  'token.rotated',
  'token.expiring',
  'token.expired',
  'token.quota_exhausted',
  'token.new_address',
] as const);

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** One receiver: where events are POSTed, the HMAC key of their signature, and which events. */
export interface WebhookReceiver {
  /** http(s) URL, also the receiver's identity in the database (unique). */
  readonly url: string;
  readonly secret: string;
  /** Event types sent to it; null: every type. */
  readonly events: readonly WebhookEventType[] | null;
}

/** `webhooks` as every module receives it (both configuration shapes end up like this). */
export interface WebhooksConfig {
  readonly receivers: readonly WebhookReceiver[];
  /** Days before `validUntil` at which `token.expiring` is sent (fractions allowed). Default [7, 1]. */
  readonly expiringDays: readonly number[];
  /** One delivery attempt's whole timeout, ms. Default 10000. */
  readonly timeoutMs: number;
  /** Attempts per event and receiver before giving up (logged). Default 16. */
  readonly maxAttempts: number;
  /** Pause after the first failed attempt, ms; doubled after each further one. Default 1000. */
  readonly retryBaseMs: number;
  /** Longest pause between attempts, ms. Default 3600000. */
  readonly retryMaxMs: number;
  /** How often a node looks for events to deliver, ms. Default 1000. */
  readonly pollMs: number;
  /** How often a node looks for tokens reaching an `expiringDays` mark or their expiry, ms. Default 60000. */
  readonly scanMs: number;
}

export const DEFAULT_EXPIRING_DAYS: readonly number[] = Object.freeze([7, 1]);

const receiverUrl = httpUrlField(
  {
    example: 'https://hooks.example.com/tokengate',
    credentialsHint: 'the signature authenticates tokengate',
    allowQuery: true,
  },
  (url) => url.href,
);

const eventType = z.enum(WEBHOOK_EVENT_TYPES, {
  errorMap: (_issue, ctx) => ({
    message: `unknown event ${JSON.stringify(ctx.data)}: use ${WEBHOOK_EVENT_TYPES.join(', ')}`,
  }),
});

const receiver = z
  .object(
    {
      url: receiverUrl,
      secret: z
        .string({ invalid_type_error: 'must be a string', required_error: 'is required: the key of the signature' })
        .min(1, 'must not be empty: the receiver checks the signature with it'),
      events: z
        .array(eventType, { invalid_type_error: 'must be a list of event types' })
        .nullable()
        .default(null)
        .transform((events) => (events === null || events.length === 0 ? null : [...new Set(events)])),
    },
    { invalid_type_error: 'must be an object {url, secret, events}' },
  )
  .strict();

const receivers = z
  .array(receiver, { invalid_type_error: 'must be a list of receivers {url, secret, events}' })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((r, i) => {
      if (seen.has(r.url)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'url'], message: `receiver ${r.url} is listed twice` });
      }
      seen.add(r.url);
    });
  });

const expiringDays = z
  .array(
    z
      .number({ invalid_type_error: 'must be a number of days' })
      .positive('must be more than 0 days')
      .max(3650, 'must be at most 3650 days'),
    { invalid_type_error: 'must be a list of days such as [7, 1]' },
  )
  .transform((days) => [...new Set(days)].sort((a, b) => b - a));

const settings = {
  receivers: receivers.default([]),
  expiringDays: expiringDays.default([...DEFAULT_EXPIRING_DAYS]),
  timeoutMs: int(100, 600_000).default(10_000),
  maxAttempts: int(1, 1000).default(16),
  retryBaseMs: int(10, 86_400_000).default(1000),
  retryMaxMs: int(10, 86_400_000).default(3_600_000),
  pollMs: int(10, 600_000).default(1000),
  scanMs: int(10, 86_400_000).default(60_000),
};

/**
 * `webhooks`: either a plain list of receivers (short for `{receivers: LIST}`), or an object
 * `{receivers, expiringDays, …}`. Both become a {@link WebhooksConfig}.
 */
export const webhooksSchema = z.preprocess(
  (value) => (Array.isArray(value) ? { receivers: value } : value),
  z
    .object(settings, {
      invalid_type_error: 'must be a list of receivers {url, secret, events} or an object {receivers, expiringDays}',
    })
    .strict(),
);
