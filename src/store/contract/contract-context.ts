import type { AuditRecord, TokenRecord } from '../models.js';
import type { Store } from '../store.js';

/** A store under test, a way to open a second instance on the same database, and cleanup. */
export interface ContractTarget {
  readonly store: Store;
  /** Another Store instance (own connections) on the same database; the caller closes it. */
  reopen(): Promise<Store>;
  /** Closes `store` and removes the database. */
  cleanup(): Promise<void>;
}

/** Opens a fresh, empty database for the contract suite. */
export type OpenContractTarget = () => Promise<ContractTarget>;

/** What each group of contract tests sees (valid inside tests, after the suite's `before`). */
export interface ContractContext {
  readonly store: Store;
  reopen(): Promise<Store>;
}

let counter = 0;

/** A name unique in this process run (tests share one database). */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}${Math.random().toString(36).slice(2, 8)}`;
}

/** A token record; `overrides` win. */
export function token(overrides: Partial<TokenRecord> = {}): TokenRecord {
  const id = overrides.id ?? unique('tok_');
  return {
    id,
    label: `label of ${id}`,
    user: null,
    author: 'admin',
    limitTo: '',
    digest: unique('digest-'),
    secretCiphertext: 'ciphertext',
    dateCreated: Date.now(),
    validUntil: 0,
    counter: 0,
    ip: null,
    lastUsed: 0,
    rateLimit: null,
    quota: null,
    quotaUsed: 0,
    allowedIps: '',
    lineageId: null,
    ...overrides,
  };
}

/** An audit record; `overrides` win. */
export function audit(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    time: Date.now(),
    tokenId: 'tok_x',
    tokenLabel: 'x',
    user: 'bob',
    authMethod: 'basic',
    method: 'GET',
    path: '/rest/api/space',
    query: '',
    decision: 'allowed',
    reason: '',
    upstreamStatus: 200,
    clientIp: '127.0.0.1',
    userAgent: 'curl/8',
    durationMs: 3,
    node: 'node-a',
    ...overrides,
  };
}

/** Resolves once `condition` holds (polled every 10 ms); rejects after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}
