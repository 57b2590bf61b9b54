import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AppContext } from './context.js';
import { renderDocumentById } from './documents-service.js';
import { DOCUMENTS } from '../reports/registry.js';
import type { DocumentRegistry } from '../reports/define-document.js';
import { UsageError } from '../platform/errors.js';

/**
 * Documents rendered for someone waiting at a web page: printing takes seconds (a browser starts,
 * the data is read, the PDF is laid out), so the page starts a render and polls its status
 * instead of hanging until the PDF is there. Renders run one at a time (the machine is a school's
 * server: two documents printing at once only make both slower) in this process; each file is
 * kept in a private folder of its own for `keepMs`, for its owner only. Times here are the
 * process's wall clock, not the app's (the sandbox's clock may stand still): they measure waiting.
 */

export type RenderState = 'queued' | 'running' | 'done' | 'failed';

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

interface Entry extends RenderStatus {
  owner: string;
  dir: string;
}

export interface RenderRequest {
  /** Whose render it is (the account): only they see its status and file. */
  owner: string;
  documentId: string;
  /** The document's params (its `cli.params` output). */
  params: unknown;
  schoolId?: string;
}

export class DocumentRenders {
  private readonly entries = new Map<string, Entry>();
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly app: AppContext,
    private readonly registry: DocumentRegistry = DOCUMENTS,
    private readonly keepMs = 60 * 60 * 1000,
  ) {}

  /** Queues a render and returns its id at once; an unknown document is a usage error. */
  start(req: RenderRequest): RenderStatus {
    const definition = this.registry.require(req.documentId);
    this.sweep();
    // Personal data: a private folder per render, removed when the render expires.
    const dir = mkdtempSync(join(tmpdir(), 'ezh-web-render-'));
    const entry: Entry = {
      id: randomUUID(),
      documentId: definition.id,
      title: definition.title,
      state: 'queued',
      startedAt: Date.now(),
      finishedAt: null,
      error: null,
      path: null,
      fileName: null,
      owner: req.owner,
      dir,
    };
    this.entries.set(entry.id, entry);
    this.chain = this.chain.then(() => this.run(entry, req));
    return view(entry);
  }

  /** The render's status, for its owner only (null otherwise, or when expired). */
  get(owner: string, id: string): RenderStatus | null {
    // Expired files go now, not only when someone starts the next render.
    this.sweep();
    const e = this.entries.get(id);
    return e && e.owner === owner ? view(e) : null;
  }

  /** Waits for every queued render (tests, shutdown). */
  async idle(): Promise<void> {
    await this.chain;
  }

  /**
   * The server stops: the render under way finishes, queued ones are not started, and every
   * render's folder is removed (the PDFs are personal data: none is left in the temp directory).
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
    for (const e of this.entries.values()) rmSync(e.dir, { recursive: true, force: true });
    this.entries.clear();
  }

  private async run(entry: Entry, req: RenderRequest): Promise<void> {
    if (this.closed) {
      entry.state = 'failed';
      entry.error = 'сервер остановлен';
      entry.finishedAt = Date.now();
      return;
    }
    entry.state = 'running';
    try {
      const result = await renderDocumentById(this.app, req.documentId, req.params, {
        outDir: entry.dir,
        ...(req.schoolId ? { schoolId: req.schoolId } : {}),
      });
      entry.path = result.path;
      entry.fileName = basename(result.path);
      entry.state = 'done';
    } catch (e) {
      entry.state = 'failed';
      entry.error =
        e instanceof UsageError
          ? `неверные параметры: ${describe(e)}`
          : 'не удалось подготовить документ (подробности в журнале сервера)';
      if (!(e instanceof UsageError)) {
        this.app.logger.error({ document: req.documentId, err: String(e) }, 'web render failed');
      }
    } finally {
      entry.finishedAt = Date.now();
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, e] of this.entries) {
      if (e.finishedAt !== null && now - e.finishedAt > this.keepMs) {
        rmSync(e.dir, { recursive: true, force: true });
        this.entries.delete(id);
      }
    }
  }
}

function describe(e: UsageError): string {
  return [e.message, ...e.problems].join('; ');
}

function view(e: Entry): RenderStatus {
  const { owner: _owner, dir: _dir, ...status } = e;
  return { ...status };
}

const perApp = new WeakMap<AppContext, DocumentRenders>();

/** The process's renders for this app (one tracker per app context). */
export function documentRenders(app: AppContext): DocumentRenders {
  let r = perApp.get(app);
  if (!r) {
    r = new DocumentRenders(app);
    perApp.set(app, r);
  }
  return r;
}
