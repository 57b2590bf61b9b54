import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs } from '../../src/reports/pdf/chromium.js';
import { TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';
import { PASSWORD, startWebHarness, type WebHarness } from './harness.js';

/**
 * Bull Board in a real browser (service mode, the ICT engineer): a queue's own page loads under
 * the site's CSP, and the board's buttons still work now that its API wants the CSRF token: its
 * client sends the `XSRF-TOKEN` cookie back as `X-XSRF-TOKEN` by itself.
 */
describe('Bull Board in a browser', () => {
  let h: WebHarness;
  let browser: Browser;
  let profile: string;
  let connection: Redis;
  let queue: Queue;
  const prefix = testPrefix();

  beforeAll(async () => {
    connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue('sync', { connection, prefix });
    h = await startWebHarness({
      sync: false,
      web: { mode: 'service', sessionSecret: 'ab'.repeat(32) },
      server: { queues: [queue] },
    });
    profile = mkdtempSync(join(tmpdir(), 'ezh-web-queues-'));
    browser = await puppeteer.launch({
      executablePath: process.env.EZH_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: chromiumArgs(profile),
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    connection?.disconnect();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('pauses a queue from its page', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    await page.goto(`${h.url}/login`);
    await page.type('input[name="login"]', h.accounts.ict.login);
    await page.type('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('form button[type="submit"]')]);
    const changes: { url: string; token: string | undefined; status: number }[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'GET') return;
      changes.push({
        url: r.url(),
        token: r.request().headers()['x-xsrf-token'],
        status: r.status(),
      });
    });

    // A page below the board's root: its scripts load only through the board's <base href>.
    await page.goto(`${h.url}/ict/queues/queue/sync`, { waitUntil: 'networkidle0' });
    const menu = await page.waitForSelector('button[aria-haspopup="menu"]', { timeout: 30_000 });
    await menu!.click();
    const pause = await page.waitForSelector(
      '::-p-xpath(//*[@role="menuitem"][normalize-space()="Pause"])',
    );
    await pause!.click();
    const confirm = await page.waitForSelector(
      '::-p-xpath(//*[@role="dialog" or @role="alertdialog"]//button[normalize-space()="Confirm"])',
    );
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() !== 'GET'),
      confirm!.click(),
    ]);
    expect(await queue.isPaused()).toBe(true);
    expect(answer.status()).toBe(200);
    expect(changes).toEqual([
      { url: `${h.url}/ict/queues/api/queues/sync/pause`, token: expect.any(String), status: 200 },
    ]);
  });
});
