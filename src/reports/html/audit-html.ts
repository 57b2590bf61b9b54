import type { AuditData, AuditFinding } from '../data/audit.js';
import { ruDate, ruDateTime, schoolYearTitle } from '../format.js';
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
        return `Дата справки (${at}) раньше первой синхронизации зеркала${first === null ? '' : ` (${ruDateTime(first, zone)})`}: зеркало не содержит данных за это время, поэтому сведения о нарушениях на эту дату недостоверны.`;
      case 'in-the-future':
        return `Дата справки (${at}) ещё не наступила: справка составлена по последней проверке, данные зеркала — только по состоянию на последнюю успешную синхронизацию${lastText}.`;
      case 'after-last-sync':
        return `Данные зеркала — по состоянию на последнюю успешную синхронизацию${lastText}; записи, внесённые в журнал после неё, в справке не учтены.`;
    }
  });
}

/** The mirror holds nothing (or not the whole journal) for the note's instant. */
const untrusted = (data: AuditData) =>
  data.evidence.warnings.some((w) => w === 'never-synced' || w === 'before-first-sync');

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
  if (total === 0) return ['Нарушений порядка ведения электронного журнала не выявлено.'];
  const critical = data.findings.filter((f) => f.severity === 'critical').length;
  const resolved = data.rules.reduce((n, r) => n + r.resolved, 0);
  const fresh = data.findings.filter((f) => f.isNew).length;
  const top = data.rules.slice(0, 3).map((r) => `«${r.title}» (${r.open})`);
  const lines = [
    `Выявлено нарушений: ${total}, из них критических: ${critical}.` +
      (data.previous
        ? ` По сравнению с предыдущей проверкой новых: ${fresh}, устранено: ${resolved}.`
        : ''),
    `Наиболее частые нарушения: ${top.join('; ')}.`,
    'Учителям, указанным в справке, устранить нарушения в течение трёх рабочих дней; классным руководителям проконтролировать заполнение журнала.',
  ];
  return lines;
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
  return renderDocument({
    template: 'audit',
    styles: [],
    title,
    schoolName: data.school.name,
    landscape: false,
    model: {
      title,
      schoolName: data.school.name,
      asOf: ruDateTime(asOf, zone),
      covered: data.previous
        ? `с ${ruDateTime(data.previous.asOf, zone)} по ${ruDateTime(asOf, zone)} (${yearTitle})`
        : `${yearTitle}, по ${ruDateTime(asOf, zone)}`,
      previous: data.previous ? ruDateTime(data.previous.asOf, zone) : 'не проводилась',
      precision: data.run?.precision ?? '—',
      hasRun: data.run !== null,
      caveats: caveats(data),
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
        })),
      })),
      conclusion: conclusion(data),
      deputyDirector: data.school.deputyDirector ?? '',
      signedOn: ruDateTime(asOf, zone).slice(0, 10),
    },
  });
}
