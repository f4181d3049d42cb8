/** Black-box: the real `tokengate settings …` process, and the policy the CLI reads from the database. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { assertOk, assertOneLineError, runCliAsync } from '../testing/cli.js';
import { tempDir } from '../testing/processes.js';

describe('tokengate settings', () => {
  const dir = tempDir();
  const dataDir = dir.path;
  after(() => dir.remove());

  const show = async () =>
    JSON.parse(assertOk(await runCliAsync(['settings', '--json'], { dataDir }))) as Record<string, unknown>;

  test('shows the defaults as the admin API does (table and JSON)', async () => {
    assert.deepEqual(await show(), {
      authType: 'basic',
      extenderEndpointsOnly: false,
      usageDetails: true,
      auditLog: true,
      maxExpiryDays: null,
      secureMode: false,
    });
    const table = assertOk(await runCliAsync(['settings'], { dataDir }));
    assert.match(table, /^SETTING\s+VALUE\n/);
    assert.match(table, /maxExpiryDays\s+none\n/);
  });

  test('set changes one setting, checked like the admin API', async () => {
    assert.match(
      assertOk(await runCliAsync(['settings', 'set', 'authType', 'BEARER'], { dataDir })),
      /authType\s+bearer/,
    );
    assertOk(await runCliAsync(['settings', 'set', 'auditLog', 'false'], { dataDir }));
    assert.equal((await show()).authType, 'bearer');
    assert.equal((await show()).auditLog, false);
    assertOneLineError(
      await runCliAsync(['settings', 'set', 'authType', 'digest'], { dataDir }),
      1,
      /authType must be "basic", "bearer" or "both"/,
    );
    assertOneLineError(
      await runCliAsync(['settings', 'set', 'usageDetails', 'yes'], { dataDir }),
      1,
      /usageDetails must be true or false/,
    );
    assertOneLineError(await runCliAsync(['settings', 'set', 'maxExpiryDays', '0'], { dataDir }), 1, /from 1 to 36500/);
    assertOneLineError(
      await runCliAsync(['settings', 'set', 'label', 'x'], { dataDir }),
      2,
      /unknown setting "label": one of authType, /,
    );
    assertOneLineError(await runCliAsync(['settings', 'set', 'auditLog'], { dataDir }), 2, /missing VALUE/);
    assert.equal((await show()).authType, 'bearer', 'a refused value changes nothing');
    assertOk(await runCliAsync(['settings', 'set', 'authType', 'basic'], { dataDir }));
    assertOk(await runCliAsync(['settings', 'set', 'auditLog', 'true'], { dataDir }));
  });

  test('maxExpiryDays in the database is enforced by the CLI without the server configuration', async () => {
    assertOk(await runCliAsync(['settings', 'set', 'maxExpiryDays', '30'], { dataDir }));
    assertOneLineError(
      await runCliAsync(['token', 'create', '--label', 'forever'], { dataDir }),
      1,
      /tokens must expire on this server: set daysUntilExpiry from 1 to 30/,
    );
    assertOneLineError(
      await runCliAsync(['token', 'create', '--label', 'long', '--days', '31'], { dataDir }),
      1,
      /at most 30/,
    );
    assertOk(await runCliAsync(['token', 'create', '--label', 'month', '--days', '30'], { dataDir }));
    // a stricter configuration of the CLI applies too, and the table says so
    const strict = { TOKENGATE_MAX_EXPIRY_DAYS: '7' };
    assertOneLineError(
      await runCliAsync(['token', 'create', '--label', 'x', '--days', '8'], { dataDir, env: strict }),
      1,
      /at most 7/,
    );
    assert.match(
      assertOk(await runCliAsync(['settings'], { dataDir, env: strict })),
      /maxExpiryDays\s+30 \(7 with this command's configuration\)/,
    );
    assertOk(await runCliAsync(['settings', 'set', 'maxExpiryDays', 'none'], { dataDir }));
    assertOk(await runCliAsync(['token', 'create', '--label', 'forever'], { dataDir }));
  });

  test('--help answers with exit 0', async () => {
    assert.match(assertOk(await runCliAsync(['settings', '--help'])), /^Usage: tokengate settings \[--json\]/);
    assert.match(assertOk(await runCliAsync(['settings', 'set', '--help'])), /settings set KEY VALUE/);
  });
});
