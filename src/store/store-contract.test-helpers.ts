import { after, before, describe } from 'node:test';
import { auditContract } from './contract/audit.contract.js';
import { auditCountContract } from './contract/audit-count.contract.js';
import { auditStatsContract } from './contract/audit-stats.contract.js';
import { changesContract } from './contract/changes.contract.js';
import type { ContractContext, ContractTarget, OpenContractTarget } from './contract/contract-context.js';
import { metaClaimContract } from './contract/meta-claim.contract.js';
import { nodesContract } from './contract/nodes.contract.js';
import { policyContract, rotationContract } from './contract/policy.contract.js';
import { settingsContract } from './contract/settings.contract.js';
import { tokenSearchContract } from './contract/token-search.contract.js';
import { tokensContract } from './contract/tokens.contract.js';
import { usageContract } from './contract/usage.contract.js';
import { usersContract } from './contract/users.contract.js';
import { webhooksContract } from './contract/webhooks.contract.js';

export type { ContractTarget, OpenContractTarget } from './contract/contract-context.js';

/**
 * The behaviour every {@link Store} implementation must have, as one `node:test` suite: users,
 * tokens, usage under concurrency, settings and meta, audit (filters, paging, iteration,
 * retention), the change feed across instances, nodes and auth failures. `options.skip` (a
 * reason) skips the whole suite, e.g. when PostgreSQL is not reachable.
 *
 * @example
 * runStoreContract('SQLite store', async () => {
 *   const dir = mkdtempSync(join(tmpdir(), 'tg-'));
 *   const store = await openStore({ dataDir: dir, databaseUrl: null });
 *   return { store, reopen: () => openStore({ dataDir: dir, databaseUrl: null }), cleanup: async () => { … } };
 * });
 */
export function runStoreContract(
  name: string,
  open: OpenContractTarget,
  options: { skip?: string | false } = {},
): void {
  describe(name, { skip: options.skip ?? false }, () => {
    let target: ContractTarget | undefined;
    const ctx: ContractContext = {
      get store() {
        if (target === undefined) throw new Error('the store is not open');
        return target.store;
      },
      reopen() {
        if (target === undefined) throw new Error('the store is not open');
        return target.reopen();
      },
    };
    before(async () => {
      target = await open();
    });
    after(async () => {
      await target?.cleanup();
    });
    settingsContract(ctx);
    usersContract(ctx);
    tokensContract(ctx);
    tokenSearchContract(ctx);
    usageContract(ctx);
    auditContract(ctx);
    changesContract(ctx);
    nodesContract(ctx);
    metaClaimContract(ctx);
    auditCountContract(ctx);
    auditStatsContract(ctx);
    webhooksContract(ctx);
    policyContract(ctx);
    rotationContract(ctx);
  });
}
