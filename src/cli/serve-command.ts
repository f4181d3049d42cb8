import cluster from 'node:cluster';
import { openServices } from '../app/open-services.js';
import { startGateway } from '../app/start-gateway.js';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import { bootstrapDemo } from '../demo/demo-bootstrap.js';
import { startDemoUpstream } from '../demo/demo-upstream.js';
import { createLogger } from '../log/logger.js';
import { COMMON_HELP, expectPositionals, parseCommandLine } from './cli-common.js';
import { type CliIo, processIo } from './cli-io.js';
import { commandName } from './command-name.js';
import { leaveCluster, reportListening, runServeCluster } from './serve-cluster.js';

const HELP_COMMAND = 'tokengate serve --help';

export const SERVE_USAGE = `Usage: tokengate serve [options]

Runs the gateway until SIGTERM or SIGINT, then shuts down gracefully.

  --port N           port to listen on (TOKENGATE_PORT, default 8080; 0 = any free port)
  --host H           interface to listen on (TOKENGATE_HOST, default 127.0.0.1)
  --upstream URL     the REST API tokengate stands in front of (TOKENGATE_UPSTREAM)
  --public-url URL   the base URL clients use (TOKENGATE_PUBLIC_URL; default: the listen address)
  --workers N        processes serving on the same port (TOKENGATE_WORKERS, default 1)
  --demo             run a built-in sample API as the upstream, with a demo user and token

${COMMON_HELP}`;

const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  upstream: { type: 'string' },
  'public-url': { type: 'string' },
  demo: { type: 'boolean' },
  workers: { type: 'string' },
} as const;

/**
 * `tokengate serve`: runs the gateway until SIGTERM/SIGINT, then shuts down gracefully
 * (stop accepting, finish in-flight calls within a bound, drain the audit queue, exit 0).
 * Throws `UsageError` for a bad command line, for the caller to print (as every command does).
 */
export async function runServeCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, SERVE_OPTIONS, HELP_COMMAND);
  if (values.help === true) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  expectPositionals(positionals, [], HELP_COMMAND);
  const overrides: Record<string, unknown> = {};
  if (values.port !== undefined) overrides.port = Number(values.port);
  if (values.host !== undefined) overrides.host = values.host;
  if (values.upstream !== undefined) overrides.upstream = values.upstream;
  if (values['public-url'] !== undefined) overrides.publicUrl = values['public-url'];
  if (values['data-dir'] !== undefined) overrides.dataDir = values['data-dir'];
  if (values.workers !== undefined) overrides.workers = Number(values.workers);

  const demo = values.demo === true;
  const demoUpstream = demo ? await startDemoUpstream() : null;
  if (demoUpstream !== null) overrides.upstream = demoUpstream.url;

  const loaded = loadConfig({ file: values.config, env: process.env, overrides });
  if (!loaded.ok) {
    process.stderr.write(`tokengate: invalid configuration:\n${loaded.errors.map((e) => `  - ${e}`).join('\n')}\n`);
    await demoUpstream?.close();
    return 1;
  }
  // like every other command: an unknown TOKENGATE_* variable is most often a typo
  for (const warning of loaded.warnings) io.stderr(`tokengate: warning: ${warning}\n`);
  let config: Config = loaded.config;
  if (config.upstream.url === null) {
    process.stderr.write(
      'tokengate: no upstream: give --upstream URL (or TOKENGATE_UPSTREAM), or --demo to try the built-in sample API\n',
    );
    return 1;
  }
  if (config.workers > 1 && demo) {
    process.stderr.write('tokengate: --demo runs one process; leave out --workers\n');
    await demoUpstream?.close();
    return 1;
  }
  if (config.workers > 1 && cluster.isPrimary) {
    // Migrations, keys and the secure-mode check run once here, before the workers race for them.
    const services = await openServices(config);
    await services.close();
    return runServeCluster({ workers: config.workers, log: createLogger(config.logLevel) });
  }
  if (cluster.isWorker) config = { ...config, nodeId: `${config.nodeId}-w${cluster.worker?.id ?? 0}` };

  const log = createLogger(config.logLevel);
  const gateway = await startGateway(config, { log });
  if (demo) {
    const welcome = await bootstrapDemo(gateway.services, config.publicUrl ?? gateway.url, commandName());
    process.stdout.write(`${welcome.lines.join('\n')}\n`);
  }
  if (gateway.decisionUrl !== null && !cluster.isWorker) {
    log.always(`decisions on ${gateway.decisionUrl}`, { decisionUrl: gateway.decisionUrl });
  }
  if (cluster.isWorker) reportListening(gateway.url);
  else log.always(`listening on ${gateway.url}`, { url: gateway.url });

  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}: shutting down`, { signal });
      gateway
        .close()
        .then(() => log.info('tokengate stopped'))
        .finally(() => log.flush())
        .then(() => demoUpstream?.close())
        .then(() => leaveCluster())
        .then(() => resolve(0))
        .catch(() => resolve(1));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    // SIGHUP: new TLS handshakes use the certificate and key files as they are now; the audit
    // stream file is opened again at its path (log rotation)
    process.on('SIGHUP', () => {
      gateway.reopenAuditStream();
      gateway.reloadTls().catch((err: unknown) => {
        log.error(`SIGHUP: the TLS certificate was not reloaded: ${err instanceof Error ? err.message : String(err)}`);
      });
    });
  });
}
