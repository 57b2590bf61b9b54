import { existsSync } from 'node:fs';
import { verifyArchiveFile } from '../../app/archive-service.js';
import { defineAction, definePage } from '../page.js';
import { ruStatus, statusOf } from './ict-common.js';

const ARCHIVES_SHOWN = 50;

/**
 * `/ict/archives`: the archives as the registry lists them (killed runs read «прервано»), each
 * with a button that verifies it now (every member re-hashed, every export re-counted: the same
 * check as `ezh archive verify`), the result shown on the page.
 */
export const ictArchivesPage = definePage({
  id: 'ict-archives',
  path: '/ict/archives',
  roles: ['ict'],
  nav: 'Архивы',
  async load({ app }) {
    const rows = (await (await statusOf(app)).archives(ARCHIVES_SHOWN)).map((a) => ({
      ...a,
      statusText: ruStatus(a.status),
      sizeMb: a.size !== null ? (a.size / 1_048_576).toFixed(1) : '',
      sha: a.sha256?.slice(0, 12) ?? '',
      verifiable: a.status === 'complete',
    }));
    return { kind: 'view', template: 'ict-archives', title: 'Архивы', view: { rows } };
  },
});

export const ictVerifyArchiveAction = defineAction({
  id: 'ict-archive-verify',
  path: '/ict/archives/verify',
  roles: ['ict'],
  async handle({ app, body }) {
    const archive = (await (await statusOf(app)).archives(ARCHIVES_SHOWN)).find(
      (a) => a.fileName === body.file,
    );
    if (!archive) return { kind: 'notFound' };
    // Every copy is checked: one medium can rot while the other is fine.
    const copies = [];
    for (const path of archive.paths) {
      if (!existsSync(path)) {
        copies.push({ path, ok: false, problems: ['файл не найден'], files: 0, rows: 0 });
        continue;
      }
      const report = await verifyArchiveFile(app, path);
      copies.push({
        path,
        ok: report.ok,
        problems: report.problems.map((p) => `${p.file}: ${p.message}`),
        files: report.files,
        rows: report.rows,
      });
    }
    return {
      kind: 'view',
      template: 'ict-archive-verify',
      title: 'Проверка архива',
      view: { fileName: archive.fileName, copies, ok: copies.every((c) => c.ok) },
    };
  },
});
