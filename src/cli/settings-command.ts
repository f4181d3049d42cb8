import { SETTING_FIELDS, setContract } from '../admin/set-contract.js';
import { changeSettings, describeSettingsPatch, settingsPatchOf } from '../admin/settings-change.js';
import { validateBody } from '../admin/validate-request.js';
import type { RuntimeSettings } from '../store/models.js';
import { recordCliAction } from './cli-audit.js';
import { COMMON_HELP, cliActor, expectPositionals, parseCommandLine, withServices } from './cli-common.js';
import { UsageError } from './cli-errors.js';
import { renderTable } from './cli-format.js';
import type { CliIo } from './cli-io.js';

const HELP_COMMAND = 'tokengate settings --help';

export const SETTINGS_USAGE = `Usage: tokengate settings [--json]
       tokengate settings set KEY VALUE

The runtime settings, kept in the database: every node applies a change at once (through the
change feed) and the CLI enforces them too. Values are checked as the admin API checks them
(POST tokenTools/set).

  authType                basic, bearer or both: how tokens may be presented
  extenderEndpointsOnly   true: tokens work only on the admin API (tokenTools), not upstream
  usageDetails            true: count calls, last use and address per token
  auditLog                true: record every call in the audit log
  maxExpiryDays           1-36500, or none: longest lifetime of a new token (never-expiring
                          tokens are refused when set). A node's maxExpiryDays configuration is
                          written here at its start when it is stricter; the stricter applies.

  settings [--json]       print them (--json: one object, as GET tokenTools/settings answers)
  settings set KEY VALUE  change one; prints the settings after the change

secureMode is shown too; it is set by the server's configuration at start (restart every node).

${COMMON_HELP}`;

/** The command-line text of a setting as the JSON value the admin API would receive. */
function settingValue(key: string, text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (key === 'maxExpiryDays') {
    if (text === 'none' || text === 'null') return null;
    if (/^-?[0-9]+$/.test(text)) return Number(text);
  }
  return text;
}

function settingsTable(settings: RuntimeSettings & { secureMode: boolean }, enforced: number | null): string {
  const rows = [
    ['authType', settings.authType],
    ['extenderEndpointsOnly', String(settings.extenderEndpointsOnly)],
    ['usageDetails', String(settings.usageDetails)],
    ['auditLog', String(settings.auditLog)],
    [
      'maxExpiryDays',
      (settings.maxExpiryDays === null ? 'none' : String(settings.maxExpiryDays)) +
        (enforced !== settings.maxExpiryDays ? ` (${enforced} with this command's configuration)` : ''),
    ],
    ['secureMode', `${settings.secureMode} (server configuration, at start)`],
  ];
  return renderTable(['SETTING', 'VALUE'], rows);
}

async function show(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean' } }, HELP_COMMAND);
  expectPositionals(positionals, [], HELP_COMMAND);
  const { settings, enforced } = await withServices(values, io, async (services) => ({
    settings: { ...services.settingsHolder.current, secureMode: services.config.secureMode },
    enforced: services.tokens.maxExpiryDays(),
  }));
  io.stdout(values.json === true ? `${JSON.stringify(settings, null, 2)}\n` : settingsTable(settings, enforced));
  return 0;
}

async function set(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean' } }, HELP_COMMAND);
  const [key, text] = expectPositionals(positionals, ['KEY', 'VALUE'], HELP_COMMAND) as [string, string];
  if (!(SETTING_FIELDS as readonly string[]).includes(key)) {
    throw new UsageError(`unknown setting "${key}": one of ${SETTING_FIELDS.join(', ')}`, HELP_COMMAND);
  }
  // The admin API's own validation (400 messages become this command's error line).
  const body = validateBody(setContract, { [key]: settingValue(key, text) }, cliActor()) as Record<string, unknown>;
  const { settings, enforced } = await withServices(values, io, async (services) => {
    const patch = settingsPatchOf(body);
    const stored = await changeSettings(services.store, patch);
    await recordCliAction(services, {
      command: 'settings set',
      action: `settings changed: ${describeSettingsPatch(patch)}`,
    });
    await services.settingsHolder.refresh();
    return {
      settings: { ...stored, secureMode: services.config.secureMode },
      enforced: services.tokens.maxExpiryDays(),
    };
  });
  io.stdout(values.json === true ? `${JSON.stringify(settings, null, 2)}\n` : settingsTable(settings, enforced));
  return 0;
}

/**
 * `tokengate settings [--json]` and `tokengate settings set KEY VALUE`: the runtime settings in
 * the database, validated by the admin API's contract. Returns the exit code; throws
 * `UsageError` / `CliError` / `HttpError` for the caller to print.
 */
export async function runSettingsCommand(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  if (action === 'help' || argv.includes('--help') || argv.includes('-h')) {
    io.stdout(SETTINGS_USAGE);
    return 0;
  }
  if (action === 'set') return set(rest, io);
  if (action === undefined || action.startsWith('-')) return show(argv, io);
  throw new UsageError(
    `unknown action "settings ${action}": settings [--json] or settings set KEY VALUE`,
    HELP_COMMAND,
  );
}
