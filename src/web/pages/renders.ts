import { existsSync } from 'node:fs';
import { documentRenders } from '../../app/document-renders.js';
import { definePage } from '../page.js';
import { formatInstant } from './view-model.js';

const STATES = {
  queued: 'в очереди',
  running: 'готовится',
  done: 'готов',
  failed: 'не получился',
};

/**
 * A document being rendered: the page refreshes itself every two seconds until the PDF is ready,
 * then offers it (printing takes seconds; the page never hangs on it). Only its owner sees it.
 */
export const renderPage = definePage({
  id: 'render',
  path: '/renders/:renderId',
  roles: ['admin', 'classTeacher'],
  async load({ app, viewer, params }) {
    const r = await documentRenders(app).get(viewer.accountId, params.renderId ?? '');
    if (!r) return { kind: 'notFound' };
    const waiting = r.state === 'queued' || r.state === 'running';
    return {
      kind: 'view',
      template: 'render',
      title: r.title,
      view: {
        title: r.title,
        state: STATES[r.state],
        waiting,
        done: r.state === 'done',
        error: r.error,
        seconds: Math.round(((r.finishedAt ?? Date.now()) - r.startedAt) / 1000),
        startedAt: formatInstant(app, r.startedAt),
        fileHref: `/renders/${encodeURIComponent(r.id)}/file`,
        fileName: r.fileName,
        self: `/renders/${encodeURIComponent(r.id)}`,
      },
    };
  },
});

/** The rendered PDF, for its owner. */
export const renderFilePage = definePage({
  id: 'render-file',
  path: '/renders/:renderId/file',
  roles: ['admin', 'classTeacher'],
  async load({ app, viewer, params }) {
    const r = await documentRenders(app).get(viewer.accountId, params.renderId ?? '');
    if (!r || r.state !== 'done' || !r.path || !r.fileName) return { kind: 'notFound' };
    if (!existsSync(r.path)) {
      // Printed by a worker whose output directory this process does not see (service mode).
      app.logger.warn(
        { render: r.id, path: r.path },
        'a printed document is not in outDir here: the sites and the reports workers must share outDir',
      );
      return { kind: 'notFound' };
    }
    return { kind: 'file', path: r.path, fileName: r.fileName, contentType: 'application/pdf' };
  },
});
