import type { PublicTokenView } from '../tokens/token-view.js';
import { recordCliAction } from './cli-audit.js';
import { COMMON_HELP, cliActor, expectPositionals, parseCommandLine, withServices } from './cli-common.js';
import { CliError, UsageError } from './cli-errors.js';
import { formatTime, renderTable } from './cli-format.js';
import { type CliIo, readSecretFromStdin } from './cli-io.js';

const HELP_COMMAND = 'tokengate token --help';

export const TOKEN_USAGE = `Usage: tokengate token <action> [options]

  token create --label L [--user U] [--days N] [--limit-to RULES] [--token SECRET | --token-stdin]
               [--author A] [--json]
      create a token; the secret is printed once (in secure mode it is never shown again).
      --user       bind it to this user (else any user may use it, with Basic auth only)
      --days       expire after N days (default: never, unless the server sets a maximum)
      --limit-to   restriction rules, one per line (separate lines with a newline, \\n or <br>)
      --token      use this secret instead of a generated one (--token-stdin reads it from stdin)
      --author     name recorded as its author (default: cli)
      --json       print one JSON object: id, label, user, token, limitTo, dateCreated, validUntil…
  token list [--user U] [--search TEXT] [--start N] [--max N] [--json]
                                   tokens, newest first, 1000 at most by default (never the secrets)
  token delete ID                  revoke a token at once, on every node
  token reveal ID                  print a token's secret again (standard mode only)

${COMMON_HELP}`;

async function create(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      label: { type: 'string' },
      user: { type: 'string' },
      days: { type: 'string' },
      'limit-to': { type: 'string' },
      token: { type: 'string' },
      'token-stdin': { type: 'boolean' },
      author: { type: 'string' },
      json: { type: 'boolean' },
    },
    HELP_COMMAND,
  );
  expectPositionals(positionals, [], HELP_COMMAND);
  if (values.label === undefined) throw new UsageError('--label is required', HELP_COMMAND);
  if (values.token !== undefined && values['token-stdin'] === true) {
    throw new UsageError('give --token or --token-stdin, not both', HELP_COMMAND);
  }
  const author = values.author?.trim() ?? 'cli';
  if (author === '' || /[\p{Cc}]/u.test(author) || [...author].length > 255) {
    throw new UsageError('--author must be 1-255 characters without control characters', HELP_COMMAND);
  }
  const token = values['token-stdin'] === true ? await readSecretFromStdin(io, 'token') : values.token;
  if (values['token-stdin'] === true && token === '') throw new CliError('--token-stdin: no token on standard input');

  const { view, secret } = await withServices(values, io, async (services) => {
    const created = await services.tokens.create(
      { label: values.label, userName: values.user, daysUntilExpiry: values.days, limitTo: values['limit-to'], token },
      cliActor(author),
    );
    await recordCliAction(
      services,
      {
        command: 'token create',
        action: `token created for ${created.record.user ?? 'any user'}`,
        tokenId: created.record.id,
        tokenLabel: created.record.label,
        extraSecrets: [created.secret],
      },
      author,
    );
    return { view: services.tokens.toPublicView(created.record, { includeSecret: false }), secret: created.secret };
  });
  if (values.json === true) {
    io.stdout(`${JSON.stringify({ ...view, token: secret })}\n`);
    return 0;
  }
  io.stdout(
    [
      `created token ${view.id} "${view.label}" for ${view.user ?? 'any user (Basic auth only)'}` +
        (view.validUntil === 0 ? ', never expires' : `, expires ${formatTime(view.validUntil)}`),
      '',
      `  ${secret}`,
      '',
      'Keep it like a password; it may not be shown again.',
      '',
    ].join('\n'),
  );
  return 0;
}

function summary(view: PublicTokenView): string[] {
  const rules = view.limitTo === '' ? 'any' : `${view.limitTo.split('<br>').length} rule(s)`;
  const expires = view.validUntil === 0 ? 'never' : `${view.expired ? 'EXPIRED ' : ''}${formatTime(view.validUntil)}`;
  return [
    view.id,
    view.label,
    view.user ?? '(any user)',
    view.author ?? '',
    formatTime(view.dateCreated),
    expires,
    formatTime(view.lastUsed),
    String(view.counter),
    rules,
  ];
}

/** Tokens listed at most by `token list` unless `--max` says otherwise. */
const LIST_MAX = 1000;

function wholeOption(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${name} must be a whole number`, HELP_COMMAND);
  return Number(text);
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      json: { type: 'boolean' },
      user: { type: 'string' },
      search: { type: 'string' },
      start: { type: 'string' },
      max: { type: 'string' },
    },
    HELP_COMMAND,
  );
  expectPositionals(positionals, [], HELP_COMMAND);
  const startAt = wholeOption(values.start, '--start', 0);
  const maxResults = wholeOption(values.max, '--max', LIST_MAX);
  const { views, total } = await withServices(values, io, async (services) => {
    // filtered and paged by the database (never every token at once)
    const page = await services.store.pageTokens({
      ...(values.user !== undefined && { user: values.user }),
      search: values.search ?? '',
      startAt,
      maxResults,
    });
    return {
      total: page.total,
      views: page.tokens.map((r) => services.tokens.toPublicView(r, { includeSecret: false })),
    };
  });
  if (values.json !== true && total > startAt + views.length) {
    io.stderr(`showing ${views.length} of ${total} tokens from ${startAt}; see --start and --max\n`);
  }
  if (values.json === true) {
    io.stdout(`${JSON.stringify(views, null, 2)}\n`);
    return 0;
  }
  if (views.length === 0) {
    io.stdout('no tokens\n');
    return 0;
  }
  io.stdout(
    renderTable(
      ['ID', 'LABEL', 'USER', 'AUTHOR', 'CREATED', 'EXPIRES', 'LAST USED', 'CALLS', 'LIMIT TO'],
      views.map(summary),
    ),
  );
  return 0;
}

async function remove(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {}, HELP_COMMAND);
  const [id] = expectPositionals(positionals, ['ID'], HELP_COMMAND) as [string];
  const deleted = await withServices(values, io, async (services) => {
    const record = await services.tokens.delete(id, cliActor());
    await recordCliAction(services, {
      command: 'token delete',
      action: 'token deleted',
      tokenId: record.id,
      tokenLabel: record.label,
    });
    return record;
  });
  io.stdout(`deleted token ${deleted.id} "${deleted.label}"\n`);
  return 0;
}

async function reveal(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {}, HELP_COMMAND);
  const [id] = expectPositionals(positionals, ['ID'], HELP_COMMAND) as [string];
  const secret = await withServices(values, io, async (services) => {
    const revealed = await services.tokens.reveal(id, cliActor());
    const record = await services.tokens.get(id, cliActor());
    await recordCliAction(services, {
      command: 'token reveal',
      action: 'token secret shown again on the command line',
      tokenId: record.id,
      tokenLabel: record.label,
      extraSecrets: [revealed],
    });
    return revealed;
  });
  io.stdout(`${secret}\n`);
  return 0;
}

/**
 * `tokengate token …`: create, list, delete, reveal — a thin shell over `TokenService`, acting as
 * a system administrator. Returns the exit code; throws `UsageError` / `CliError` / `HttpError`.
 */
export async function runTokenCommand(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  if (action === 'help' || argv.includes('--help') || argv.includes('-h')) {
    io.stdout(TOKEN_USAGE);
    return 0;
  }
  if (action === undefined || action.startsWith('-')) {
    throw new UsageError('missing action: create, list, delete or reveal (options come after it)', HELP_COMMAND);
  }
  switch (action) {
    case 'create':
      return create(rest, io);
    case 'list':
      return list(rest, io);
    case 'delete':
      return remove(rest, io);
    case 'reveal':
      return reveal(rest, io);
    default:
      throw new UsageError(`unknown action "token ${action}"`, HELP_COMMAND);
  }
}
