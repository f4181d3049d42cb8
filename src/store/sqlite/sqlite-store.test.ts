import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../open-store.js';
import { runStoreContract } from '../store-contract.test-helpers.js';

runStoreContract('SQLite store (contract)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokengate-store-'));
  const options = { dataDir: join(dir, 'data'), databaseUrl: null };
  const store = await openStore(options);
  return {
    store,
    reopen: () => openStore(options),
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
