/**
 * tokengate started inside the test process (the same `startGateway` that `serve` runs), on a
 * free port of 127.0.0.1: for tests that inject a clock or read the services directly. The one
 * place tests import the composition root from.
 */
import assert from 'node:assert/strict';
import { type RunningGateway, startGateway } from '../app/start-gateway.js';
import { loadConfig } from '../config/load-config.js';

export type { RunningGateway };

export interface InProcessOptions {
  readonly dataDir: string;
  readonly upstream?: string;
  /** More configuration, as command-line overrides (`{ metrics: { enabled: false } }`). */
  readonly overrides?: Readonly<Record<string, unknown>>;
  readonly env?: NodeJS.ProcessEnv;
  /** The clock of the server (default Date.now). */
  readonly now?: () => number;
}

/** Loads the configuration (asserting it is valid) and starts the gateway in this process. */
export function startInProcessGateway(options: InProcessOptions): Promise<RunningGateway> {
  const loaded = loadConfig({
    env: options.env ?? {},
    overrides: {
      port: 0,
      host: '127.0.0.1',
      dataDir: options.dataDir,
      ...(options.upstream === undefined ? {} : { upstream: options.upstream }),
      ...options.overrides,
    },
  });
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.join('; '));
  return startGateway(loaded.config, options.now === undefined ? {} : { now: options.now });
}
