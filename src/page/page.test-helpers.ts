/** An in-process harness for page tests: real services over a temporary SQLite store, the page routes on a plain server. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { adminEndpoints } from '../admin/admin-endpoints.js';
import { openServices, type Services } from '../app/open-services.js';
import type { AdminActionInput } from '../audit/audit-record-builder.js';
import type { Config } from '../config/config.js';
import { canonicalize } from '../http/canonicalize.js';
import { sendError } from '../http/send.js';
import { SettingsHolder } from '../store/settings-holder.js';
import { tempDir } from '../testing/processes.js';
import { testConfig } from '../testing/test-config.js';
import { createPageRoutes } from './page-routes.js';
import type { SessionTimes } from './page-sessions.js';

export const ADMIN_PASSWORD = 'correct horse battery';
export const BOB_PASSWORD = 'bobs secret phrase';

export interface PageHarness {
  readonly url: string;
  readonly services: Services;
  /** Administrative actions the page recorded. */
  readonly actions: AdminActionInput[];
  readonly errors: unknown[];
  readonly assetsDir: string;
  setNow(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

/**
 * Starts the page on a free port with users `admin` (administrator) and `bob`, both with
 * passwords, and a tiny built page in a temporary assets directory.
 */
export async function startPage(
  options: { config?: Partial<Config>; sessionTimes?: Partial<SessionTimes>; publicUrl?: string } = {},
): Promise<PageHarness> {
  const dir = tempDir('tokengate-page-');
  let now = Date.UTC(2025, 0, 10, 12, 0);
  const config = testConfig(join(dir.path, 'data'), options.config);
  const services = await openServices(config, { now: () => now, env: {} });
  await services.users.add({ username: 'admin', admin: true, password: ADMIN_PASSWORD, displayName: 'Ada Admin' });
  await services.users.add({ username: 'bob', password: BOB_PASSWORD });
  const settingsHolder = await SettingsHolder.load(services.store);
  const assetsDir = join(dir.path, 'page');
  mkdirSync(join(assetsDir, 'assets'), { recursive: true });
  writeFileSync(
    join(assetsDir, 'index.html'),
    '<!doctype html><title>tokengate</title><script type="module" src="./assets/app-abc123.js"></script>',
  );
  writeFileSync(join(assetsDir, 'assets', 'app-abc123.js'), 'console.log("page");');
  writeFileSync(join(assetsDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const actions: AdminActionInput[] = [];
  const errors: unknown[] = [];
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = createPageRoutes({
    config: services.config,
    store: services.store,
    tokens: services.tokens,
    users: services.users,
    upstreamCredentials: services.upstreamCredentials,
    settingsHolder,
    publicUrl: options.publicUrl ?? url,
    now: () => now,
    callLog: {
      recordAdmin: (input) => {
        actions.push(input);
        return true;
      },
      logError: (err) => {
        errors.push(err);
      },
    },
    adminEndpoints,
    assetsDir,
    sessionTimes: options.sessionTimes,
  });
  // the gateway's part: canonical path first, then the local routes
  server.on('request', (req, res) => {
    const result = canonicalize(
      { method: req.method ?? '', target: req.url ?? '', headers: req.headers },
      { publicUrl: url },
    );
    if (!result.ok) return sendError(res, 'malformed_request', result.message);
    if (!page(req, res, result.request.path)) sendError(res, 'not_found', 'not found');
  });
  return {
    url,
    services,
    actions,
    errors,
    assetsDir,
    setNow: (ms) => {
      now = ms;
    },
    now: () => now,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
      dir.remove();
    },
  };
}
