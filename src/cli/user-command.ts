import type { User } from '../store/models.js';
import { recordCliAction } from './cli-audit.js';
import { COMMON_HELP, cliActor, expectPositionals, parseCommandLine, withServices } from './cli-common.js';
import { CliError, UsageError } from './cli-errors.js';
import { formatTime, renderTable } from './cli-format.js';
import { type CliIo, readNewPasswordHidden, readSecretFromStdin } from './cli-io.js';

const HELP_COMMAND = 'tokengate user --help';

export const USER_USAGE = `Usage: tokengate user <action> [options]

  user add USERNAME [--email E] [--display-name N] [--admin] [--password-stdin]
                          create a user (the password, for the web page, is read from stdin)
  user list [--json]      every user
  user disable USERNAME   the user's tokens stop working at once, on every node
  user enable USERNAME
  user passwd USERNAME    set the web-page password, read from stdin
  user delete USERNAME --yes
                          delete the user and every token bound to them (revoked at once, on
                          every node); without --yes nothing is changed
  user upstream-credential USERNAME --type bearer|basic
                          set the user's own upstream credential, read from stdin (a personal
                          access token, or name:password); their token calls then use it
  user upstream-credential USERNAME --clear
                          remove it (their calls use upstream.credentials again, if any)

${COMMON_HELP}`;

/** A user as the CLI prints it: never the password hash. */
function userJson(user: User) {
  const { passwordHash, ...rest } = user;
  return { ...rest, hasPassword: passwordHash !== null };
}

async function add(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      email: { type: 'string' },
      'display-name': { type: 'string' },
      admin: { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
    },
    HELP_COMMAND,
  );
  const [username] = expectPositionals(positionals, ['USERNAME'], HELP_COMMAND) as [string];
  const password =
    values['password-stdin'] !== true
      ? null
      : io.stdinIsTty
        ? await readNewPasswordHidden(io)
        : await readSecretFromStdin(io, 'password');
  if (password === '') throw new CliError('--password-stdin: no password on standard input');
  const user = await withServices(values, io, async (services) => {
    const added = await services.users.add({
      username,
      email: values.email ?? null,
      displayName: values['display-name'] ?? null,
      admin: values.admin === true,
      password,
    });
    await recordCliAction(services, {
      command: 'user add',
      action: `user added: ${added.username}${added.admin ? ' (administrator)' : ''}${password === null ? '' : ', with a password'}`,
    });
    return added;
  });
  io.stdout(`created user ${user.username}${user.admin ? ' (administrator)' : ''}\n`);
  return 0;
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean' } }, HELP_COMMAND);
  expectPositionals(positionals, [], HELP_COMMAND);
  const users = await withServices(values, io, (services) => services.users.list());
  if (values.json === true) {
    io.stdout(`${JSON.stringify(users.map(userJson), null, 2)}\n`);
    return 0;
  }
  if (users.length === 0) {
    io.stdout('no users yet: create one with tokengate user add USERNAME --admin\n');
    return 0;
  }
  const rows = users.map((u) => [
    u.username,
    u.email ?? '',
    u.displayName ?? '',
    u.admin ? 'yes' : 'no',
    u.active ? 'yes' : 'DISABLED',
    u.passwordHash === null ? 'no' : 'yes',
    formatTime(u.dateCreated),
  ]);
  io.stdout(renderTable(['USERNAME', 'EMAIL', 'DISPLAY NAME', 'ADMIN', 'ACTIVE', 'PASSWORD', 'CREATED'], rows));
  return 0;
}

async function setActive(argv: string[], io: CliIo, active: boolean): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {}, HELP_COMMAND);
  const [username] = expectPositionals(positionals, ['USERNAME'], HELP_COMMAND) as [string];
  const user = await withServices(values, io, async (services) => {
    const changed = await (active ? services.users.enable(username) : services.users.disable(username));
    await recordCliAction(services, {
      command: active ? 'user enable' : 'user disable',
      action: `user ${active ? 'enabled' : 'disabled'}: ${changed.username}`,
    });
    return changed;
  });
  io.stdout(`${active ? 'enabled' : 'disabled'} user ${user.username}\n`);
  return 0;
}

async function passwd(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {}, HELP_COMMAND);
  const [username] = expectPositionals(positionals, ['USERNAME'], HELP_COMMAND) as [string];
  // typed at a terminal: asked for without echo (and twice); piped: read from standard input
  const password = io.stdinIsTty ? await readNewPasswordHidden(io) : await readSecretFromStdin(io, 'new password');
  if (password === '') throw new CliError('no password on standard input');
  await withServices(values, io, async (services) => {
    await services.users.setPassword(username, password);
    await recordCliAction(services, {
      command: 'user passwd',
      action: `password changed: ${username}`,
    });
  });
  io.stdout(`password of ${username} changed\n`);
  return 0;
}

async function remove(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { yes: { type: 'boolean' } }, HELP_COMMAND);
  const [username] = expectPositionals(positionals, ['USERNAME'], HELP_COMMAND) as [string];
  const deleted = await withServices(values, io, async (services) => {
    if (values.yes !== true) {
      const user = await services.users.get(username);
      const count = await services.users.tokenCount(user.username);
      const tokens = count === 1 ? '1 token' : `${count} tokens`;
      throw new UsageError(
        `deleting user ${user.username} also deletes their ${tokens}; nothing was changed: add --yes to confirm`,
        HELP_COMMAND,
      );
    }
    const done = await services.users.delete(username, cliActor().username);
    await recordCliAction(services, {
      command: 'user delete',
      action: `user deleted: ${done.user.username}, with ${done.tokens} token(s)`,
    });
    return done;
  });
  const tokens = deleted.tokens === 1 ? '1 token' : `${deleted.tokens} tokens`;
  io.stdout(`deleted user ${deleted.user.username} and ${tokens}\n`);
  return 0;
}

async function upstreamCredential(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    { type: { type: 'string' }, clear: { type: 'boolean' } },
    HELP_COMMAND,
  );
  const [username] = expectPositionals(positionals, ['USERNAME'], HELP_COMMAND) as [string];
  if (values.clear === true) {
    if (values.type !== undefined) throw new UsageError('give --type or --clear, not both', HELP_COMMAND);
    const removed = await withServices(values, io, (services) => services.upstreamCredentials.clear(username));
    io.stdout(removed ? `upstream credential of ${username} removed\n` : `${username} had no upstream credential\n`);
    return 0;
  }
  if (values.type === undefined) throw new UsageError('missing --type bearer|basic (or --clear)', HELP_COMMAND);
  const type = values.type.toLowerCase();
  if (type !== 'bearer' && type !== 'basic') throw new UsageError('--type must be bearer or basic', HELP_COMMAND);
  const value = await readSecretFromStdin(io, type === 'bearer' ? 'access token' : 'name:password');
  if (value === '') throw new CliError('no upstream credential on standard input');
  await withServices(values, io, (services) => services.upstreamCredentials.set(username, type, value));
  // never echoed: only what was stored, not the value
  io.stdout(`upstream credential (${type}) of ${username} set\n`);
  return 0;
}

/**
 * `tokengate user …`: add, list, disable, enable, passwd, delete — a thin shell over `UserService`.
 * Returns the exit code; throws `UsageError` / `CliError` / `HttpError` for the caller to print.
 */
export async function runUserCommand(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  if (action === 'help' || argv.includes('--help') || argv.includes('-h')) {
    io.stdout(USER_USAGE);
    return 0;
  }
  if (action === undefined || action.startsWith('-')) {
    throw new UsageError(
      'missing action: add, list, disable, enable, passwd, delete or upstream-credential (options come after it)',
      HELP_COMMAND,
    );
  }
  switch (action) {
    case 'add':
      return add(rest, io);
    case 'list':
      return list(rest, io);
    case 'disable':
      return setActive(rest, io, false);
    case 'enable':
      return setActive(rest, io, true);
    case 'passwd':
      return passwd(rest, io);
    case 'delete':
      return remove(rest, io);
    case 'upstream-credential':
      return upstreamCredential(rest, io);
    default:
      throw new UsageError(`unknown action "user ${action}"`, HELP_COMMAND);
  }
}
