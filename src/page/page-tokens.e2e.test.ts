/**
 * End-to-end, in Debian's Chromium (playwright-core): the tokens view's expiry marks and filters,
 * an expiry chosen as a date, the "read only" preset, rotation, bulk delete, filters in the
 * address, no 401 before sign-in, and the layout at 1280×800 and at phone width. tokengate runs
 * in-process for its clock: tokens are created while the server's clock is 1.5 days behind, so
 * the browser (real time) and the server agree on which have expired. Screenshots go to
 * test-artifacts/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { useBlackBox } from '../testing/black-box.js';
import { basic } from '../testing/http.js';
import { ensurePageBuilt } from '../testing/page-build.js';
import { ROOT } from '../testing/paths.js';
import { tempDir } from '../testing/processes.js';
import { dateAfter, dateInputValue } from './ui/expiry-date.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const ADMIN_PASSWORD = 'e2e tokens admin password';
const DAY_MS = 86_400_000;
const ADMIN_API = '/rest/extender/1.0/tokenTools';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;

interface ListedToken {
  id: string;
  label: string;
  validUntil: number;
  dateCreated: number;
  limitTo: string;
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `page-tokens-${name}.png`), fullPage });
}

describe('tokens view in Chromium: expiry, presets, bulk delete, address, layout', { skip, timeout: 240_000 }, () => {
  let clockOffset = 0;
  let adminToken = '';
  let context: BrowserContext;
  let page: Page;
  let profile: { path: string; remove: () => void };
  /** Every console message and every answer with status 401, from the first load on. */
  const seen401: string[] = [];

  const box = useBlackBox({
    dirPrefix: 'tokengate-e2e-tokens-',
    server: 'in-process',
    now: () => Date.now() + clockOffset,
    setup: (b) => {
      ensurePageBuilt();
      const added = b.cli(['user', 'add', 'admin', '--admin', '--password-stdin'], { input: `${ADMIN_PASSWORD}\n` });
      assert.equal(added.status, 0, added.stderr);
      adminToken = b.createToken(['--label', 'e2e admin api', '--user', 'admin']).token;
    },
  });

  const adminApi = async <T>(method: string, name: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${box.url}${ADMIN_API}/${name}`, {
      method,
      headers: {
        authorization: basic('admin', adminToken),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${name}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  };
  const create = (label: string, daysUntilExpiry: number) =>
    adminApi<{ id: string }>('POST', 'set', { label, userName: 'admin', daysUntilExpiry });
  const listed = async () => (await adminApi<{ tokens: ListedToken[] }>('GET', 'get?maxResults=1000')).tokens;
  const row = (label: string) => page.locator('tbody tr', { has: page.getByText(label, { exact: true }) });
  const visibleLabels = () => page.locator('tbody .token-label').allInnerTexts();

  before(async () => {
    // made 1.5 days ago: the 1-day token has expired, the 3-day one expires within 7 days
    clockOffset = -1.5 * DAY_MS;
    await create('e2e expired one day', 1);
    await create('e2e expiring three days', 3);
    await create('e2e later thirty days', 30);
    clockOffset = 0;
    profile = tempDir('tokengate-chromium-tokens-');
    context = await chromium.launchPersistentContext(profile.path, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (/\b401\b/.test(message.text())) seen401.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() === 401) seen401.push(`response: ${response.url()}`);
    });
  });

  after(async () => {
    await context?.close();
    profile?.remove();
  });

  test('from page load to signed in: no 401 anywhere, in the console or on the wire', async () => {
    await page.goto(`${box.url}/tokengate/`);
    await page.getByLabel('Username or email').waitFor();
    await page.getByLabel('Username or email').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'REST API Tokens' }).waitFor();
    await row('e2e later thirty days').waitFor();
    assert.deepEqual(seen401, []);
  });

  test('expired and expiring tokens are marked; the filters find them and survive a reload', async () => {
    assert.equal(await row('e2e expired one day').getAttribute('data-expiry'), 'expired');
    assert.equal(await row('e2e expired one day').locator('.badge').textContent(), 'expired');
    assert.equal(await row('e2e expiring three days').getAttribute('data-expiry'), 'warning');
    assert.equal(await row('e2e expiring three days').locator('.badge').textContent(), 'expires in 2 days');
    assert.equal(await row('e2e later thirty days').getAttribute('data-expiry'), 'ok');
    await shot(page, '1280-list');

    await page.getByLabel('Show').selectOption('expiring');
    await page.waitForURL(/expiry=expiring/);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    assert.deepEqual(await visibleLabels(), ['e2e expiring three days']);

    await page.getByLabel('Show').selectOption('expired');
    await page.getByLabel('Search').fill('e2e');
    await page.waitForURL(/q=e2e/);
    assert.match(page.url(), /expiry=expired/);
    await page.getByLabel('Sort by').selectOption('label:asc');
    await page.waitForURL(/sort=label/);
    await page.reload();
    await row('e2e expired one day').waitFor();
    assert.equal(await page.getByLabel('Show').inputValue(), 'expired');
    assert.equal(await page.getByLabel('Search').inputValue(), 'e2e');
    assert.equal(await page.getByLabel('Sort by').inputValue(), 'label:asc');
    assert.deepEqual(await visibleLabels(), ['e2e expired one day']);

    // back to every token through the address, as a link would
    await page.goto(`${box.url}/tokengate/`);
    await row('e2e later thirty days').waitFor();
    assert.equal(await page.getByLabel('Show').inputValue(), '');
  });

  test('at 1280 px "Delete" stays on one line in every row, beside the other actions', async () => {
    const boxes = await page.evaluate(() =>
      Array.from(document.querySelectorAll('tbody tr')).map((tr) => {
        const buttons = Array.from(tr.querySelectorAll<HTMLElement>('.row-actions .button'));
        const del = buttons.find((b) => b.textContent?.startsWith('Delete'));
        const style = del === undefined ? null : getComputedStyle(del);
        return {
          height: del?.getBoundingClientRect().height ?? 0,
          // one line of text in the button, or its minimum height when that is taller
          oneLine:
            style === null
              ? 0
              : Math.max(
                  Number.parseFloat(style.minHeight) || 0,
                  Number.parseFloat(style.lineHeight) +
                    Number.parseFloat(style.paddingTop) +
                    Number.parseFloat(style.paddingBottom) +
                    Number.parseFloat(style.borderTopWidth) +
                    Number.parseFloat(style.borderBottomWidth),
                ),
          tops: new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top))).size,
          // not cut off by the table's scrolling box
          inside:
            del !== undefined &&
            del.getBoundingClientRect().right <= (tr.closest('.table-wrap')?.getBoundingClientRect().right ?? 0),
        };
      }),
    );
    assert.ok(boxes.length >= 4);
    const wrap = await page.evaluate(() => {
      const el = document.querySelector('.table-wrap');
      return { scroll: el?.scrollWidth ?? 0, client: el?.clientWidth ?? 0 };
    });
    assert.ok(wrap.scroll <= wrap.client + 1, `the table does not scroll sideways at 1280: ${JSON.stringify(wrap)}`);
    for (const found of boxes) {
      assert.ok(found.height > 0 && found.height <= found.oneLine + 1, JSON.stringify(found));
      assert.equal(found.tops, 1, `the row's actions are on one line: ${JSON.stringify(found)}`);
      assert.ok(found.inside, `Delete is not cut off: ${JSON.stringify(found)}`);
    }
  });

  test('create with an expiry date (a past date refused) and the read-only preset: the rule works', async () => {
    await page.getByRole('button', { name: 'Create token' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create token' });
    await dialog.waitFor();
    const submit = dialog.getByRole('button', { name: 'Create token' });
    const cancel = dialog.getByRole('button', { name: 'Cancel' });
    for (const button of [submit, cancel]) {
      const where = await button.boundingBox();
      assert.ok(where !== null && where.y >= 0 && where.y + where.height <= 800, `in view: ${JSON.stringify(where)}`);
    }
    await dialog.getByLabel('Label').fill('e2e read only by date');
    await dialog.getByRole('button', { name: 'Choose a date instead' }).click();
    const date = dialog.getByLabel('Expiry date');
    await date.fill(dateInputValue(dateAfter(new Date(), -1)));
    await submit.click();
    await dialog.getByText('That date is in the past: choose a date after today.').waitFor();

    const chosen = dateInputValue(dateAfter(new Date(), 10));
    await date.fill(chosen);
    assert.equal(await dialog.getByText('That date is in the past').count(), 0, 'the error goes once the date changes');
    await dialog.getByRole('button', { name: 'Read only' }).click();
    assert.equal(await dialog.getByLabel(/Limit to/).inputValue(), '[GET|HEAD|OPTIONS].*');
    await dialog.getByText('1 rule, all valid.').waitFor();
    await shot(page, '1280-create-dialog');
    for (const button of [submit, cancel]) {
      const where = await button.boundingBox();
      assert.ok(where !== null && where.y + where.height <= 800, `still in view: ${JSON.stringify(where)}`);
    }
    await submit.click();
    const created = page.getByRole('dialog', { name: 'Token “e2e read only by date” created' });
    await created.waitFor();
    const secret = await created.getByLabel('Token', { exact: true }).inputValue();
    await created.getByRole('button', { name: 'Done' }).click();

    const token = (await listed()).find((t) => t.label === 'e2e read only by date');
    assert.ok(token);
    assert.equal(token.limitTo, '[GET|HEAD|OPTIONS].*');
    assert.equal(token.validUntil - token.dateCreated, 10 * DAY_MS);
    assert.equal(dateInputValue(new Date(token.validUntil)), chosen);

    const call = (method: string) =>
      fetch(`${box.url}/rest/api/space/DEMO`, { method, headers: { authorization: basic('admin', secret) } });
    assert.equal((await call('GET')).status, 200);
    assert.equal((await call('HEAD')).status, 200);
    assert.equal((await call('POST')).status, 403);
    assert.equal((await call('DELETE')).status, 403);
  });

  test('Rotate on a row: a grace period, the new secret shown once; both secrets work during the grace', async () => {
    const before = await adminApi<{ id: string; token: string }>('POST', 'set', {
      label: 'e2e rotate me',
      userName: 'admin',
      quota: 3,
    });
    const call = (secret: string) =>
      fetch(`${box.url}/rest/api/space/DEMO`, { headers: { authorization: basic('admin', secret) } });
    assert.equal((await call(before.token)).status, 200, 'the first of 3 calls');
    await page.reload();
    await row('e2e rotate me')
      .getByRole('button', { name: /^Rotate/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Rotate token?' });
    await dialog.waitFor();
    await dialog.getByText('“e2e rotate me”').waitFor();
    await dialog.getByLabel(/Grace period/).fill('-1');
    await dialog.getByRole('button', { name: 'Rotate token' }).click();
    await dialog.getByRole('alert').waitFor();
    assert.match((await dialog.getByRole('alert').textContent()) ?? '', /graceMinutes/i, 'a bad grace is refused');
    await dialog.getByLabel(/Grace period/).fill('30');
    await dialog.getByRole('button', { name: 'Rotate token' }).click();
    const shown = page.getByRole('dialog', { name: 'Token “e2e rotate me” created' });
    await shown.waitFor();
    const secret = await shown.getByLabel('Token', { exact: true }).inputValue();
    await shown.getByRole('button', { name: 'Done' }).click();
    assert.notEqual(secret, before.token);

    const both = (await listed()).filter((t) => t.label === 'e2e rotate me');
    assert.equal(both.length, 2, 'the old token stays for its grace, beside the new one');
    const old = both.find((t) => t.id === before.id);
    assert.ok(old !== undefined && old.validUntil > Date.now() && old.validUntil <= Date.now() + 30 * 60_000);
    await page.waitForFunction(() => document.querySelectorAll('tbody .token-label').length > 0);
    assert.equal((await visibleLabels()).filter((l) => l === 'e2e rotate me').length, 2, 'both rows on the page');
    // the grace shares the quota: 2 calls left for the two secrets together
    assert.equal((await call(before.token)).status, 200, 'old, during the grace');
    assert.equal((await call(secret)).status, 200, 'new');
    assert.equal((await call(secret)).status, 403, 'the quota is used up for both');
    assert.equal((await call(before.token)).status, 403);
  });

  test('bulk delete of 3 tokens: a confirmation naming the count, then gone from the list and from tokenTools/get', async () => {
    const labels = ['e2e bulk one', 'e2e bulk two', 'e2e bulk three'];
    for (const label of labels) await create(label, 0);
    await page.reload();
    for (const label of labels) await page.getByLabel(`Select “${label}”`).check();
    await shot(page, '1280-selected');
    await page.getByRole('button', { name: 'Delete selected (3)' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete 3 tokens?' });
    await confirm.waitFor();
    for (const label of labels) await confirm.getByText(`“${label}”`).waitFor();
    await confirm.getByRole('button', { name: 'Delete 3 tokens' }).click();
    await page.getByText('3 tokens were deleted: they stop working at once.').waitFor();
    await confirm.waitFor({ state: 'detached' });
    await page.waitForFunction(() => !document.body.textContent?.includes('e2e bulk'));
    assert.equal(await page.getByRole('button', { name: /^Delete selected/ }).count(), 0);
    const remaining = (await listed()).map((t) => t.label);
    for (const label of labels) assert.ok(!remaining.includes(label), label);
    assert.ok(remaining.includes('e2e later thirty days'));
  });

  test('bulk delete with one token already gone: the notice says what was deleted and what was not, and why', async () => {
    const kept = await create('e2e partial gone', 0);
    await create('e2e partial here', 0);
    await page.reload();
    await page.getByLabel('Select “e2e partial gone”').check();
    await page.getByLabel('Select “e2e partial here”').check();
    await adminApi('DELETE', 'delete', { id: kept.id }); // deleted elsewhere while selected
    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    await page
      .getByRole('alertdialog', { name: 'Delete 2 tokens?' })
      .getByRole('button', { name: 'Delete 2 tokens' })
      .click();
    const notice = page.getByRole('alert').filter({ hasText: 'could not be deleted' });
    await notice.waitFor();
    assert.match(
      (await notice.textContent()) ?? '',
      /^1 token was deleted: it stops working at once\. 1 could not be deleted\. “e2e partial gone”: No token with id "/,
    );
    // what failed stays selected
    await page.getByRole('button', { name: 'Delete selected (1)' }).waitFor();
    assert.ok(!(await listed()).some((t) => t.label.startsWith('e2e partial')));
    await page.getByRole('button', { name: 'Clear selection' }).click();
  });

  test('phone width: no sideways scrolling; the create dialog buttons in view', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${box.url}/tokengate/`);
    await row('e2e later thirty days').waitFor();
    await page.getByLabel('Select “e2e later thirty days”').check();
    assert.equal(
      await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1),
      false,
    );
    await shot(page, '390-list', true);
    await page.getByRole('button', { name: 'Create token' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create token' });
    await dialog.waitFor();
    const where = await dialog.getByRole('button', { name: 'Create token' }).boundingBox();
    assert.ok(where !== null && where.y + where.height <= 844, `in view: ${JSON.stringify(where)}`);
    await shot(page, '390-create-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
