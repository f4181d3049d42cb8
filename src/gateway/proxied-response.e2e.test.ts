/**
 * End-to-end, in Debian's Chromium: an upstream `/rest/` answer that is an HTML page with script
 * is served on tokengate's origin, which is also the page's. A signed-in administrator who opens
 * such a link must not mint a token for the page's script (the response attack). The sandboxing
 * Content-Security-Policy tokengate adds to proxied responses stops it; the same attack with the
 * policy switched off (`upstream.responseCsp` empty) is run too, to show the test can fail.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { createTokenWithCli, runCli } from '../testing/cli.js';
import { basic } from '../testing/http.js';
import { ensurePageBuilt } from '../testing/page-build.js';
import { startRecordingUpstream, startTokengate, tempDir } from '../testing/processes.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const ADMIN_PASSWORD = 'response attack admin password';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];
const MINTED_LABEL = 'minted by an upstream page';

const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;

/**
 * Signs the admin in on the page, then opens the attacker's `/rest/test/html` link (the browser
 * sends the attacker's token there, as a link with credentials would). Returns the page title the
 * script left and the labels of the admin's tokens afterwards.
 */
async function openAttackLink(env: NodeJS.ProcessEnv): Promise<{ title: string; labels: string[]; csp: string }> {
  const data = tempDir('tokengate-response-attack-');
  const profile = tempDir('tokengate-chromium-');
  const upstream = await startRecordingUpstream();
  const added = runCli(['user', 'add', 'admin', '--password-stdin', '--admin'], {
    dataDir: data.path,
    input: `${ADMIN_PASSWORD}\n`,
  });
  assert.equal(added.status, 0, added.stderr);
  assert.equal(runCli(['user', 'add', 'mallory'], { dataDir: data.path }).status, 0);
  const attacker = createTokenWithCli(data.path, [
    '--label',
    'attacker',
    '--user',
    'mallory',
    '--limit-to',
    '[GET]/rest/test/html',
  ]);
  const gate = await startTokengate({ dataDir: data.path, upstream: upstream.url, env });
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    await page.goto(`${gate.url}/tokengate/`);
    await page.getByLabel('Username or email').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'REST API Tokens' }).waitFor();

    await page.route('**/rest/**', (route) =>
      route.continue({ headers: { ...route.request().headers(), authorization: basic('mallory', attacker.token) } }),
    );
    const response = await page.goto(`${gate.url}/rest/test/html`);
    assert.equal(response?.status(), 200);
    const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
    // the script, when it runs, ends with "attack answered N" or "attack failed: …"
    await page
      .waitForFunction(
        () => document.title.startsWith('attack answered') || document.title.startsWith('attack failed'),
        null,
        {
          timeout: 3_000,
        },
      )
      .catch(() => undefined);
    const title = await page.title();
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({
      path: join(
        ROOT,
        'test-artifacts',
        `response-attack${env.TOKENGATE_UPSTREAM_RESPONSE_CSP === '' ? '-no-csp' : ''}.png`,
      ),
    });
    const list = runCli(['token', 'list', '--json'], { dataDir: data.path });
    assert.equal(list.status, 0, list.stderr);
    const tokens = JSON.parse(list.stdout) as { label: string }[];
    return { title, labels: tokens.map((token) => token.label), csp };
  } finally {
    await context.close();
    await gate.stop();
    await upstream.stop();
    data.remove();
    profile.remove();
  }
}

describe('proxied responses cannot act on the page (Chromium)', { skip, timeout: 180_000 }, () => {
  before(() => ensurePageBuilt());

  test('default: the upstream page\u2019s script does not run and no token is minted', async () => {
    const { title, labels, csp } = await openAttackLink({});
    assert.match(csp, /\bsandbox\b/);
    assert.equal(title, 'attack not run');
    assert.ok(!labels.includes(MINTED_LABEL), `a token was minted: ${labels.join(', ')}`);
  });

  test('control: with the policy switched off the same link mints a token (why the default matters)', async () => {
    const { title, labels } = await openAttackLink({ TOKENGATE_UPSTREAM_RESPONSE_CSP: '' });
    assert.equal(title, 'attack answered 200');
    assert.ok(labels.includes(MINTED_LABEL));
  });
});
