import { hostname } from 'node:os';
import type { Config } from './config.js';
import { readEnvLayer } from './config-env.js';
import { readConfigFile } from './config-file.js';
import { describeIssues } from './config-issues.js';
import { expandShorthands, isPlainObject, type Layer, mergeLayer, Origins } from './config-layer.js';
import { configSchema } from './config-schema.js';
import { deepFreeze } from './deep-freeze.js';
import { applyWebhookEnv } from './webhook-env.js';

export { CONFIG_OPTIONS, type ConfigOption, ENVIRONMENT_ONLY_OPTIONS } from './config-options.js';

export interface LoadConfigOptions {
  /** A `.json`, `.yaml` or `.yml` file; none = defaults and environment only. */
  readonly file?: string | undefined;
  /** Environment (`TOKENGATE_*` variables override the file). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Command-line values, in the file's shape (`{ port: 8080, upstream: 'http://…', dataDir }`);
   * they override the environment. Undefined values are ignored.
   */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

export type LoadConfigResult =
  | {
      readonly ok: true;
      /** Deeply frozen. */
      readonly config: Config;
      /** Things worth telling the operator that do not stop the start (unknown `TOKENGATE_*` variables). */
      readonly warnings: readonly string[];
    }
  | {
      readonly ok: false;
      /** Every problem found, one sentence each, naming its source. */
      readonly errors: readonly string[];
    };

/**
 * Loads the configuration once: documented defaults, then the file, then `TOKENGATE_*`
 * environment variables, then command-line overrides; validates everything and reports EVERY
 * problem at once (unknown option, wrong type, bad URL…), each naming where it came from.
 *
 * @example
 * const loaded = loadConfig({ file: 'tokengate.yaml', env: process.env, overrides: { port: 9000 } });
 * if (!loaded.ok) { console.error(loaded.errors.join('\n')); process.exit(1); }
 * startGateway(loaded.config);
 */
export function loadConfig(options: LoadConfigOptions): LoadConfigResult {
  const origins = new Origins();
  const merged: Layer = {};
  const errors: string[] = [];

  if (options.file !== undefined) {
    const file = readConfigFile(options.file);
    if (file.ok) mergeLayer(merged, expandShorthands(file.layer), () => `configuration file ${options.file}`, origins);
    else errors.push(file.error);
  }
  const env = readEnvLayer(options.env);
  errors.push(...env.errors);
  mergeLayer(merged, env.layer, (path) => env.variables.get(path) ?? 'the environment', origins);
  errors.push(...applyWebhookEnv(merged, options.env, origins));

  const overrides = options.overrides ?? {};
  if (!isPlainObject(overrides)) errors.push('command-line overrides must be an object');
  else {
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    mergeLayer(merged, expandShorthands(defined), () => 'the command line', origins);
  }

  const parsed = configSchema(`${hostname()}-${process.pid}`).safeParse(merged);
  if (!parsed.success) errors.push(...describeIssues(parsed.error.issues, origins));
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, config: deepFreeze(parsed.data), warnings: env.warnings };
}
