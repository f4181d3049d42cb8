/** Schemas several contracts share: a token as the API shows it, the settings, the auth types. */
import { z } from 'zod/v4';

export const AUTH_TYPES = ['basic', 'bearer', 'both'] as const;
export const authTypeSchema = z.enum(AUTH_TYPES);

export const ok = z.literal('ok');

const epochMs = z.number().int();

/** A token without its secret unless noted; the shape Extender clients read. */
export const tokenViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  user: z.string().nullable().meta({ description: 'bound username, or null: any user (Basic auth only)' }),
  userDisplayName: z.string().nullable().optional(),
  author: z.string().nullable(),
  userKey: z.string().nullable().meta({ description: "Extender's user key: the bound user's lower-case username" }),
  authorKey: z.string().nullable().meta({ description: "Extender's user key of the author (lower-case username)" }),
  limitTo: z.string().meta({ description: 'rules, lines joined with <br> ("" = unrestricted)' }),
  dateCreated: epochMs,
  validUntil: epochMs.meta({ description: 'epoch ms, 0 = never' }),
  expired: z.boolean(),
  counter: z.number().int(),
  ip: z.string().nullable(),
  lastUsed: epochMs.meta({ description: 'epoch ms, 0 = never used' }),
  token: z.string().optional().meta({ description: 'the secret: only for administrators in standard mode' }),
});

/** The runtime settings and the (startup-only) secure mode. */
export const settingsViewSchema = z.object({
  authType: authTypeSchema,
  extenderEndpointsOnly: z.boolean(),
  usageDetails: z.boolean(),
  auditLog: z.boolean(),
  secureMode: z.boolean().meta({ readOnly: true }),
});
