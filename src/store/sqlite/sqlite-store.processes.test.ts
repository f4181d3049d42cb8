import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { token } from '../contract/contract-context.js';
import type { Change } from '../models.js';
import { openStore } from '../open-store.js';
import type { Store } from '../store.js';

const OPEN_STORE = fileURLToPath(new URL('../open-store.ts', import.meta.url));

/** Runs `body` in a child `node --import tsx` process with `store` open on `dir`; resolves stdout. */
function inChild(dir: string, body: string): Promise<string> {
  const script = `
    const { openStore } = await import(${JSON.stringify(OPEN_STORE)});
    const store = await openStore({ dataDir: ${JSON.stringify(dir)}, databaseUrl: null });
    try { ${body} } finally { await store.close(); }
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('SQLite store shared with other processes', () => {
  let dir: string;
  let store: Store;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokengate-procs-'));
    store = await openStore({ dataDir: dir, databaseUrl: null });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a token deleted by a child process reaches this process within one second', async () => {
    const t = token();
    await store.insertToken(t);
    const seen = new Map<string, number>();
    const stop = store.subscribe((c: Change) => {
      if (c.key === t.digest) seen.set(`${c.kind}:${c.seq}`, Date.now());
    });
    try {
      const out = await inChild(
        dir,
        `
        const deleted = await store.deleteToken(${JSON.stringify(t.id)});
        console.log(JSON.stringify({ id: deleted?.id, at: Date.now() }));
        await new Promise((r) => setTimeout(r, 1500));
      `,
      );
      const { id, at } = JSON.parse(out.trim()) as { id: string; at: number };
      assert.equal(id, t.id);
      const times = [...seen.values()].sort((a, b) => a - b);
      assert.equal(times.length, 2, 'insert and delete');
      const latency = (times[1] ?? Number.POSITIVE_INFINITY) - at;
      assert.ok(latency < 1000, `seen ${latency} ms after the delete`);
      assert.equal(await store.findTokenById(t.id), undefined);
    } finally {
      stop();
    }
  });

  test('usage and audit written by a child while this process reads and writes add up', async () => {
    const t = token();
    await store.insertToken(t);
    const rounds = 300;
    const child = inChild(
      dir,
      `
      for (let i = 0; i < ${rounds}; i++) {
        await store.addUsage([{ tokenId: ${JSON.stringify(t.id)}, calls: 1, lastUsed: 1000 + i, ip: 'child' }]);
        await store.insertAudit([{ time: i, tokenId: ${JSON.stringify(t.id)}, tokenLabel: 'c', user: null, authMethod: null,
          method: 'GET', path: '/child', query: '', decision: 'allowed', reason: '', upstreamStatus: 200,
          clientIp: '1', userAgent: 'child', durationMs: 0, node: 'child' }]);
      }
    `,
    );
    let reads = 0;
    let done = false;
    const finished = child.finally(() => {
      done = true;
    });
    for (let i = 0; !done || i < rounds; i++) {
      if (i < rounds) await store.addUsage([{ tokenId: t.id, calls: 2, lastUsed: 500 + i, ip: 'parent' }]);
      await store.queryAudit({ tokenId: t.id }, 0, 10);
      await store.findTokenById(t.id);
      reads += 1;
      if (i >= rounds) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await finished;
    const found = await store.findTokenById(t.id);
    assert.equal(found?.counter, rounds + 2 * rounds);
    assert.equal(found?.lastUsed, 1000 + rounds - 1);
    assert.equal(found?.ip, 'child');
    assert.equal((await store.queryAudit({ tokenId: t.id }, 0, 1)).total, rounds);
    assert.ok(reads >= rounds);
  });

  test('several processes opening a fresh database at once all succeed', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'tokengate-fresh-'));
    try {
      const outs = await Promise.all(
        [1, 2, 3, 4].map((n) => inChild(fresh, `await store.setMeta('p${n}', 'ok'); console.log('ok');`)),
      );
      assert.deepEqual(
        outs.map((o) => o.trim()),
        ['ok', 'ok', 'ok', 'ok'],
      );
      const check = await openStore({ dataDir: fresh, databaseUrl: null });
      try {
        for (const n of [1, 2, 3, 4]) assert.equal(await check.getMeta(`p${n}`), 'ok');
      } finally {
        await check.close();
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
