/** Shapes of the page API's answers (see src/page/*.ts and src/admin/*-endpoint.ts). */

export type AuthType = 'basic' | 'bearer' | 'both';

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
  readonly session: { readonly idleMinutes: number; readonly endsAt: number };
}

export interface TokenItem {
  readonly id: string;
  readonly label: string;
  readonly user: string | null;
  readonly userDisplayName?: string | null;
  readonly author: string | null;
  /** Rules joined with `<br>` ('' = unrestricted). */
  readonly limitTo: string;
  readonly dateCreated: number;
  readonly validUntil: number;
  readonly expired: boolean;
  readonly counter: number;
  readonly ip: string | null;
  readonly lastUsed: number;
}

export type SortKey = 'label' | 'user' | 'created' | 'expiry' | 'lastUsed' | 'calls';

export interface TokenPage {
  readonly total: number;
  readonly overall: number;
  readonly startAt: number;
  readonly maxResults: number;
  readonly tokens: readonly TokenItem[];
}

export interface CreatedToken extends TokenItem {
  /** The secret, shown once (secure mode) or until the dialog is closed. */
  readonly token: string;
}

export interface RuleError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface LineFailure {
  readonly line: number;
  readonly part: 'method' | 'url' | 'query' | 'json';
  readonly reason: string;
}

export type CheckResult =
  | { readonly valid: false; readonly error: RuleError }
  | {
      readonly valid: true;
      readonly allowed: boolean;
      readonly line: number | null;
      readonly failures: readonly LineFailure[];
    };

export type SnippetLanguage = 'curl' | 'javascript' | 'python';

export interface Snippet {
  readonly lang: SnippetLanguage;
  readonly authType: AuthType;
  readonly secretIncluded: boolean;
  readonly code: string;
}

export interface Settings {
  readonly authType: AuthType;
  readonly extenderEndpointsOnly: boolean;
  readonly usageDetails: boolean;
  readonly auditLog: boolean;
  readonly secureMode: boolean;
}

export type Decision = 'allowed' | 'denied' | 'refused' | 'unauthenticated' | 'error' | 'admin';

export interface AuditEntry {
  readonly id: number;
  readonly time: number;
  readonly tokenId: string | null;
  readonly tokenLabel: string | null;
  readonly user: string | null;
  readonly authMethod: string | null;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly decision: Decision;
  readonly reason: string;
  readonly upstreamStatus: number | null;
  readonly clientIp: string;
  readonly userAgent: string;
  readonly durationMs: number;
  readonly node: string;
}

export interface AuditPage {
  readonly total: number;
  /** True when `total` is a lower bound (the server stops counting a large log early). */
  readonly totalIsLowerBound?: boolean;
  readonly startAt: number;
  readonly maxResults: number;
  readonly entries: readonly AuditEntry[];
}

export interface UserChoice {
  readonly username: string;
  readonly displayName: string | null;
}
