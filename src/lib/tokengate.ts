import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../app/open-services.js';
import { openGateway } from '../app/start-gateway.js';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import { createLogger, type Logger } from '../log/logger.js';
import { createMiddleware, type MiddlewareOptions, type TokengateMiddleware } from './middleware.js';

export interface TokengateOptions {
  /** A `.json`, `.yaml` or `.yml` configuration file, as `tokengate serve --config` reads it. */
  readonly configFile?: string;
  /**
   * Options in the configuration file's shape (`{ dataDir: './data', upstream: 'http://…',
   * database: { url: 'postgres://…' } }`); they override the file and the environment.
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Where `TOKENGATE_*` variables and the keys are read. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The base URL clients reach this server at (the page's sign-in origin check, X-Forwarded-Host,
   * redirects rewritten from the upstream). Default: `publicUrl` of the configuration, else
   * `http://localhost:PORT`.
   */
  readonly publicUrl?: string;
  /** Where tokengate's log lines go. Default: JSON lines on stderr at the configured `logLevel`. */
  readonly log?: Logger;
}

/** tokengate running inside a Node server. */
export interface Tokengate {
  /** The configuration as loaded and validated (frozen). */
  readonly config: Config;
  /** The public URL in use. */
  readonly publicUrl: string;
  /**
   * A `node:http` request listener: the whole gateway, as `tokengate serve` runs it — token calls
   * forwarded to the upstream, the admin API, the page, `/healthz`, `/metrics`. Never throws.
   */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * An Express / Connect middleware that judges each request as a token call and lets the app
   * serve it instead of the upstream (see `MiddlewareOptions`).
   */
  middleware(options?: MiddlewareOptions): TokengateMiddleware;
  /** The services the CLI uses: users, tokens, settings, the store (its audit log). */
  readonly services: Services;
  /** Drains the audit queue and closes the database. Safe to call twice. */
  close(): Promise<void>;
}

/** Thrown by `createTokengate` for an invalid configuration: every problem at once. */
export class TokengateConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid tokengate configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TokengateConfigError';
    this.problems = problems;
  }
}

/**
 * Opens tokengate's services (the database, the keys, the settings, the audit writer) from the
 * same configuration `tokengate serve` reads, and returns its request handler and middleware.
 *
 * @throws TokengateConfigError for an invalid configuration; StartupError (keys, secure mode).
 * @example
 * const tg = await createTokengate({ config: { dataDir: './data', upstream: 'http://127.0.0.1:9000' } });
 * http.createServer(tg.handler).listen(8080);
 * process.on('SIGTERM', () => tg.close());
 */
export async function createTokengate(options: TokengateOptions = {}): Promise<Tokengate> {
  const env = options.env ?? process.env;
  const loaded = loadConfig({ file: options.configFile, env, overrides: options.config ?? {} });
  if (!loaded.ok) throw new TokengateConfigError(loaded.errors);
  const config = loaded.config;
  const log = options.log ?? createLogger(config.logLevel);
  for (const warning of loaded.warnings) log.warn(warning);
  const opened = await openGateway(config, {
    log,
    ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
  });
  return Object.freeze({
    config,
    publicUrl: opened.publicUrl,
    handler: opened.gateway.handle,
    middleware: (middlewareOptions?: MiddlewareOptions) => createMiddleware(opened.gateway, middlewareOptions),
    services: opened.services,
    close: opened.close,
  });
}
