import type { AppContext } from '../../app/context.js';
import { documentRenders } from '../../app/document-renders.js';
import { SchoolOverviewService } from '../../app/school-overview-service.js';
import type { DocumentCliOption, DocumentDefinition } from '../../reports/define-document.js';
import { DOCUMENTS } from '../../reports/registry.js';
import { UsageError } from '../../platform/errors.js';
import { defineAction, definePage, type PageResult, type Viewer } from '../page.js';
import { schoolScope } from './view-model.js';

/**
 * Every document of the registry with a form for its params, as `ezh report <id>` takes them
 * (the document's own CLI options, so a new document appears here with no page change). Sending
 * the form starts a render and opens its status page.
 */

interface Field {
  /** Commander's camelCase key (`--as-of <iso>` → `asOf`). */
  key: string;
  label: string;
  hint: string;
  type: 'text' | 'date' | 'month' | 'checkbox' | 'class';
  required: boolean;
}

const LABELS: Record<string, { label: string; type?: Field['type']; hint?: string }> = {
  class: { label: 'Класс', type: 'class' },
  period: { label: 'Учебный период', hint: 'например, «1 четверть»' },
  year: { label: 'Весь учебный год', type: 'checkbox' },
  asOf: { label: 'На момент', hint: 'дата и время, например 2026-10-12T15:00; пусто — сейчас' },
  from: { label: 'Начало периода справки', hint: 'пусто — с предыдущей справки' },
  draft: { label: 'Черновик (не учитывать как выданную)', type: 'checkbox' },
  month: { label: 'Месяц', type: 'month' },
  week: { label: 'Неделя (любой её день)', type: 'date' },
  student: { label: 'Ученик', hint: 'ФИО или идентификатор' },
};

const SWITCHES: Record<string, { label: string; type?: Field['type']; hint?: string }> = {
  period: { label: 'За учебный период до сегодня (вместо недели)' },
};

function fieldOf(o: DocumentCliOption): Field {
  const m = /^--([a-z0-9-]+)(\s+<[^>]+>)?/.exec(o.flags);
  const key = (m?.[1] ?? o.flags).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  // A flag with no `<value>` is a switch (`--period` of the extract, `--period <name>` elsewhere).
  const takesValue = Boolean(m?.[2]);
  const known = takesValue ? LABELS[key] : (SWITCHES[key] ?? LABELS[key]);
  const type = !takesValue
    ? 'checkbox'
    : known?.type === 'checkbox'
      ? 'text'
      : (known?.type ?? 'text');
  return {
    key,
    label: known?.label ?? o.description,
    hint: known?.hint ?? '',
    type,
    required: o.required ?? false,
  };
}

async function documentsView(app: AppContext, viewer: Viewer, error?: string): Promise<PageResult> {
  const classes = await new SchoolOverviewService(app).classes(schoolScope(viewer));
  return {
    kind: 'view',
    template: 'documents',
    title: 'Документы',
    view: {
      error: error ?? null,
      schools: viewer.schoolIds.length > 1 ? viewer.schoolIds : null,
      documents: DOCUMENTS.all.map((d) => ({
        id: d.id,
        title: d.title,
        action: `/documents/${d.id}`,
        fields: d.cli.options.map(fieldOf).map((f) => ({
          ...f,
          inputId: `${d.id}-${f.key}`,
          isClass: f.type === 'class',
          isCheckbox: f.type === 'checkbox',
          inputType: f.type === 'class' || f.type === 'checkbox' ? null : f.type,
          classes: f.type === 'class' ? classes.map((c) => ({ id: c.id, name: c.name })) : [],
        })),
      })),
    },
  };
}

export const documentsPage = definePage({
  id: 'documents',
  path: '/documents',
  nav: 'Документы',
  roles: ['admin'],
  load: ({ app, viewer }) => documentsView(app, viewer),
});

/** The form's fields to the options `ezh report <id>` would have parsed. */
function optionsOf(d: DocumentDefinition, body: Readonly<Record<string, string | undefined>>) {
  const out: Record<string, unknown> = {};
  for (const f of d.cli.options.map(fieldOf)) {
    const v = body[f.key]?.trim();
    if (f.type === 'checkbox') {
      if (v) out[f.key] = true;
    } else if (v) out[f.key] = v;
  }
  return out;
}

export const renderDocumentAction = defineAction({
  id: 'document-render',
  path: '/documents/:documentId',
  roles: ['admin'],
  async handle({ app, viewer, params, body }) {
    const d = DOCUMENTS.get(params.documentId ?? '');
    if (!d) return { kind: 'notFound' };
    const schoolId =
      body.school && viewer.schoolIds.includes(body.school) ? body.school : viewer.schoolIds[0];
    const missing = d.cli.options.map(fieldOf).filter((f) => f.required && !body[f.key]?.trim());
    if (missing.length > 0) {
      return documentsView(
        app,
        viewer,
        `«${d.title}»: заполните ${missing.map((f) => `«${f.label}»`).join(', ')}.`,
      );
    }
    let documentParams: unknown;
    try {
      documentParams = d.cli.params(optionsOf(d, body));
    } catch (e) {
      // A rule of the document's own options (the journal: a period or the year, not both).
      if (!(e instanceof UsageError)) throw e;
      const reason = [e.message, ...e.problems].join('; ');
      return documentsView(app, viewer, `«${d.title}» не заказан: неверные параметры (${reason}).`);
    }
    const r = await documentRenders(app).start({
      owner: viewer.accountId,
      documentId: d.id,
      params: documentParams,
      ...(schoolId ? { schoolId } : {}),
    });
    return { kind: 'redirect', to: `/renders/${encodeURIComponent(r.id)}` };
  },
});
