import type { AuditData, AuditFinding } from '../data/audit.js';
import { instantToLocalDate } from '../../platform/time.js';
import { CLASS_TEACHER_RULES } from '../data/audit-scope.js';
import { ruDate, ruDateTime, schoolYearTitle } from '../format.js';
import {
  TEACHER_CRITERIA,
  criteriaRows,
  criterionShort,
  findingStatus,
  recommendations,
  teacherRows,
} from './audit-results.js';
import { renderDocument, type HtmlDocument } from './document.js';

/** «Справка по итогам проверки электронного журнала» as HTML (portrait A4, flowing tables). Pure. */

export const SEVERITY_RU: Record<string, string> = {
  critical: 'критическое',
  warning: 'предупреждение',
  info: 'к сведению',
};

interface Tally {
  name: string;
  total: number;
  critical: number;
  warning: number;
  info: number;
  new: number;
}

function tally(
  findings: AuditFinding[],
  key: (f: AuditFinding) => string | null,
  none: string,
): Tally[] {
  const map = new Map<string, Tally>();
  for (const f of findings) {
    const name = key(f) ?? none;
    let t = map.get(name);
    if (!t) map.set(name, (t = { name, total: 0, critical: 0, warning: 0, info: 0, new: 0 }));
    t.total++;
    if (f.severity === 'critical') t.critical++;
    else if (f.severity === 'warning') t.warning++;
    else t.info++;
    if (f.isNew) t.new++;
  }
  return [...map.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name, 'ru'));
}

/**
 * What the mirror cannot know for the note's instant, as the note states it (data-time.ts):
 * a note never says «не выявлено» for a day the mirror holds nothing of.
 */
export function caveats(data: AuditData): string[] {
  const zone = data.school.zone;
  const { firstSyncAt: first, lastSyncedAt: last, warnings } = data.evidence;
  const at = ruDateTime(data.asOf, zone);
  const lastText = last === null ? '' : ` (${ruDateTime(last, zone)})`;
  return warnings.map((code) => {
    switch (code) {
      case 'never-synced':
        return 'Зеркало электронного журнала ещё ни разу не было полностью синхронизировано с платформой: сведения о нарушениях недостоверны.';
      case 'before-first-sync':
        return `Дата справки (${at}) раньше первой синхронизации зеркала${first === null ? '' : ` (${ruDateTime(first, zone)})`}: история зеркала её не охватывает, поэтому сведения восстановлены по отметкам времени, которые хранит сама платформа (см. «Источник сведений»); то, что платформа не датирует, учтено так, чтобы никому не вменить лишнего; записи, удалённые до первой синхронизации, зеркалу неизвестны.`;
      case 'in-the-future':
        return `Дата справки (${at}) ещё не наступила: справка составлена по последней проверке, данные зеркала — только по состоянию на последнюю успешную синхронизацию${lastText}.`;
      case 'after-last-sync':
        return `Данные зеркала — по состоянию на последнюю успешную синхронизацию${lastText}; записи, внесённые в журнал после неё, в справке не учтены.`;
    }
  });
}

/** The mirror holds nothing (or not the whole journal) for the note's instant. */
const untrusted = (data: AuditData) => data.evidence.warnings.some((w) => w === 'never-synced');

function conclusion(data: AuditData): string[] {
  if (!data.run) {
    return [
      'Проверка электронного журнала на указанную дату не проводилась: данных для справки нет.',
    ];
  }
  const total = data.findings.length;
  if (total === 0 && untrusted(data)) {
    return [
      'Отсутствие нарушений не подтверждено: зеркало не содержит достоверных данных на дату справки.',
    ];
  }
  if (total === 0 && data.evidence.history === 'platform') {
    return [
      'Нарушений, которые устанавливаются по отметкам времени платформы, не выявлено (см. «Источник сведений»).',
    ];
  }
  if (total === 0) return ['Нарушений порядка ведения электронного журнала не выявлено.'];
  const critical = data.findings.filter((f) => f.severity === 'critical').length;
  const resolved = data.findings.filter((f) => f.fixedAt !== null).length;
  const fresh = data.findings.filter((f) => f.isNew).length;
  const top = data.rules.slice(0, 3).map((r) => `«${r.title}» (${r.open})`);
  const lines = [
    `Выявлено нарушений за срок проверки: ${total}, из них критических: ${critical}; устранено в срок проверки: ${resolved}, не устранено: ${total - resolved}.` +
      (data.previous ? ` Новых за срок проверки: ${fresh}.` : ''),
    `Наиболее частые нарушения: ${top.join('; ')}.`,
    'Учителям, указанным в справке, устранить нарушения в сроки, указанные в рекомендациях; классным руководителям проконтролировать заполнение журнала.',
  ];
  return lines;
}

/**
 * The instant the справка's data describe: its check run's as-of (a current run evaluates the
 * mirror as its last sync left it), else the mirror's last sync up to the note's date.
 */
function dataAsOf(data: AuditData): number | null {
  if (data.run) return data.run.asOf;
  const last = data.evidence.lastSyncedAt;
  return last === null ? null : Math.min(last, data.asOf);
}

export function renderAuditHtml(data: AuditData): HtmlDocument {
  const zone = data.school.zone;
  const asOf = data.run?.asOf ?? data.asOf;
  const yearTitle = schoolYearTitle(new Date(asOf).toISOString().slice(0, 10));
  const byTeacher = new Map<string, AuditFinding[]>();
  for (const f of data.findings) {
    const name = f.teacher ?? 'Учитель не указан';
    byTeacher.set(name, [...(byTeacher.get(name) ?? []), f]);
  }
  const title = 'Справка по итогам проверки электронного журнала';
  const noteDate = instantToLocalDate(asOf, zone);
  const fromDate = instantToLocalDate(data.from, zone);
  const ownDuties = data.findings.filter((f) => CLASS_TEACHER_RULES.has(f.rule));
  // Every teacher the note names (a violation of theirs in the window) signs that they read it.
  const named = [...new Set(data.findings.map((f) => f.teacher ?? '').filter(Boolean))].sort(
    (a, b) => a.localeCompare(b, 'ru'),
  );
  return renderDocument({
    template: 'audit',
    styles: ['audit'],
    title,
    schoolName: data.school.name,
    landscape: false,
    footerNote: [
      dataAsOf(data) === null
        ? 'Данные: синхронизаций с платформой ещё не было'
        : `Данные на ${ruDateTime(dataAsOf(data)!, zone)}`,
      data.printedAt === undefined ? null : `Напечатано ${ruDateTime(data.printedAt, zone)}`,
    ]
      .filter(Boolean)
      .join(' · '),
    model: {
      title,
      schoolName: data.school.name,
      asOf: ruDateTime(asOf, zone),
      covered:
        `с ${ruDate(fromDate)} по ${ruDate(noteDate)} включительно (${yearTitle})` +
        (data.fromBasis === 'previous-note'
          ? `; с даты предыдущей справки (${ruDateTime(data.from, zone)})`
          : ''),
      purpose:
        'своевременность и правильность заполнения электронного журнала учителями и классными руководителями (раздел 5 Положения об электронном журнале, п. 5.2)',
      object: `электронный журнал за срок проверки: уроков ${data.scopes.reduce((n, s) => n + s.lessons, 0)}, отметок ${data.scopes.reduce((n, s) => n + s.marks, 0)}, учителей ${data.scopes.length}`,
      inspector: data.school.deputyDirector
        ? `заместитель директора по УВР ${data.school.deputyDirector}`
        : 'заместитель директора по УВР',
      criteria: criteriaRows(data),
      teacherHeads: TEACHER_CRITERIA.map(criterionShort),
      teacherRows: teacherRows(data),
      ownDuties: ownDuties.map((f, i) => ({
        no: i + 1,
        teacher: f.teacher ?? 'Учитель не указан',
        className: f.className ?? '',
        date: ruDate(f.date),
        rule: f.ruleTitle,
        status: findingStatus(f, zone),
      })),
      recommendations: recommendations(data, noteDate),
      acquainted: named,
      previous: data.previous ? ruDateTime(data.previous.asOf, zone) : 'не проводилась',
      precision: data.run?.precision ?? '—',
      hasRun: data.run !== null,
      caveats: caveats(data),
      evidence: data.evidence.rules,
      total: data.findings.length,
      rules: data.rules.map((r) => ({ ...r, severity: SEVERITY_RU[r.severity] ?? r.severity })),
      teachers: tally(data.findings, (f) => f.teacher, 'Учитель не указан'),
      classes: tally(data.findings, (f) => f.className, 'Класс не указан'),
      groups: [...byTeacher.entries()].map(([teacher, findings]) => ({
        teacher,
        rows: findings.map((f, i) => ({
          no: i + 1,
          date: ruDate(f.date),
          className: f.className ?? '',
          subject: f.subject ?? '',
          rule: f.ruleTitle,
          message: f.waived
            ? `${f.message} — снято: ${f.waived.reason}, ${f.waived.by}, ${ruDateTime(f.waived.at, zone)}`
            : f.message,
          isNew: f.isNew,
          status: findingStatus(f, zone),
        })),
      })),
      conclusion: conclusion(data),
      deputyDirector: data.school.deputyDirector ?? '',
      signedOn: ruDate(noteDate),
    },
  });
}
