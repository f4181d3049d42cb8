/**
 * How many audit records per second the SQLite store writes, in batches like the audit writer's.
 * Run: npx tsx bench/audit-writer.ts [totalRecords]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from '../src/store/models.js';
import { openStore } from '../src/store/open-store.js';

const TOTAL = Number(process.argv[2] ?? 300_000);
const TOKENS = Number(process.argv[3] ?? 50);
const USERS = Number(process.argv[4] ?? 20);
const BATCH_SIZES = [100, 1000, 5000];

function record(i: number): AuditRecord {
  return {
    time: 1_700_000_000_000 + i,
    tokenId: `tok_${i % TOKENS}`,
    tokenLabel: `label ${i % TOKENS}`,
    user: `user${i % USERS}`,
    authMethod: i % 2 === 0 ? 'basic' : 'bearer',
    method: i % 5 === 0 ? 'POST' : 'GET',
    path: `/rest/api/content/${i % 100_000}`,
    query: 'expand=history&limit=25',
    decision: i % 10 === 0 ? 'denied' : 'allowed',
    reason: i % 10 === 0 ? 'no rule of token label matched GET /rest/api/content' : '',
    upstreamStatus: i % 10 === 0 ? null : 200,
    clientIp: `10.0.${(i >> 8) & 255}.${i & 255}`,
    userAgent: 'python-requests/2.31.0',
    durationMs: i % 250,
    node: 'node-1',
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tokengate-bench-writer-'));
try {
  const store = await openStore({ dataDir: dir, databaseUrl: null });
  const records = Array.from({ length: TOTAL }, (_, i) => record(i));
  console.log(`SQLite audit insert, ${TOTAL.toLocaleString('en')} records per run, WAL, synchronous=NORMAL`);
  for (const batch of BATCH_SIZES) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < records.length; i += batch) await store.insertAudit(records.slice(i, i + batch));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const perSecond = Math.round(TOTAL / seconds);
    console.log(
      `  batch ${String(batch).padStart(5)}: ${perSecond.toLocaleString('en').padStart(9)} records/s (${seconds.toFixed(2)} s)`,
    );
  }
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
