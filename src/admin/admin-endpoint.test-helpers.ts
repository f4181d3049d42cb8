/**
 * An in-process set-up for admin endpoint tests: the real services over a temporary SQLite
 * store, users `admin` (administrator) and `bob`, and a `call` that runs an endpoint the way
 * the router does (query map, JSON body, recorded admin actions).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openServices, type Services } from '../app/open-services.js';
import type { Config } from '../config/config.js';
import type { ErrorCode } from '../http/error-catalogue.js';
import { HttpError } from '../http/http-error.js';
import type { User } from '../store/models.js';
import { SettingsHolder } from '../store/settings-holder.js';
import { tempDir } from '../testing/processes.js';
import { testConfig } from '../testing/test-config.js';
import type { AdminAction, AdminEndpoint, AdminResponse } from './admin-endpoint.js';
import type { AdminEndpointDeps } from './token-tools-deps.js';

export const PUBLIC_URL = 'https://gate.example.com';

export interface EndpointHarness {
  readonly services: Services;
  readonly deps: AdminEndpointDeps;
  readonly admin: User;
  readonly bob: User;
  /** Administrative actions recorded by calls. */
  readonly actions: AdminAction[];
  call(
    endpoint: AdminEndpoint<AdminEndpointDeps>,
    actor: User,
    request?: { readonly query?: Record<string, string | readonly string[]>; readonly body?: unknown },
  ): Promise<AdminResponse>;
  /** The call's JSON answer (asserting status 200). */
  ok<T = Record<string, unknown>>(
    endpoint: AdminEndpoint<AdminEndpointDeps>,
    actor: User,
    request?: { readonly query?: Record<string, string | readonly string[]>; readonly body?: unknown },
  ): Promise<T>;
  close(): Promise<void>;
}

export async function startEndpointHarness(overrides: Partial<Config> = {}): Promise<EndpointHarness> {
  const dir = tempDir('tokengate-admin-');
  const now = Date.UTC(2025, 0, 10, 12, 0);
  const services = await openServices(testConfig(join(dir.path, 'data'), overrides), { now: () => now, env: {} });
  const admin = await services.users.add({ username: 'admin', admin: true, displayName: 'Ada Admin' });
  const bob = await services.users.add({ username: 'bob' });
  const settingsHolder = await SettingsHolder.load(services.store);
  const deps: AdminEndpointDeps = {
    config: services.config,
    store: services.store,
    tokens: services.tokens,
    users: services.users,
    upstreamCredentials: services.upstreamCredentials,
    settingsHolder,
    settings: () => settingsHolder.current,
    now: () => now,
    publicUrl: PUBLIC_URL,
  };
  const actions: AdminAction[] = [];
  const call: EndpointHarness['call'] = (endpoint, actor, request = {}) =>
    endpoint.handle(
      {
        method: endpoint.method,
        query: new Map(
          Object.entries(request.query ?? {}).map(([name, value]) => [
            name,
            typeof value === 'string' ? [value] : value,
          ]),
        ),
        actor,
        json: async () => request.body,
        recordAdmin: (action) => {
          actions.push(action);
        },
      },
      deps,
    );
  return {
    services,
    deps,
    admin,
    bob,
    actions,
    call,
    ok: async <T>(...args: Parameters<typeof call>) => {
      const response = await call(...args);
      assert.ok('json' in response, 'a JSON answer');
      assert.equal(response.status, 200);
      return response.json as T;
    },
    close: async () => {
      await services.close();
      dir.remove();
    },
  };
}

/** A matcher for `assert.rejects`: an HttpError with this code and a message matching `message`. */
export function httpError(code: ErrorCode, message?: RegExp | string) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof HttpError, `an HttpError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message !== undefined) assert.match(err.message, message);
    return true;
  };
}
