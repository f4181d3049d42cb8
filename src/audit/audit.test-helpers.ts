/** Helpers for the audit tests: a real store on a temporary directory, records, a flaky store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord, TokenRecord, UsageDelta } from '../store/models.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { AuditWriterStore } from './audit-writer.js';

export interface TestStore {
  readonly store: Store;
  readonly dir: string;
  close(): Promise<void>;
}

/** A real SQLite store in a fresh temporary directory. */
export async function openTestStore(): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'tokengate-audit-'));
  const store = await openStore({ dataDir: dir, databaseUrl: null });
  return {
    store,
    dir,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let sequence = 0;

/** A plausible record; `overrides` win. */
export function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  sequence += 1;
  return {
    time: Date.now(),
    tokenId: 'tok_test',
    tokenLabel: 'test',
    user: 'bob',
    authMethod: 'basic',
    method: 'GET',
    path: `/rest/api/item/${sequence}`,
    query: '',
    decision: 'allowed',
    reason: '',
    upstreamStatus: 200,
    clientIp: '127.0.0.1',
    userAgent: 'test',
    durationMs: 1,
    node: 'test-node',
    ...overrides,
  };
}

/** A token row for usage tests. */
export function tokenRecord(id: string, user: string | null = 'bob'): TokenRecord {
  return {
    id,
    label: `label ${id}`,
    user,
    author: 'admin',
    limitTo: '',
    digest: `digest-${id}-${Math.random().toString(16).slice(2)}`,
    secretCiphertext: null,
    dateCreated: Date.now(),
    validUntil: 0,
    counter: 0,
    ip: null,
    lastUsed: 0,
  };
}

/** Counts every record matching nothing in particular. */
export async function countAudit(store: Store): Promise<number> {
  return (await store.queryAudit({}, 0, 1)).total;
}

/** The writer's view of a store, failing on purpose: `insertFailures`/`usageFailures` calls throw first. */
export class FlakyStore {
  insertCalls = 0;
  usageCalls = 0;
  #insertFailures: number;
  #usageFailures: number;
  readonly #inner: AuditWriterStore;

  constructor(inner: AuditWriterStore, insertFailures: number, usageFailures = 0) {
    this.#inner = inner;
    this.#insertFailures = insertFailures;
    this.#usageFailures = usageFailures;
  }

  async insertAudit(records: readonly AuditRecord[]): Promise<void> {
    this.insertCalls += 1;
    if (this.#insertFailures > 0) {
      this.#insertFailures -= 1;
      throw new Error('database is locked (simulated)');
    }
    await this.#inner.insertAudit(records);
  }

  async addUsage(deltas: readonly UsageDelta[]): Promise<void> {
    this.usageCalls += 1;
    if (this.#usageFailures > 0) {
      this.#usageFailures -= 1;
      throw new Error('connection reset (simulated)');
    }
    await this.#inner.addUsage(deltas);
  }
}

/** An in-memory stand-in with only what the writer uses (unit tests of timing and backoff). */
export class MemoryAuditStore {
  readonly records: AuditRecord[] = [];
  readonly usage = new Map<string, { calls: number; lastUsed: number; ip: string }>();
  readonly batches: number[] = [];

  async insertAudit(records: readonly AuditRecord[]): Promise<void> {
    this.batches.push(records.length);
    this.records.push(...records);
  }

  async addUsage(deltas: readonly UsageDelta[]): Promise<void> {
    for (const d of deltas) {
      const u = this.usage.get(d.tokenId) ?? { calls: 0, lastUsed: 0, ip: '' };
      u.calls += d.calls;
      if (d.lastUsed >= u.lastUsed) {
        u.lastUsed = d.lastUsed;
        u.ip = d.ip;
      }
      this.usage.set(d.tokenId, u);
    }
  }
}

/** Resolves once `condition` is true (polled every 5 ms), or rejects after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
