import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FindingsService } from '../../src/app/findings-service.js';
import { chromiumArgs } from '../../src/reports/pdf/chromium.js';
import { PASSWORD, startWebHarness, type WebHarness } from './harness.js';

/**
 * The administration's and the class teacher's pages in a real browser (Debian's Chromium, as the
 * PDFs): the deputy director logs in, sees the dashboard, drills down from a teacher's number to
 * a finding, waives it with a reason and no longer finds it on the teacher's page; prints a
 * document and waits for it on the status page; a class teacher on a 390 px phone sees their
 * class; a subject teacher sees their findings with «можно исправить до». Screenshots of each
 * page go to docs/images/web-*.png.
 */

const IMAGES = join(process.cwd(), 'docs', 'images');

describe('web pages in a browser', () => {
  let h: WebHarness;
  let browser: Browser;
  let profile: string;

  beforeAll(async () => {
    h = await startWebHarness({ checks: true });
    profile = mkdtempSync(join(tmpdir(), 'ezh-web-e2e-'));
    browser = await puppeteer.launch({
      executablePath: process.env.EZH_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: chromiumArgs(profile),
    });
    mkdirSync(IMAGES, { recursive: true });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function loginPage(login: string, width = 1280): Promise<Page> {
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport({ width, height: width < 600 ? 844 : 900 });
    await page.goto(`${h.url}/login`);
    await page.type('input[name="login"]', login);
    await page.type('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('form button[type="submit"]')]);
    return page;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(IMAGES, `web-${name}.png`), fullPage: true });

  it('the deputy director drills down to a finding, waives it, and the teacher’s page no longer lists it', async () => {
    const page = await loginPage('admin');
    await page.goto(`${h.url}/admin`);
    expect(await page.$eval('h1', (e) => e.textContent)).toBe('Обзор замечаний');
    await shot(page, 'admin-dashboard');

    // The busiest teacher's number → their rows.
    const teacherCount = await page.$$eval('section', (sections) => {
      const s = sections.find((x) => x.querySelector('h2')?.textContent === 'По учителям');
      const a = s?.querySelector('tbody tr td.num a');
      return a ? a.getAttribute('href') : null;
    });
    expect(teacherCount).toMatch(/^\/admin\/findings\?teacher=/);
    await Promise.all([page.waitForNavigation(), page.click(`a[href="${teacherCount}"]`)]);
    await shot(page, 'admin-findings');
    const findingHref = await page.$eval('table.findings tbody a', (a) => a.getAttribute('href'));
    expect(findingHref).toMatch(/^\/findings\//);
    await Promise.all([page.waitForNavigation(), page.click(`a[href="${findingHref}"]`)]);

    // The finding: waive it with a reason.
    await page.type('#reason', 'замена: урок провёл другой учитель');
    await shot(page, 'finding');
    await Promise.all([
      page.waitForNavigation(),
      page.click(`form[action$="/waive"] button[type="submit"]`),
    ]);
    expect(await page.$eval('.state', (e) => e.textContent)).toContain('снято');
    expect(await page.content()).toContain('замена: урок провёл другой учитель');
    await shot(page, 'finding-waived');
    const id = decodeURIComponent(findingHref!.slice('/findings/'.length));
    const [f] = await new FindingsService(h.mirror.db).list({ ids: [id] });
    expect([f!.state, f!.lastAction?.actor]).toEqual(['waived', 'Тест admin']);

    // The teacher's page: the waived finding is gone from the list.
    const teacherHref = await page.$eval('dd a[href^="/teachers/"]', (a) => a.getAttribute('href'));
    await Promise.all([page.waitForNavigation(), page.click(`a[href="${teacherHref}"]`)]);
    expect(await page.$(`a[href="${findingHref}"]`)).toBeNull();
    await shot(page, 'teacher');
  }, 120_000);

  it('a document is printed while its page shows progress, then offered for download', async () => {
    const page = await loginPage('admin');
    await page.goto(`${h.url}/documents`);
    await shot(page, 'documents');
    // The справка as a draft (not recorded as issued).
    await page.click('#audit-draft');
    const started = Date.now();
    await Promise.all([
      page.waitForNavigation(),
      page.click('form[action="/documents/audit"] button[type="submit"]'),
    ]);
    // The status page answers at once and refreshes itself until the PDF is there.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(page.url()).toMatch(/\/renders\//);
    await shot(page, 'render-progress');
    await page.waitForSelector('a[href$="/file"]', { timeout: 90_000 });
    await shot(page, 'render-done');
    const file = await page.$eval('a[href$="/file"]', (a) => a.getAttribute('href'));
    const pdf = await page.evaluate(async (href) => {
      const r = await fetch(href!);
      return { type: r.headers.get('content-type'), head: (await r.text()).slice(0, 5) };
    }, file);
    expect(pdf).toEqual({ type: 'application/pdf', head: '%PDF-' });
  }, 150_000);

  it('a class teacher on a 390 px phone sees their class, and nothing overflows the screen', async () => {
    const page = await loginPage('classteacher', 390);
    await page.goto(`${h.url}/classes`);
    // One class: straight to it.
    expect(page.url()).toMatch(/\/classes\/[^/]+$/);
    expect(await page.$eval('h1', (e) => e.textContent)).toMatch(/^Класс /);
    const students = await page.$$eval('table.students tbody tr', (rows) => rows.length);
    expect(students).toBeGreaterThan(0);
    // Wide tables scroll inside their frame; the page itself is no wider than the phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, 'class-teacher-phone');
  }, 60_000);

  it('a subject teacher sees their own findings with the day they can still be fixed', async () => {
    const page = await loginPage('teacher', 390);
    await page.goto(`${h.url}/my/findings`);
    expect(await page.$eval('h1', (e) => e.textContent)).toBe('Мои замечания');
    const cards = await page.$$eval('article.card', (xs) => xs.map((x) => x.textContent ?? ''));
    expect(cards.length).toBeGreaterThan(0);
    // A lesson's entry says until when it can be fixed (or that only the administration can now).
    expect(
      cards.some((c) => /Можно исправить до|Срок редактирования в журнале истёк/.test(c)),
    ).toBe(true);
    await shot(page, 'my-findings');
  }, 60_000);
});
