import { ADMIN_BASE } from '../http/paths.js';
import { TOKEN_FIELD_MESSAGES as M } from '../tokens/token-field-messages.js';
import { AUTH_TYPES, ok, settingsViewSchema, tokenViewSchema } from './admin-schemas.js';
import { defineContract, z } from './endpoint-contract.js';

/** Fields that create a token. Their values are checked by the token service (limits depend on the server). */
export const TOKEN_FIELDS = [
  'label',
  'daysUntilExpiry',
  'userName',
  'limitTo',
  'token',
  'rateLimit',
  'quota',
  'allowedIps',
] as const;
/** Fields that change settings (administrators only). */
export const SETTING_FIELDS = [
  'authType',
  'extenderEndpointsOnly',
  'usageDetails',
  'auditLog',
  'maxExpiryDays',
] as const;

const flag = (name: string) => z.boolean({ error: `${name} must be true or false` }).optional();
const AUTH_TYPE_MESSAGE = 'authType must be "basic", "bearer" or "both"';
/** The bound of the configuration's `maxExpiryDays` (config-schema.ts). */
export const MAX_EXPIRY_DAYS_LIMIT = 36_500;
const MAX_EXPIRY_MESSAGE = `maxExpiryDays must be a whole number from 1 to ${MAX_EXPIRY_DAYS_LIMIT}, or null (no maximum)`;

/**
 * `POST /rest/extender/1.0/tokenTools/set` — creates a token (`{label, daysUntilExpiry?,
 * userName?, limitTo?, token?}`) or, for administrators, changes settings (`{authType?,
 * extenderEndpointsOnly?, usageDetails?, auditLog?, maxExpiryDays?}`). A body mixing both is refused.
 */
export const setContract = defineContract({
  method: 'POST',
  path: `${ADMIN_BASE}/set`,
  summary: 'Create a token, or (administrators) change settings — not both in one call',
  body: z.strictObject({
    label: z
      .string({ error: M.label })
      .nullable()
      .optional()
      .meta({ description: '1-255 characters; required for a token' }),
    daysUntilExpiry: z
      .union([z.number(), z.string(), z.null()], { error: M.daysUntilExpiry })
      .optional()
      .meta({ description: 'whole days; 0 or absent: never expires (the server may set a maximum)' }),
    userName: z
      .string({ error: M.userName })
      .nullable()
      .optional()
      .meta({ description: 'the user the token is bound to' }),
    limitTo: z
      .string({ error: M.limitTo })
      .nullable()
      .optional()
      .meta({ description: 'rules separated by newline, \\n, \\\\n or <br>' }),
    token: z
      .string({ error: M.token })
      .nullable()
      .optional()
      .meta({ description: 'a chosen secret (at least 16 characters)' }),
    rateLimit: z
      .string({ error: 'rateLimit must be a string such as "100/minute"' })
      .nullable()
      .optional()
      .meta({ description: 'N/second, N/minute, N/hour or N/day: calls per fixed window; absent: no limit' }),
    quota: z
      .union([z.number(), z.string(), z.null()], { error: 'quota must be a whole number of calls' })
      .optional()
      .meta({ description: 'total calls the token may make; absent: no quota' }),
    allowedIps: z
      .string({ error: 'allowedIps must be a string of addresses and CIDR ranges' })
      .nullable()
      .optional()
      .meta({ description: 'IPv4/IPv6 addresses and CIDR ranges, by line (like limitTo) or comma; absent: any' }),
    authType: z
      .preprocess(
        (value) => (typeof value === 'string' ? value.toLowerCase() : value),
        z.enum(AUTH_TYPES, { error: AUTH_TYPE_MESSAGE }),
      )
      .optional(),
    extenderEndpointsOnly: flag('extenderEndpointsOnly'),
    usageDetails: flag('usageDetails'),
    auditLog: flag('auditLog'),
    maxExpiryDays: z
      .number({ error: MAX_EXPIRY_MESSAGE })
      .int({ error: MAX_EXPIRY_MESSAGE })
      .min(1, { error: MAX_EXPIRY_MESSAGE })
      .max(MAX_EXPIRY_DAYS_LIMIT, { error: MAX_EXPIRY_MESSAGE })
      .nullable()
      .optional()
      .meta({ description: 'longest lifetime of a new token in days, on every node and the CLI; null: none' }),
  }),
  bodyRule: (body) => {
    const keys = Object.keys(body);
    const tokenKeys = keys.filter((k) => (TOKEN_FIELDS as readonly string[]).includes(k));
    const settingKeys = keys.filter((k) => (SETTING_FIELDS as readonly string[]).includes(k));
    if (tokenKeys.length > 0 && settingKeys.length > 0) {
      return `send token fields (${tokenKeys.join(', ')}) and settings (${settingKeys.join(', ')}) in separate calls`;
    }
    return keys.length === 0 ? 'the body is empty: send token fields (label, …) or settings' : null;
  },
  adminOnly: { fields: SETTING_FIELDS, message: 'only administrators can change settings' },
  responses: {
    200: {
      description: 'The created token (with its secret, shown once in secure mode) or the new settings',
      schema: z.union([
        tokenViewSchema.extend({ status: ok, token: z.string() }),
        z.object({ status: ok, settings: settingsViewSchema }),
      ]),
    },
  },
  errors: [400, 401, 403, 409],
});
