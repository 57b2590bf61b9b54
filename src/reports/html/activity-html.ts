import type { ActivityData, ActivityKind } from '../data/activity.js';
import { ruMonth } from '../format.js';
import { renderDocument, type HtmlDocument } from './document.js';

/** «Отчёт об активности учителей в электронном журнале за месяц»: teachers × days. Pure. */

const KINDS: ActivityKind[] = ['marks', 'topics', 'homework', 'attendance'];

export function renderActivityHtml(data: ActivityData): HtmlDocument {
  const days = Array.from({ length: data.daysInMonth }, (_, i) => i + 1);
  const dayTotals = days.map(() => 0);
  const kindTotals: Record<ActivityKind, number> = {
    marks: 0,
    topics: 0,
    homework: 0,
    attendance: 0,
  };
  const rows = data.teachers.map((t, i) => {
    const perKind: Record<ActivityKind, number> = {
      marks: 0,
      topics: 0,
      homework: 0,
      attendance: 0,
    };
    const cells = days.map((d, k) => {
      const counts = t.days[d] ?? {};
      let n = 0;
      for (const kind of KINDS) {
        perKind[kind] += counts[kind] ?? 0;
        n += counts[kind] ?? 0;
      }
      dayTotals[k]! += n;
      return n === 0 ? '' : String(n);
    });
    for (const kind of KINDS) kindTotals[kind] += perKind[kind];
    const total = KINDS.reduce((n, k) => n + perKind[k], 0);
    return { no: i + 1, name: t.name, cells, ...perKind, total, idle: total === 0 };
  });
  const idle = rows.filter((r) => r.idle).map((r) => r.name);
  const title = `Активность учителей в электронном журнале: ${ruMonth(data.month)}`;
  return renderDocument({
    template: 'activity',
    styles: ['activity'],
    title,
    schoolName: data.school.name,
    landscape: true,
    model: {
      title,
      schoolName: data.school.name,
      month: ruMonth(data.month),
      days,
      rows,
      dayTotals: dayTotals.map((n) => (n === 0 ? '' : String(n))),
      totals: { ...kindTotals, total: KINDS.reduce((n, k) => n + kindTotals[k], 0) },
      idle,
      hasIdle: idle.length > 0,
      teacherCount: rows.length,
    },
  });
}
