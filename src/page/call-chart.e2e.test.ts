/**
 * End-to-end: the audit view's chart of calls over time by decision, in Debian's Chromium
 * (playwright-core), against a real `tokengate serve` in front of a real upstream. Known calls are
 * made; the chart must plot exactly those counts (legend, table, bars on the canvas), for all
 * tokens and for one token. Screenshots at 1280×800 and 390×844 go to test-artifacts/.
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
import { OUTCOME_COLOURS } from './ui/call-chart-data.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'chart admin password';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

type Counts = Record<'allowed' | 'denied' | 'unauthenticated' | 'error' | 'total', number>;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `chart-${name}.png`), fullPage: true });
}

/** The legend's numbers, by outcome. */
async function legend(page: Page): Promise<Counts> {
  const items = page.locator('.chart-legend li');
  const counts: Record<string, number> = {};
  for (const item of await items.all()) {
    const name = (await item.getAttribute('data-outcome')) ?? 'total';
    counts[name] = Number(await item.locator('.legend-count').textContent());
  }
  return counts as Counts;
}

/** The rows of the chart's table, summed by column. */
async function tableSums(page: Page): Promise<Omit<Counts, 'total'>> {
  const sums = { allowed: 0, denied: 0, unauthenticated: 0, error: 0 };
  for (const row of await page.locator('.call-chart-table tbody tr').all()) {
    for (const outcome of Object.keys(sums) as (keyof typeof sums)[]) {
      sums[outcome] += Number(await row.locator(`td[data-label="${outcome}"]`).textContent());
    }
  }
  return sums;
}

/** How many canvas pixels have each outcome's exact colour (the bars' insides). */
async function barPixels(page: Page): Promise<Record<string, number>> {
  return page.locator('.call-chart-canvas canvas').evaluate((canvas, colours) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    const wanted = Object.entries(colours).map(([name, hex]) => ({
      name,
      rgb: [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)),
    }));
    const found: Record<string, number> = Object.fromEntries(wanted.map((w) => [w.name, 0]));
    for (let i = 0; i < data.length; i += 4) {
      for (const w of wanted) {
        if (data[i] === w.rgb[0] && data[i + 1] === w.rgb[1] && data[i + 2] === w.rgb[2] && data[i + 3] === 255) {
          found[w.name] = (found[w.name] ?? 0) + 1;
        }
      }
    }
    return found;
  }, OUTCOME_COLOURS);
}

async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;

describe('the chart of calls over time, in Chromium', { skip, timeout: 240_000 }, () => {
  let profile: { path: string; remove: () => void };
  let context: BrowserContext;
  let page: Page;
  let spaceOnly: { id: string; token: string };
  let other: { id: string; token: string };
  const problems: string[] = [];

  const box = useBlackBox({
    dirPrefix: 'tokengate-chart-',
    setup: (b) => {
      ensurePageBuilt();
      const added = b.cli(['user', 'add', 'admin', '--password-stdin', '--admin'], { input: `${PASSWORD}\n` });
      assert.equal(added.status, 0, added.stderr);
      spaceOnly = b.createToken([
        '--label',
        'space reader',
        '--user',
        'admin',
        '--limit-to',
        '[GET].*/rest/api/space.*',
      ]);
      other = b.createToken(['--label', 'other job', '--user', 'admin']);
    },
  });

  before(async () => {
    profile = tempDir('tokengate-chart-chromium-');
    context = await chromium.launchPersistentContext(profile.path, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
  });

  after(async () => {
    await context?.close();
    profile?.remove();
  });

  test('known calls: 3 allowed and 2 denied with one token, 1 unauthenticated, 1 allowed with another', async () => {
    const as = (secret: string) => ({ headers: { authorization: basic('admin', secret) } });
    for (let i = 0; i < 3; i++) {
      assert.equal((await fetch(`${box.url}/rest/api/space/S${i}`, as(spaceOnly.token))).status, 200);
    }
    for (let i = 0; i < 2; i++) {
      assert.equal((await fetch(`${box.url}/rest/api/content/${i}`, as(spaceOnly.token))).status, 403);
    }
    assert.equal((await fetch(`${box.url}/rest/api/space`, as('tgp_not_a_real_token_at_all'))).status, 401);
    assert.equal((await fetch(`${box.url}/rest/api/space`, as(other.token))).status, 200);

    await page.goto(`${box.url}/tokengate/`);
    await page.getByLabel('Username or email').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'REST API Tokens' }).waitFor();
    // records are written in batches: wait until all seven are counted (the page session's own calls are not token calls)
    for (let i = 0; i < 100; i++) {
      const answer = (await (await page.request.get(`${box.url}/tokengate/api/tokenTools/auditStats`)).json()) as {
        total: number;
      };
      if (answer.total >= 7) break;
      await page.waitForTimeout(100);
    }
  });

  test('the audit page plots every call by decision: legend, table and bars agree', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Calls over time' }).waitFor();
    await page.locator('.call-chart-canvas canvas').first().waitFor();
    assert.deepEqual(await legend(page), { allowed: 4, denied: 2, unauthenticated: 1, error: 0, total: 7 });
    const canvas = page.locator('.call-chart-canvas canvas').first();
    const size = await canvas.boundingBox();
    assert.ok(size !== null && size.width > 300 && size.height > 100, JSON.stringify(size));
    const label = (await page.locator('.call-chart-canvas').getAttribute('aria-label')) ?? '';
    assert.match(label, /7 calls: 4 allowed, 2 denied, 1 unauthenticated, 0 error$/);
    await page.getByText(/^Show as a table/).click();
    assert.deepEqual(await tableSums(page), { allowed: 4, denied: 2, unauthenticated: 1, error: 0 });
    const pixels = await barPixels(page);
    for (const drawn of ['allowed', 'denied', 'unauthenticated'])
      assert.ok((pixels[drawn] ?? 0) > 0, `${drawn} bars drawn`);
    assert.equal(pixels.error, 0, 'no error bar');
    assert.equal(await overflowsHorizontally(page), false);
    await shot(page, '01-audit-1280');
  });

  test("a token's Calls button opens its own chart: only that token's calls", async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    const row = page.getByRole('row').filter({ hasText: 'space reader' });
    await row.getByRole('button', { name: /^Calls/ }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('tokenId'), spaceOnly.id);
    await page.locator('.call-chart-canvas canvas').first().waitFor();
    const expected = { allowed: 3, denied: 2, unauthenticated: 0, error: 0, total: 5 };
    for (let i = 0; i < 50 && JSON.stringify(await legend(page)) !== JSON.stringify(expected); i++) {
      await page.waitForTimeout(100);
    }
    assert.deepEqual(await legend(page), expected);
    const pixels = await barPixels(page);
    assert.ok((pixels.allowed ?? 0) > 0 && (pixels.denied ?? 0) > 0);
    assert.equal(pixels.unauthenticated, 0, 'the unauthenticated call is not this token’s');
    // the same address, loaded afresh, shows the same chart
    await page.reload();
    await page.locator('.call-chart-canvas canvas').first().waitFor();
    assert.deepEqual(await legend(page), expected);
    await shot(page, '02-token-1280');
  });

  test('phone width: the chart fits the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${box.url}/tokengate/audit?tokenId=${encodeURIComponent(other.id)}`);
    await page.locator('.call-chart-canvas canvas').first().waitFor();
    assert.deepEqual(await legend(page), { allowed: 1, denied: 0, unauthenticated: 0, error: 0, total: 1 });
    const size = await page.locator('.call-chart-canvas canvas').first().boundingBox();
    assert.ok(size !== null && size.width > 200 && size.width <= 390, JSON.stringify(size));
    assert.equal(await overflowsHorizontally(page), false, 'phone width');
    await shot(page, '03-token-phone');
    await page.locator('.call-chart').screenshot({ path: join(ARTIFACTS, 'chart-03-token-phone-chart.png') });
    await page.goto(`${box.url}/tokengate/audit`);
    await page.locator('.call-chart-canvas canvas').first().waitFor();
    assert.equal(await overflowsHorizontally(page), false, 'phone width, all calls');
    await shot(page, '04-audit-phone');
    await page.getByText(/^Show as a table/).click();
    await page.locator('.call-chart').screenshot({ path: join(ARTIFACTS, 'chart-04-audit-phone-chart.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('an empty range says so, with no chart', async () => {
    await page.goto(`${box.url}/tokengate/audit?path=${encodeURIComponent('/rest/nothing/here')}`);
    await page.getByText('No calls in this range').waitFor();
    assert.equal(await page.locator('.call-chart-canvas').count(), 0);
    assert.deepEqual(await legend(page), { allowed: 0, denied: 0, unauthenticated: 0, error: 0, total: 0 });
    await shot(page, '05-empty-1280');
    assert.deepEqual(problems, []);
  });
});
