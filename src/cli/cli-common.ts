import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { OpenServicesOptions, Services } from '../app/open-services.js';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import type { User } from '../store/models.js';
import { CliError, UsageError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';

/** Options every command that opens the data accepts. */
export const COMMON_OPTIONS = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** Help lines of `COMMON_OPTIONS`. */
export const COMMON_HELP = `Common options:
  --data-dir D   data directory (default: $TOKENGATE_DATA_DIR, else ./data)
  --config F     configuration file (.json, .yaml or .yml); TOKENGATE_* variables override it
  -h, --help     this text
`;

type Options = NonNullable<ParseArgsConfig['options']>;

/** What `parseCommandLine` returns (named, so the declaration files can say it). */
export type ParsedCommandLine<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: typeof COMMON_OPTIONS & O; strict: true; allowPositionals: true }>
>;

/**
 * Parses `argv` with `options` + `COMMON_OPTIONS` (strict: unknown options are usage errors).
 * @throws UsageError pointing at `helpCommand`
 */
export function parseCommandLine<O extends Options>(
  argv: string[],
  options: O,
  helpCommand: string,
): ParsedCommandLine<O> {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), helpCommand);
  }
}

/** Exactly as many positional arguments as `names` (used in the message). @throws UsageError */
export function expectPositionals(positionals: string[], names: readonly string[], helpCommand: string): string[] {
  if (positionals.length < names.length)
    throw new UsageError(`missing ${names.slice(positionals.length).join(' ')}`, helpCommand);
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])}`, helpCommand);
  }
  return positionals;
}

/** The values of the common options, as `parseArgs` returns them. */
export interface CommonValues {
  readonly 'data-dir'?: string | boolean | undefined;
  readonly config?: string | boolean | undefined;
}

/**
 * Loads the configuration (file of `--config`, environment, `--data-dir`), opens the services as
 * a tool (see `openServices`; `open` replaces it in tests), runs `work`, and closes them whatever happens.
 *
 * @throws CliError for an invalid configuration (every problem on one line)
 */
export async function withServices<T>(
  values: CommonValues,
  io: CliIo,
  work: (services: Services) => Promise<T>,
  open?: (config: Config, options: OpenServicesOptions) => Promise<Services>,
): Promise<T> {
  const file = typeof values.config === 'string' ? values.config : undefined;
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  const loaded = loadConfig({ file, env: io.env, overrides: { dataDir } });
  if (!loaded.ok) throw new CliError(`invalid configuration: ${loaded.errors.join('; ')}`);
  for (const warning of loaded.warnings) io.stderr(`tokengate: warning: ${warning}\n`);
  // Loaded on use: help and usage errors answer without loading the database drivers.
  const openWith = open ?? (await import('../app/open-services.js')).openServices;
  const services = await openWith(loaded.config, { role: 'tool', env: io.env });
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}

/**
 * The user a CLI command acts as: a system administrator named `author` (default `cli`); it
 * exists only in memory and appears as the author of what it creates.
 */
export function cliActor(author = 'cli'): User {
  return {
    username: author,
    email: null,
    displayName: 'command line',
    admin: true,
    active: true,
    passwordHash: null,
    dateCreated: 0,
  };
}
