/**
 * End-to-end: the REST API Tokens page in Debian's Chromium (playwright-core), against a real
 * `tokengate serve` process in front of a real upstream process. Each test leaves a screenshot
 * in test-artifacts/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { useBlackBox } from '../testing/black-box.js';
import { basic } from '../testing/http.js';
import { ensurePageBuilt } from '../testing/page-build.js';
import { ROOT } from '../testing/paths.js';
import { tempDir } from '../testing/processes.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const ADMIN_PASSWORD = 'e2e admin password';
const BOB_PASSWORD = 'e2e bob password';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium with its profile in `profileDir`, and its first tab (15 s default timeout). */
async function openBrowser(
  profileDir: string,
  options: { acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 860 },
    ...options,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return { context, page };
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `page-${name}.png`), fullPage });
}

/** Every form control on the page has an accessible name (a label, aria-label or aria-labelledby). */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('input, select, textarea'))
      .filter((el) => {
        const control = el as HTMLInputElement;
        if (control.type === 'hidden' || control.classList.contains('offscreen')) return false;
        return (
          (control.labels?.length ?? 0) === 0 &&
          !control.getAttribute('aria-label') &&
          !control.getAttribute('aria-labelledby')
        );
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** No horizontal scrolling of the whole page (readable at 200% zoom and phone width). */
async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;

describe('REST API Tokens page in Chromium', { skip, timeout: 240_000 }, () => {
  let profile: { path: string; remove: () => void };
  let context: BrowserContext;
  let page: Page;
  let secret = '';
  let tokenId = '';
  const label = 'e2e deploy script';
  /** Console errors other than failed loads (a 401 before sign-in is expected), and uncaught page errors. */
  const problems: string[] = [];

  const box = useBlackBox({
    dirPrefix: 'tokengate-e2e-',
    setup: (b) => {
      ensurePageBuilt();
      for (const [name, password, admin] of [
        ['admin', ADMIN_PASSWORD, true],
        ['bob', BOB_PASSWORD, false],
      ] as const) {
        const args = [
          'user',
          'add',
          name,
          '--password-stdin',
          ...(admin ? ['--admin', '--display-name', 'Ada Admin'] : []),
        ];
        const added = b.cli(args, { input: `${password}\n` });
        assert.equal(added.status, 0, added.stderr);
      }
      const bobToken = b.cli(['token', 'create', '--label', 'bob laptop', '--user', 'bob', '--days', '90']);
      assert.equal(bobToken.status, 0, bobToken.stderr);
      const adminToken = b.cli(['token', 'create', '--label', 'admin backup job', '--user', 'admin']);
      assert.equal(adminToken.status, 0, adminToken.stderr);
    },
  });

  before(async () => {
    profile = tempDir('tokengate-chromium-');
    ({ context, page } = await openBrowser(profile.path, { acceptDownloads: true }));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: box.url });
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        problems.push(message.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
  });

  after(async () => {
    await context?.close();
    profile?.remove();
  });

  test('sign in with username and password', async () => {
    await page.goto(`${box.url}/tokengate/`);
    await page.getByRole('heading', { name: 'tokengate' }).waitFor();
    await shot(page, '01-sign-in');
    await page.getByLabel('Username or email').fill('admin');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The username or the password is wrong.').waitFor();
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'REST API Tokens' }).waitFor();
    await page.locator('.token-label', { hasText: 'admin backup job' }).waitFor();
    const cookies = await context.cookies(`${box.url}/tokengate/`);
    const session = cookies.find((c) => c.name === 'tokengate_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/tokengate');
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, '02-token-list');
  });

  test('create a token with rules: a rule error at its line, try a request, copy the secret', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create token' });
    await dialog.waitFor();
    await dialog.getByLabel('Label').fill(label);
    await dialog.getByLabel('Days until expiry').fill('3');
    const rules = dialog.getByLabel(/Limit to/);
    await rules.fill('[GET].*/rest/api/space.*\n[POST.*/rest/api/content');
    const error = dialog.getByTestId('rule-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /^Line 2, column \d+:/);
    assert.equal(await dialog.locator('.gutter-error').textContent(), '2');
    assert.equal(await rules.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, '03-rule-error', false);

    await rules.fill('[GET].*/rest/api/space.*\n[POST].*/rest/api/content/?[JsonData::type==page]');
    await dialog.getByText('2 rules, all valid.').waitFor();
    await dialog.getByLabel('URL').fill('/rest/api/space/DEMO');
    await dialog.getByRole('button', { name: 'Try it' }).click();
    const result = dialog.getByTestId('try-result');
    await result.getByText('Allowed by line 1').waitFor();
    await dialog.getByLabel('Method').selectOption('POST');
    await dialog.getByLabel('URL').fill('/rest/api/content');
    await dialog.getByLabel(/JSON body/).fill('{"type":"blogpost","title":"x"}');
    await dialog.getByRole('button', { name: 'Try it' }).click();
    await result.getByText('Refused: no line allows this request.').waitFor();
    const reasons = await result.locator('li').allInnerTexts();
    assert.equal(reasons.length, 2);
    assert.match(reasons[0] ?? '', /^Line 1 .*method POST/);
    assert.match(reasons[1] ?? '', /^Line 2 .*type/);
    await shot(page, '04-try-request', false);

    await dialog.getByRole('button', { name: 'Create token' }).click();
    const created = page.getByRole('dialog', { name: `Token “${label}” created` });
    await created.waitFor();
    secret = await created.getByLabel('Token', { exact: true }).inputValue();
    assert.match(secret, /^\S{24,}$/);
    await created.getByRole('button', { name: 'Copy token' }).click();
    await created.getByText('Copied ✓').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await shot(page, '05-secret', false);
    await created.getByRole('button', { name: 'Done' }).click();
    await created.waitFor({ state: 'detached' });
  });

  test('the secret works on the gateway; the call shows in usage and in the audit view', async () => {
    const allowed = await fetch(`${box.url}/rest/api/space/DEMO`, {
      headers: { authorization: basic('admin', secret) },
    });
    assert.equal(allowed.status, 200);
    assert.equal(((await allowed.json()) as { url: string }).url, '/rest/api/space/DEMO');
    const denied = await fetch(`${box.url}/rest/api/content`, {
      method: 'POST',
      headers: { authorization: basic('admin', secret), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'blogpost' }),
    });
    assert.equal(denied.status, 403);

    const row = page.getByRole('row').filter({ hasText: label });
    const usage = row.locator('td[data-label="Usage"]');
    for (let i = 0; i < 40; i++) {
      await page.getByRole('link', { name: 'Tokens' }).click();
      await row.waitFor();
      if (((await usage.textContent()) ?? '').startsWith('1 call')) break;
      await page.waitForTimeout(250);
    }
    const text = (await usage.textContent()) ?? '';
    assert.match(text, /^1 call(?!s)/);
    assert.match(text, /last used just now/);
    assert.match(text, /from 127\.0\.0\.1/);
    assert.equal(await row.locator('.badge-warning').textContent(), 'expires in 3 days');
    await row.getByRole('button', { name: /^Snippet/ }).waitFor();
    tokenId = (
      await page.request.get(`${box.url}/tokengate/api/tokens?q=${encodeURIComponent(label)}`).then((r) => r.json())
    ).tokens[0].id;
    await shot(page, '06-usage');

    await row.getByRole('button', { name: /^Calls/ }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    assert.equal(await page.getByLabel('Token ID').inputValue(), tokenId);
    const audit = page.locator('.audit-table tbody');
    await audit.getByText('GET /rest/api/space/DEMO').waitFor();
    await audit.getByText('POST /rest/api/content').waitFor();
    assert.deepEqual((await audit.locator('.badge').allInnerTexts()).sort(), ['admin', 'allowed', 'denied']);
    await page.getByLabel('Decision').selectOption('denied');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('1–1 of 1 record').waitFor();
    assert.deepEqual(await audit.locator('.badge').allInnerTexts(), ['denied']);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    assert.match(download.suggestedFilename(), /^tokengate-audit-\d{4}-\d\d-\d\d\.csv$/);
    assert.match(csv, /\/rest\/api\/content/);
    assert.doesNotMatch(csv, /\/rest\/api\/space\/DEMO/, 'the export follows the filters');
    assert.ok(!csv.includes(secret), 'no secret in the audit log');
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, '07-audit');
  });

  test('audit filters live in the address: reload and back keep them; the path filter', async () => {
    const audit = page.locator('.audit-table tbody');
    assert.equal(new URL(page.url()).searchParams.get('decision'), 'denied');
    await page.reload();
    await page.getByText('1–1 of 1 record').waitFor();
    assert.equal(await page.getByLabel('Decision').inputValue(), 'denied');
    assert.equal(await page.getByLabel('Token ID').inputValue(), tokenId);

    await page.getByLabel('Decision').selectOption('');
    await page.getByLabel('Path starts with').fill('/rest/api/space');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('1–1 of 1 record').waitFor();
    await audit.getByText('GET /rest/api/space/DEMO').waitFor();
    assert.deepEqual(await audit.locator('.badge').allInnerTexts(), ['allowed']);
    const address = new URL(page.url()).searchParams;
    assert.equal(address.get('path'), '/rest/api/space');
    assert.equal(address.get('decision'), null);

    await page.goBack();
    await audit.getByText('POST /rest/api/content').waitFor();
    assert.equal(await page.getByLabel('Decision').inputValue(), 'denied');
    assert.equal(await page.getByLabel('Path starts with').inputValue(), '');
    assert.deepEqual(await audit.locator('.badge').allInnerTexts(), ['denied']);
  });

  test('the snippet dialog: curl runs for real against the server', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    const row = page.getByRole('row').filter({ hasText: label });
    await row.getByRole('button', { name: /^Snippet/ }).click();
    const dialog = page.getByRole('dialog', { name: `Code snippet · ${label}` });
    await dialog.waitFor();
    const code = dialog.getByTestId('snippet-code');
    await code.getByText(/^curl /).waitFor();
    await dialog.getByLabel('Path to call').fill('/rest/api/space/SNIP');
    await code.getByText(/\/rest\/api\/space\/SNIP/).waitFor();
    const curl = (await code.textContent()) ?? '';
    assert.ok(curl.includes(secret), 'administrators in standard mode get the secret filled in');
    const output = execFileSync('sh', ['-c', curl], { encoding: 'utf8', timeout: 20_000 });
    assert.equal((JSON.parse(output) as { url: string }).url, '/rest/api/space/SNIP');
    assert.ok(
      (await box.upstream.records()).some(
        (r) => r.url === '/rest/api/space/SNIP' && r.headers.authorization === undefined,
      ),
    );
    await shot(page, '08-snippet-curl', false);

    await dialog.getByRole('tab', { name: 'JavaScript' }).click();
    await code.getByText(/await fetch\(/).waitFor();
    await dialog.getByRole('tab', { name: 'JavaScript' }).press('ArrowRight');
    assert.equal(await dialog.getByRole('tab', { name: 'Python' }).getAttribute('aria-selected'), 'true');
    await code.getByText(/urllib\.request\.Request\(/).waitFor();
    await dialog.getByRole('tab', { name: 'Postman' }).click();
    await dialog.getByText('Basic Auth', { exact: true }).waitFor();
    const [collection] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download collection' }).click(),
    ]);
    assert.match(collection.suggestedFilename(), /\.postman_collection\.json$/);
    const postman = JSON.parse(readFileSync((await collection.path()) ?? '', 'utf8'));
    assert.match(postman.info.schema, /v2\.1\.0/);
    assert.equal(postman.auth.type, 'basic', 'the collection authenticates as the text above it says');
    await shot(page, '09-snippet-postman', false);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.match(
      (await page.evaluate(() => document.activeElement?.textContent)) ?? '',
      /^Snippet/,
      'focus returns to the button',
    );
  });

  test('an administrator shows a token again (standard mode)', async () => {
    const row = page.getByRole('row').filter({ hasText: 'admin backup job' });
    await row.getByRole('button', { name: /^Show token/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Token “admin backup job”' });
    await dialog.getByText('Showing it again is recorded in the audit log.').waitFor();
    const shown = await dialog.getByLabel('Token', { exact: true }).inputValue();
    const works = await fetch(`${box.url}/rest/api/space`, { headers: { authorization: basic('admin', shown) } });
    assert.equal(works.status, 200);
    await shot(page, '09a-revealed', false);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  test('delete with confirmation: the token is refused at once', async () => {
    const row = page.getByRole('row').filter({ hasText: label });
    await row.getByRole('button', { name: /^Delete/ }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete token?' });
    await confirm.waitFor();
    await shot(page, '10-delete-confirm', false);
    await confirm.getByRole('button', { name: 'Delete token' }).click();
    await page.getByText(`Token “${label}” was deleted`).waitFor();
    await row.waitFor({ state: 'detached' });
    const refused = await fetch(`${box.url}/rest/api/space/DEMO`, {
      headers: { authorization: basic('admin', secret) },
    });
    assert.equal(refused.status, 401);
    await shot(page, '11-deleted');
  });

  test('change a setting', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByLabel('Both').check();
    await page.getByLabel('Add token calls to the audit log').uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const settings = (await (await page.request.get(`${box.url}/tokengate/api/tokenTools/settings`)).json()).settings;
    assert.equal(settings.authType, 'both');
    assert.equal(settings.auditLog, false);
    const challenge = await fetch(`${box.url}/rest/api/space`);
    assert.match(challenge.headers.get('www-authenticate') ?? '', /Bearer/);
    await page.getByText('off (standard mode)').waitFor();
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, '12-settings');
    await page.getByLabel('Add token calls to the audit log').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
  });

  test('readable at 200% zoom and on a phone-width screen', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.locator('.token-label', { hasText: 'admin backup job' }).waitFor();
    await page.setViewportSize({ width: 640, height: 860 }); // 1280 px at 200% zoom
    assert.equal(await overflowsHorizontally(page), false, '200% zoom');
    await shot(page, '13-zoom-200');
    await page.setViewportSize({ width: 375, height: 812 });
    assert.equal(await overflowsHorizontally(page), false, 'phone width');
    await shot(page, '14-phone');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('dialog', { name: 'Create token' }).waitFor();
    assert.equal(await overflowsHorizontally(page), false, 'phone width, dialog');
    await shot(page, '15-phone-create', false);
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  test('keyboard: the create dialog opens, traps focus and closes with Escape', async () => {
    const create = page.getByRole('button', { name: 'Create token' });
    await create.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create token' });
    await dialog.waitFor();
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      // a modal <dialog> makes the page behind it inert: focus is in the dialog (or, past its end, in the browser's own UI)
      const where = await page.evaluate(() => {
        const active = document.activeElement;
        if (active === null || active === document.body) return 'outside the document';
        return active.closest('dialog') === null
          ? 'page behind the dialog'
          : active.id || active.textContent || active.tagName;
      });
      assert.notEqual(where, 'page behind the dialog');
      seen.add(where);
    }
    assert.ok(seen.size > 8, 'every control of the dialog is reachable with Tab');
    await shot(page, '15a-keyboard', false);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Create token');
  });

  test('sign out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    assert.equal((await page.request.get(`${box.url}/tokengate/api/me`)).status(), 401);
    await shot(page, '16-signed-out');
  });

  test('a non-admin sees only their own tokens', async () => {
    await page.getByLabel('Username or email').fill('bob');
    await page.getByLabel('Password').fill(BOB_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.token-label', { hasText: 'bob laptop' }).waitFor();
    assert.equal(await page.locator('.token-label', { hasText: 'admin backup job' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Settings' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Show token/ }).count(), 0);
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create token' });
    assert.equal(await dialog.getByLabel('User', { exact: true }).inputValue(), 'bob (you)');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await shot(page, '17-non-admin');
  });

  test('CSRF, cross-origin changes, tokens on the page and sessions on /rest/ are refused', async () => {
    const noCsrf = await page.evaluate(async () => {
      const response = await fetch('api/tokenTools/set', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'forged' }),
      });
      return { status: response.status, body: (await response.json()) as { message: string } };
    });
    assert.equal(noCsrf.status, 403);
    assert.match(noCsrf.body.message, /CSRF token/);

    const cookie = (await context.cookies(`${box.url}/tokengate/`)).find((c) => c.name === 'tokengate_session');
    assert.ok(cookie);
    const me = (await (await page.request.get(`${box.url}/tokengate/api/me`)).json()) as { csrfToken: string };
    const crossOrigin = await fetch(`${box.url}/tokengate/api/tokenTools/set`, {
      method: 'POST',
      headers: {
        cookie: `${cookie.name}=${cookie.value}`,
        origin: 'https://evil.example',
        'x-csrf-token': me.csrfToken,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ label: 'forged' }),
    });
    assert.equal(crossOrigin.status, 403);
    const session = await fetch(`${box.url}/rest/api/space`, {
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    assert.equal(session.status, 401, 'a page session is no credential on /rest/');
    const bobSecret = box.cli(['token', 'create', '--label', 'bob cli', '--user', 'bob', '--json']);
    const token = (JSON.parse(bobSecret.stdout) as { token: string }).token;
    const withToken = await fetch(`${box.url}/tokengate/api/me`, { headers: { authorization: basic('bob', token) } });
    assert.equal(withToken.status, 401, 'a token is no credential on the page');
    assert.ok(
      !(await page.request.get(`${box.url}/tokengate/api/tokens?q=forged`).then((r) => r.text())).includes('"forged"'),
    );
    await shot(page, '18-csrf');
  });
});

describe('REST API Tokens page in secure mode', { skip, timeout: 120_000 }, () => {
  let profile: { path: string; remove: () => void };
  let context: BrowserContext;
  let page: Page;

  const env = { TOKENGATE_SECURE_MODE: 'true' };
  const box = useBlackBox({
    dirPrefix: 'tokengate-e2e-secure-',
    upstream: false,
    args: ['--demo'],
    env,
    setup: (b) => {
      ensurePageBuilt();
      const added = b.cli(['user', 'add', 'admin', '--admin', '--password-stdin'], {
        input: `${ADMIN_PASSWORD}\n`,
        env,
      });
      assert.equal(added.status, 0, added.stderr);
    },
  });

  before(async () => {
    profile = tempDir('tokengate-chromium-');
    ({ context, page } = await openBrowser(profile.path));
  });

  after(async () => {
    await context?.close();
    profile?.remove();
  });

  test('the secret is shown once, with a clear warning; it is never shown again', async () => {
    await page.goto(`${box.url}/tokengate/`);
    await page.getByLabel('Username or email').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create token' });
    await dialog.getByLabel('Label').fill('secure one');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const created = page.getByRole('dialog', { name: 'Token “secure one” created' });
    await created.getByText('Copy the token now: you will not see it again.').waitFor();
    const secret = await created.getByLabel('Token', { exact: true }).inputValue();
    await shot(page, '19-secure-secret', false);
    await created.getByRole('button', { name: 'Code snippet…' }).click();
    const snippet = page.getByRole('dialog', { name: 'Code snippet · secure one' });
    await snippet.getByTestId('snippet-code').getByText(secret).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.token-label', { hasText: 'secure one' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Show token/ }).count(), 0);
    const row = page.getByRole('row').filter({ hasText: 'secure one' });
    await row.getByRole('button', { name: /^Snippet/ }).click();
    const later = page.getByRole('dialog', { name: 'Code snippet · secure one' });
    await later.getByTestId('snippet-code').getByText('<YOUR_TOKEN>').waitFor();
    assert.ok(!((await later.textContent()) ?? '').includes(secret));
    await later.getByText('secure mode: it was shown only once').waitFor();
    await shot(page, '20-secure-snippet', false);
    const reveal = await page.request.post(`${box.url}/tokengate/api/tokens/reveal`, {
      headers: {
        'x-csrf-token': (
          (await (await page.request.get(`${box.url}/tokengate/api/me`)).json()) as { csrfToken: string }
        ).csrfToken,
        origin: box.url,
      },
      data: { id: (await (await page.request.get(`${box.url}/tokengate/api/tokens?q=secure`)).json()).tokens[0].id },
    });
    assert.equal(reveal.status(), 409);
  });
});
