import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { AppContext } from './context.js';
import { renderDocumentById } from './documents-service.js';
import type { Config } from '../config/schema.js';
import {
  deleteWebRender,
  expiredWebRenders,
  finishWebRender,
  getWebRender,
  insertWebRender,
  markWebRenderRunning,
  staleWebRenders,
  unfinishedWebRenders,
  type WebRenderRecord,
  type WebRenderState,
} from '../mirror/repositories/web-renders.js';
import { DOCUMENTS } from '../reports/registry.js';
import type { DocumentRegistry } from '../reports/define-document.js';
import { UsageError } from '../platform/errors.js';
import { ensurePrivateDir } from '../platform/private-files.js';

/**
 * Documents rendered for someone waiting at a web page: printing takes seconds (a browser starts,
 * the data is read, the PDF is laid out), so the page starts a render and polls its status
 * instead of hanging until the PDF is there.
 *
 * The status is a row of the mirror (`web_renders`) and the PDF a file in a folder of its own under
 * `<outDir>/web-renders/` (0700, the file 0600): any `ezh serve` process answers the status page
 * and serves the file, whichever took the request. Who prints is the mode's: embedded mode prints
 * in this process, one at a time (the machine is a school's server: two documents printing at
 * once only make both slower); service mode queues a `reports.render` job and a worker prints it
 * (`printWebRender`, the same function). A render's row and folder go `keepMs` after it ends.
 * Times are the process's wall clock, not the app's (the sandbox's clock may stand still): they
 * measure waiting.
 */

export type RenderState = WebRenderState;

export interface RenderStatus {
  id: string;
  documentId: string;
  title: string;
  state: RenderState;
  startedAt: number;
  finishedAt: number | null;
  /** Russian, for the page: what went wrong (never a stack). */
  error: string | null;
  /** The PDF, when done. */
  path: string | null;
  fileName: string | null;
}

export interface RenderRequest {
  /** Whose render it is (the account): only they see its status and file. */
  owner: string;
  documentId: string;
  /** The document's params (its `cli.params` output): plain JSON. */
  params: unknown;
  schoolId?: string;
}

/** Service mode: hands a render to the workers (a `reports.render` job naming it). */
export type RenderQueue = (render: {
  id: string;
  documentId: string;
  schoolId: string | null;
}) => Promise<void>;

export interface DocumentRendersOptions {
  registry?: DocumentRegistry;
  /** How long a finished render's status and file are kept. */
  keepMs?: number;
  /** Service mode's queue; absent: this process prints. */
  queue?: RenderQueue | null;
  now?: () => number;
}

/** The folder every process keeps the web's PDFs in (the web processes and the workers share it). */
export function webRendersDir(config: Pick<Config, 'outDir'>): string {
  return resolve(config.outDir, 'web-renders');
}

const RESTARTED = 'сервер перезапустился, пока документ готовился: закажите его снова';
const STOPPED = 'сервер остановлен';
const LOST = 'документ не подготовлен за отведённое время: закажите его снова';

/** A render queued or printing for longer than this is given up (its job was lost). */
const STALE_MS = 60 * 60 * 1000;
const SWEEP_EVERY_MS = 5 * 60 * 1000;

export class DocumentRenders {
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private recovered: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly registry: DocumentRegistry;
  private readonly keepMs: number;
  private readonly queue: RenderQueue | null;
  private readonly now: () => number;

  constructor(
    private readonly app: AppContext,
    options: DocumentRendersOptions = {},
  ) {
    this.registry = options.registry ?? DOCUMENTS;
    this.keepMs = options.keepMs ?? 60 * 60 * 1000;
    this.queue = options.queue ?? null;
    this.now = options.now ?? Date.now;
    // Expired PDFs (personal data) go within minutes even when nobody orders or opens a render.
    this.timer = setInterval(() => void this.sweepSafely(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  /** Records a render and hands it to its printer; returns at once. An unknown document is a usage error. */
  async start(req: RenderRequest): Promise<RenderStatus> {
    const definition = this.registry.require(req.documentId);
    await this.sweepSafely();
    const db = (await this.app.mirror()).db;
    const id = randomUUID();
    await insertWebRender(db, {
      id,
      owner: req.owner,
      documentId: definition.id,
      title: definition.title,
      schoolId: req.schoolId ?? null,
      params: JSON.stringify(req.params ?? {}),
      startedAt: this.now(),
    });
    if (this.queue) {
      try {
        await this.queue({ id, documentId: definition.id, schoolId: req.schoolId ?? null });
      } catch (err) {
        this.app.logger.error(
          { document: definition.id, err: String(err) },
          'web render not queued',
        );
        await finishWebRender(db, id, {
          at: this.now(),
          error: 'очередь заданий недоступна: попробуйте позже',
        });
      }
    } else {
      this.chain = this.chain.then(() => this.printHere(id));
    }
    return (await this.get(req.owner, id))!;
  }

  /** The render's status, for its owner only (null otherwise, or when expired). */
  async get(owner: string, id: string): Promise<RenderStatus | null> {
    // Expired files go now, not only when someone starts the next render.
    await this.sweepSafely();
    const row = await getWebRender((await this.app.mirror()).db, id);
    return row && row.owner === owner ? view(this.app.config, row) : null;
  }

  /** Waits for every render this process prints (tests, shutdown). */
  async idle(): Promise<void> {
    await this.chain;
  }

  /**
   * The server stops: the render under way finishes, queued ones are failed, not started. Files
   * stay until they expire (another process, or this one restarted, may still serve them).
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.chain;
  }

  private async printHere(id: string): Promise<void> {
    if (this.closed) {
      const db = (await this.app.mirror()).db;
      await finishWebRender(db, id, { at: this.now(), error: STOPPED });
      return;
    }
    await printWebRender(this.app, id, { registry: this.registry, now: this.now }).catch(
      (err: unknown) => this.app.logger.error({ err: String(err) }, 'web render failed'),
    );
  }

  /**
   * The sweep never fails a page: a folder that cannot be removed (another OS user's, a file held
   * open on a network share) is logged and tried again at the next sweep, and the other renders
   * are served meanwhile.
   */
  private async sweepSafely(): Promise<void> {
    try {
      await this.sweep();
    } catch (err) {
      this.app.logger.warn({ err: String(err) }, 'web renders: sweep failed');
    }
  }

  private async sweep(): Promise<void> {
    const db = (await this.app.mirror()).db;
    // Embedded mode: this process is the only printer, so what a previous run left unfinished
    // will never finish. (Service mode: the worker's job still owns it.)
    if (!this.queue) {
      this.recovered ??= (async () => {
        for (const id of await unfinishedWebRenders(db)) {
          await finishWebRender(db, id, { at: this.now(), error: RESTARTED });
        }
      })();
      await this.recovered;
    }
    const now = this.now();
    for (const id of await staleWebRenders(db, now - STALE_MS)) {
      await finishWebRender(db, id, { at: now, error: LOST });
    }
    for (const id of await expiredWebRenders(db, now - this.keepMs)) {
      try {
        rmSync(join(webRendersDir(this.app.config), id), { recursive: true, force: true });
      } catch (err) {
        // Its row stays until the folder can go: the next sweep tries again.
        this.app.logger.warn({ render: id, err: String(err) }, 'web render folder not removed');
        continue;
      }
      await deleteWebRender(db, id);
    }
  }
}

/**
 * Prints a render recorded by `DocumentRenders.start` into its folder and records the outcome:
 * in the web process (embedded mode) or in the `reports.render` job (service mode). A render
 * already finished is left alone (a job delivered twice). Returns the state it ended in (null:
 * no such render, e.g. expired).
 */
export async function printWebRender(
  app: AppContext,
  id: string,
  options: { registry?: DocumentRegistry; now?: () => number } = {},
): Promise<RenderState | null> {
  const now = options.now ?? Date.now;
  const db = (await app.mirror()).db;
  const row = await getWebRender(db, id);
  if (!row) return null;
  if (!(await markWebRenderRunning(db, id))) return row.state;
  const dir = join(webRendersDir(app.config), id);
  try {
    // Personal data: a private folder per render (0700; the PDF is written 0600).
    ensurePrivateDir(dir);
    const result = await renderDocumentById(
      app,
      row.documentId,
      JSON.parse(row.params) as unknown,
      { outDir: dir, ...(row.schoolId ? { schoolId: row.schoolId } : {}) },
      options.registry ?? DOCUMENTS,
    );
    await finishWebRender(db, id, { at: now(), fileName: basename(result.path) });
    return 'done';
  } catch (e) {
    if (!(e instanceof UsageError)) {
      app.logger.error({ document: row.documentId, err: String(e) }, 'web render failed');
    }
    rmSync(dir, { recursive: true, force: true });
    await finishWebRender(db, id, {
      at: now(),
      error:
        e instanceof UsageError
          ? `неверные параметры: ${describe(e)}`
          : 'не удалось подготовить документ (подробности в журнале сервера)',
    });
    return 'failed';
  }
}

function describe(e: UsageError): string {
  return [e.message, ...e.problems].join('; ');
}

function view(config: Pick<Config, 'outDir'>, r: WebRenderRecord): RenderStatus {
  return {
    id: r.id,
    documentId: r.documentId,
    title: r.title,
    state: r.state,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    error: r.error,
    path: r.state === 'done' && r.fileName ? join(webRendersDir(config), r.id, r.fileName) : null,
    fileName: r.state === 'done' ? r.fileName : null,
  };
}

const perApp = new WeakMap<AppContext, DocumentRenders>();

/**
 * The site's renders for this app: the ones the web server attached at its start (service mode's
 * with the queue), else one printing in this process.
 */
export function documentRenders(app: AppContext): DocumentRenders {
  return perApp.get(app) ?? attachDocumentRenders(app);
}

/** Makes the renders of this app's site (the web server's start-up: its mode's printer). */
export function attachDocumentRenders(
  app: AppContext,
  options: DocumentRendersOptions = {},
): DocumentRenders {
  const r = new DocumentRenders(app, options);
  perApp.set(app, r);
  return r;
}
