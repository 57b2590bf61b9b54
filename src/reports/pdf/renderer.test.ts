import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../platform/errors.js';
import { renderDocument } from '../html/document.js';
import { resolveChromiumPath } from './chromium.js';
import { PdfRenderer, printOnly, RenderError } from './renderer.js';

const doc = (title: string) =>
  renderDocument({
    template: 'activity',
    styles: ['activity'],
    title,
    schoolName: 'Школа',
    landscape: true,
    model: {
      title,
      schoolName: 'Школа',
      month: 'октябрь',
      days: [1, 2],
      rows: [],
      dayTotals: ['', ''],
      totals: {},
      idle: [],
      hasIdle: false,
    },
  });

describe('PdfRenderer', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ezh-renderer-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const renderer = (recycleAfter = 50) =>
    new PdfRenderer({
      executablePath: resolveChromiumPath(),
      concurrency: 2,
      recycleAfter,
      timeoutMs: 60_000,
      launchTimeoutMs: 30_000,
    });

  it('a missing Chromium is an EnvironmentError naming the path', () => {
    expect(() => resolveChromiumPath('/nonexistent/chromium')).toThrow(EnvironmentError);
    expect(() => resolveChromiumPath(undefined, { PUPPETEER_EXECUTABLE_PATH: '/nope' })).toThrow(
      /\/nope.*PUPPETEER_EXECUTABLE_PATH/,
    );
  });

  it('hides the document on screen only, right after <head>', () => {
    const html = printOnly(
      '<!doctype html><html lang="ru"><head><meta charset="utf-8"></head><body>x</body></html>',
    );
    expect(html).toBe(
      '<!doctype html><html lang="ru"><head><style media="screen">html{display:none}</style>' +
        '<meta charset="utf-8"></head><body>x</body></html>',
    );
    expect(printOnly('<HTML><HEAD lang="ru"><title>t</title></HEAD></HTML>')).toContain(
      '<HEAD lang="ru"><style media="screen">',
    );
    expect(() => printOnly('<p>no head</p>')).toThrow(RenderError);
    expect(() => printOnly('<header>not a head</header>')).toThrow(RenderError);
  });

  it('recycles the browser after the configured number of documents', async () => {
    const r = renderer(2);
    try {
      for (let i = 0; i < 3; i++) await r.render(doc(`Документ ${i}`), join(dir, `r${i}.pdf`));
      expect(r.launches).toBe(2);
      expect(execFileSync('pdftotext', [join(dir, 'r2.pdf'), '-'], { encoding: 'utf8' })).toContain(
        'Документ 2',
      );
    } finally {
      await r.close();
    }
  });

  it('restarts a crashed browser and retries the document once', async () => {
    const r = renderer();
    try {
      await r.render(doc('Первый'), join(dir, 'c1.pdf'));
      const pid = r.browserPid()!;
      const pending = r.render(doc('Второй'), join(dir, 'c2.pdf'));
      process.kill(pid, 'SIGKILL');
      const result = await pending;
      expect(result.pages).toBe(1);
      expect(r.launches).toBe(2);
      expect(execFileSync('pdftotext', [join(dir, 'c2.pdf'), '-'], { encoding: 'utf8' })).toContain(
        'Второй',
      );
    } finally {
      await r.close();
    }
  });
});
