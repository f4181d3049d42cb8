/**
 * Shapes of the page API's answers. The tokenTools answers are inferred from the endpoints'
 * contracts (src/admin/*-contract.ts: zod schemas, imported for their types only, so nothing of
 * them is bundled); the page's own routes (src/page/*.ts) are described here.
 */
import type { auditContract } from '../../admin/audit-contract.js';
import type { auditStatsContract } from '../../admin/audit-stats-contract.js';
import type { checkContract } from '../../admin/check-contract.js';
import type { ResponseOf } from '../../admin/endpoint-contract.js';
import type { getTokensContract } from '../../admin/get-tokens-contract.js';
import type { rotateContract } from '../../admin/rotate-contract.js';
import type { setContract } from '../../admin/set-contract.js';
import type { settingsContract } from '../../admin/settings-contract.js';
import type { snippetContract } from '../../admin/snippet-contract.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type AuthType = Settings['authType'];

export interface Me {
  readonly user: {
    readonly username: string;
    readonly displayName: string | null;
    readonly email: string | null;
    readonly admin: boolean;
  };
  readonly csrfToken: string;
  readonly secureMode: boolean;
  readonly publicUrl: string;
  readonly authType: AuthType;
  readonly maxExpiryDays: number | null;
  /** Tokens expiring within this many days are marked "expiring" (and found by that filter). */
  readonly expiringDays: number;
  readonly session: { readonly idleMinutes: number; readonly endsAt: number };
}

/** `GET session`: the page's first call, answered 200 whether signed in or not. */
export type SessionAnswer =
  | ({ readonly signedIn: true } & Me)
  | { readonly signedIn: false; readonly message: string | null };

/** One token of the page's list (never with its secret). */
export type TokenItem = Omit<ResponseOf<typeof getTokensContract>['tokens'][number], 'token'>;

export type SortKey = 'label' | 'user' | 'created' | 'expiry' | 'lastUsed' | 'calls';

/** The list's expiry filter (`expiry=` in the URL); '' shows every token. */
export type ExpiryFilter = '' | 'expired' | 'expiring';

export interface TokenPage {
  readonly total: number;
  readonly overall: number;
  readonly startAt: number;
  readonly maxResults: number;
  readonly tokens: readonly TokenItem[];
}

/** The created token, with its secret (shown once in secure mode, or until the dialog is closed). */
export type CreatedToken = Extract<ResponseOf<typeof setContract>, { readonly token: string }>;
/** A rotated token, with its new secret (`tokenTools/rotate`). */
export type RotatedToken = ResponseOf<typeof rotateContract>;

export type CheckResult = DistributiveOmit<ResponseOf<typeof checkContract>, 'status'>;
export type RuleError = Extract<CheckResult, { readonly valid: false }>['error'];
export type LineFailure = Extract<CheckResult, { readonly valid: true }>['failures'][number];

export type Snippet = ResponseOf<typeof snippetContract>;
export type SnippetLanguage = Snippet['lang'];

export type Settings = ResponseOf<typeof settingsContract>['settings'];

export type AuditPage = ResponseOf<typeof auditContract>;
export type AuditEntry = AuditPage['entries'][number];
export type Decision = AuditEntry['decision'];

/** Calls per time bucket by outcome (`tokenTools/auditStats`). */
export type AuditStats = ResponseOf<typeof auditStatsContract>;
export type CallBucket = AuditStats['buckets'][number];
export type CallOutcome = keyof AuditStats['totals'];

export interface UserChoice {
  readonly username: string;
  readonly displayName: string | null;
}
