/**
 * The library's black-box set-up: a data directory prepared with the real CLI (`useBlackBox`
 * without a server), tokengate opened on it with `createTokengate`, and the app under test
 * listening on a free port of 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import type { AuditFilter, StoredAuditRecord } from '../store/models.js';
import { type BlackBoxData, useBlackBox } from '../testing/black-box.js';
import type { RunningUpstream } from '../testing/processes.js';
import { createTokengate, type Tokengate } from './index.js';

export interface LibraryBox {
  readonly tg: Tokengate;
  /** The app's base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The recording upstream (when asked for). */
  readonly upstream: RunningUpstream;
  readonly box: BlackBoxData;
}

export interface LibraryBoxOptions {
  readonly setup: (box: BlackBoxData) => void;
  /** The server's request listener, built from the opened tokengate. */
  readonly app: (tg: Tokengate) => RequestListener;
  /** Whether a recording upstream runs (for the `node:http` handler). Default false. */
  readonly upstream?: boolean;
}

/** Registers hooks that set up the data, open tokengate, and serve `app` on a free port. */
export function useLibrary(options: LibraryBoxOptions): LibraryBox {
  const box = useBlackBox({ server: 'none', upstream: options.upstream ?? false, setup: options.setup });
  let tg: Tokengate | undefined;
  let server: Server | undefined;
  let url = '';
  before(async () => {
    tg = await createTokengate({
      config: {
        dataDir: box.dataDir,
        logLevel: 'error',
        ...(options.upstream === true ? { upstream: box.upstream.url } : {}),
      },
      env: {},
    });
    const listening = createServer(options.app(tg));
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    await tg?.close();
  });
  return {
    get tg() {
      assert.ok(tg !== undefined, 'tokengate is not open yet');
      return tg;
    },
    get url() {
      return url;
    },
    get upstream() {
      return box.upstream;
    },
    box,
  };
}

/** The audit records matching `filter` once at least `count` are written (the writer batches), newest first. */
export async function auditRecords(tg: Tokengate, filter: AuditFilter, count = 1): Promise<StoredAuditRecord[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const page = await tg.services.store.queryAudit(filter, 0, 50);
    if (page.entries.length >= count) return page.entries;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`fewer than ${count} audit record(s) match ${JSON.stringify(filter)}`);
}
