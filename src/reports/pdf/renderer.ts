import puppeteer, { type Browser } from 'puppeteer-core';
import { EnvironmentError, EzhError } from '../../platform/errors.js';
import { onExitCleanup } from '../../platform/exit-cleanup.js';
import type { Logger } from '../../platform/logger.js';
import { writePrivateFileAtomic } from '../../platform/private-files.js';
import type { TempDir } from '../../platform/temp-dirs.js';
import type { HtmlDocument } from '../html/document.js';
import { chromiumArgs, freshProfileDir, killBrowsersOf } from './chromium.js';
import { countPdfPages } from './pdf-pages.js';
import { Semaphore } from './semaphore.js';

/**
 * HTML → PDF with one Chromium per renderer (one renderer per process): a fresh browser context
 * per document, at most `concurrency` documents at a time, the browser recycled after
 * `recycleAfter` documents (memory stays flat), and a crashed browser restarted with the
 * document retried once. Each document is set hidden on screen (`printOnly`), its fonts loaded,
 * then printed (untagged when the document says so). Costs and the flags that cut them:
 * `chromium.ts`, `bench/README.md` (reports).
 */

export interface PdfRendererOptions {
  executablePath: string;
  concurrency: number;
  recycleAfter: number;
  timeoutMs: number;
  launchTimeoutMs: number;
  logger?: Logger;
}

export interface PdfResult {
  path: string;
  pages: number;
  bytes: number;
  ms: number;
}

export class RenderError extends EzhError {}

interface Generation {
  browser: Browser;
  profileDir: TempDir;
  /** Unregisters the exit hook that kills this browser's process group. */
  release: () => void;
  alive: boolean;
  used: number;
  inFlight: number;
  idleWaiters: (() => void)[];
}

const CRASH =
  /crash|target closed|session closed|connection closed|protocol error|disconnected|detached/i;

export class PdfRenderer {
  private gen: Generation | null = null;
  private launching: Promise<void> | null = null;
  private closed = false;
  private readonly semaphore: Semaphore;
  /** Browsers started so far (for logs and tests). */
  launches = 0;

  constructor(private readonly opts: PdfRendererOptions) {
    this.semaphore = new Semaphore(opts.concurrency);
  }

  /** Process id of the current browser, if one runs. */
  browserPid(): number | null {
    return this.gen?.browser.process()?.pid ?? null;
  }

  render(doc: HtmlDocument, outFile: string): Promise<PdfResult> {
    return this.semaphore.use(async () => {
      try {
        return await this.attempt(doc, outFile);
      } catch (err) {
        if (this.closed || !isCrash(err)) throw err;
        this.opts.logger?.warn(
          { err: (err as Error).message, doc: doc.title },
          'browser crashed; restarting and retrying once',
        );
        return await this.attempt(doc, outFile);
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.launching) await this.launching.catch(() => undefined);
    if (this.gen) await this.retire(this.gen);
    this.gen = null;
  }

  private async attempt(doc: HtmlDocument, outFile: string): Promise<PdfResult> {
    const started = Date.now();
    const gen = await this.acquire();
    try {
      const pdf = await withTimeout(
        this.print(gen, doc),
        this.opts.timeoutMs,
        `rendering "${doc.title}"`,
      );
      // Students' names and marks: 0600, in a folder made 0700 if ezh makes it.
      writePrivateFileAtomic(outFile, pdf);
      return {
        path: outFile,
        pages: countPdfPages(pdf),
        bytes: pdf.length,
        ms: Date.now() - started,
      };
    } catch (err) {
      if (isCrash(err)) gen.alive = false;
      throw err;
    } finally {
      gen.inFlight--;
      if (gen.inFlight === 0) for (const wake of gen.idleWaiters.splice(0)) wake();
    }
  }

  private async print(gen: Generation, doc: HtmlDocument): Promise<Uint8Array> {
    const context = await gen.browser.createBrowserContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(this.opts.timeoutMs);
      const crashed = new Promise<never>((_, reject) =>
        page.once('error', (e) => reject(new RenderError(`page crashed: ${e.message}`))),
      );
      crashed.catch(() => undefined);
      const work = (async () => {
        await page.setContent(printOnly(doc.html), {
          waitUntil: 'load',
          timeout: this.opts.timeoutMs,
        });
        await page.evaluate(LOAD_FONTS);
        return page.pdf({
          format: 'A4',
          landscape: doc.landscape,
          printBackground: true,
          ...(doc.headerTemplate !== null && doc.footerTemplate !== null
            ? {
                displayHeaderFooter: true,
                headerTemplate: doc.headerTemplate,
                footerTemplate: doc.footerTemplate,
              }
            : { displayHeaderFooter: false }),
          margin: doc.margin,
          timeout: this.opts.timeoutMs,
          waitForFonts: true,
          tagged: doc.tagged,
        });
      })();
      return await Promise.race([work, crashed]);
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  /** The current browser, launched or recycled as needed; counts the document as in flight. */
  private async acquire(): Promise<Generation> {
    for (;;) {
      if (this.closed) throw new RenderError('the PDF renderer is closed');
      const g = this.gen;
      if (g && g.alive && g.used < this.opts.recycleAfter) {
        g.used++;
        g.inFlight++;
        return g;
      }
      if (g && g.inFlight > 0) {
        // Recycle or restart: let the documents in flight finish (or fail) first.
        await new Promise<void>((resolve) => g.idleWaiters.push(resolve));
        continue;
      }
      this.launching ??= this.relaunch().finally(() => (this.launching = null));
      await this.launching;
    }
  }

  private async relaunch(): Promise<void> {
    const old = this.gen;
    this.gen = null;
    if (old) await this.retire(old);
    const profileDir = freshProfileDir();
    // Registered before the launch (a signal may come while Chromium starts), so it runs before
    // the profile folder's own removal: the browser and its whole process group are killed at
    // exit or on a signal, then the folder goes.
    const release = onExitCleanup(() => killBrowsersOf(profileDir.path));
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath: this.opts.executablePath,
        headless: true,
        args: chromiumArgs(profileDir.path),
        // Chromium's own temporary files go into the profile folder, removed or swept with it.
        env: { ...process.env, TMPDIR: profileDir.path },
        timeout: this.opts.launchTimeoutMs,
        protocolTimeout: this.opts.timeoutMs,
        // The browser dies with ezh: over a pipe, Chromium exits when the pipe closes, which a
        // `kill -9` of ezh does too (a WebSocket browser outlived it, with all its renderers).
        pipe: true,
        // Signals are ezh's to handle (`exit-cleanup.ts`): puppeteer's own SIGTERM handler
        // closes the browser but keeps the process alive.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (err) {
      // A launch that timed out may leave a browser starting: none survives a failed launch.
      killBrowsersOf(profileDir.path);
      release();
      profileDir.dispose();
      throw new EnvironmentError(
        `cannot start Chromium (${this.opts.executablePath}): ${(err as Error).message}`,
        1,
        {
          cause: err,
        },
      );
    }
    this.launches++;
    const gen: Generation = {
      browser,
      profileDir,
      release,
      alive: true,
      used: 0,
      inFlight: 0,
      idleWaiters: [],
    };
    browser.once('disconnected', () => {
      gen.alive = false;
    });
    this.gen = gen;
    this.opts.logger?.debug(
      { pid: browser.process()?.pid, launches: this.launches },
      'chromium started',
    );
  }

  private async retire(gen: Generation): Promise<void> {
    gen.alive = false;
    const proc = gen.browser.process();
    await withTimeout(gen.browser.close(), 10_000, 'closing Chromium').catch(() =>
      proc?.kill('SIGKILL'),
    );
    // Stragglers of a browser killed above (its renderers) go with their group.
    killBrowsersOf(gen.profileDir.path);
    gen.release();
    gen.profileDir.dispose();
  }
}

/**
 * The document is only ever printed: hidden on screen, Chromium skips the screen layout of the
 * whole document and its relayout once the web fonts arrive; only the print layout is left
 * (measured: 10–15% less CPU per journal page, and less memory).
 */
const SCREEN_HIDDEN = '<style media="screen">html{display:none}</style>';

export function printOnly(html: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) throw new RenderError('the document has no <head>');
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}${SCREEN_HIDDEN}${html.slice(at)}`;
}

/**
 * Nothing is laid out on screen, so nothing has asked for the fonts yet: load every declared face
 * (the four the documents use, `html/fonts.ts`) before printing. (Chromium 156 also decodes the
 * data: URL faces in time when the print layout asks for them, but nothing promises that.)
 */
const LOAD_FONTS =
  'Promise.all(Array.from(document.fonts, (f) => f.load())).then(() => document.fonts.ready)' +
  '.then(() => document.fonts.status)';

function isCrash(err: unknown): boolean {
  return err instanceof Error && CRASH.test(err.message);
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RenderError(`timed out after ${ms} ms ${what}`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
