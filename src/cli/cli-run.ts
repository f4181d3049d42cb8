import { readFileSync } from 'node:fs';
import { COMMON_HELP } from './cli-common.js';
import { describeCliError, UsageError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { runSettingsCommand } from './settings-command.js';
import { runTokenCommand } from './token-command.js';
import { runUserCommand } from './user-command.js';

export const USAGE = `Usage: tokengate <command> [options]

Scoped, expiring, audited REST API tokens in front of any REST API.

Commands:
  serve [--port N] [--host H] [--upstream URL] [--public-url URL] [--demo]
                     run the gateway (tokengate serve --help)
  user add USERNAME [--email E] [--display-name N] [--admin] [--password-stdin]
  user list [--json] | user disable USERNAME | user enable USERNAME | user passwd USERNAME
  user delete USERNAME --yes
                     manage users (tokengate user --help)
  token create --label L [--user U] [--days N] [--limit-to RULES] [--token SECRET] [--author A] [--json]
  token list [--json] | token delete ID | token reveal ID
                     manage tokens (tokengate token --help)
  check …            try restriction rules against a request (tokengate check --help)
  settings [--json] | settings set KEY VALUE
                     the runtime settings every node applies (tokengate settings --help)
  audit …            show and follow the audit log (tokengate audit --help)
  audit export --format csv|ndjson [filters]
                     write the matching audit records to stdout
  help               this text (also --help, -h; every command answers --help)
  --version          the version of tokengate (also -V)

${COMMON_HELP}
Every option can also come from a configuration file (--config) and TOKENGATE_* variables.
`;

/** The `version` of tokengate's package.json (two levels up from src/cli/ and from dist/cli/ alike). */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** A command that lives in its own module, loaded only when used. */
type LazyCommand = (argv: string[], io: CliIo) => Promise<number>;

const LAZY: Readonly<Record<string, LazyCommand>> = {
  serve: async (argv, io) => (await import('./serve-command.js')).runServeCommand(argv, io),
  check: async (argv, io) => (await import('./check-command.js')).runCheckCommand(argv, io.stdout, io.stderr),
  audit: async (argv, io) => (await import('./audit-command.js')).runAuditCommand(argv, io),
};

/**
 * Runs `tokengate ARGV…` and returns the exit code: 0 done, 1 the command failed, 2 bad usage.
 * Errors are printed on ONE line to stderr (`tokengate: …`), never with a stack.
 */
export async function runTokengate(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'user':
        return await runUserCommand(rest, io);
      case 'token':
        return await runTokenCommand(rest, io);
      case 'settings':
        return await runSettingsCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return 0;
      case '--version':
      case '-V':
        io.stdout(`tokengate ${packageVersion()}\n`);
        return 0;
      case undefined:
        throw new UsageError('missing command: serve, user, token, settings, check, audit or help');
      default: {
        const lazy = LAZY[command];
        if (lazy === undefined) throw new UsageError(`unknown command "${command}"`);
        return await lazy(rest, io);
      }
    }
  } catch (err) {
    const { line, exitCode } = describeCliError(err);
    io.stderr(line);
    return exitCode;
  }
}
