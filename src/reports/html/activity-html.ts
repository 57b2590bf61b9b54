import type { ActivityData, ActivityKind, DayKind } from '../data/activity.js';
import { ruDateTime, ruMonth } from '../format.js';
import { renderDocument, type HtmlDocument } from './document.js';

/**
 * «Отчёт об активности учителей в электронном журнале за месяц»: teachers × days, days without
 * lessons shaded, what the first sync loaded in a table of its own, the compiler's and the deputy
 * director's signatures (001 §3.2.1: made monthly, handed to the deputy director). Pure.
 */

const KINDS: ActivityKind[] = ['marks', 'topics', 'homework', 'attendance'];

/** Narrow day columns: long numbers get a smaller font, so five digits fit without clipping. */
export function sizeClass(n: number): string {
  const digits = String(n).length;
  return digits >= 6 ? 'c d6' : digits === 5 ? 'c d5' : digits === 4 ? 'c d4' : 'c';
}

const DAY_CLASS: Record<DayKind, string> = {
  school: '',
  weekend: 'off weekend',
  holiday: 'off holiday',
};

export function renderActivityHtml(data: ActivityData): HtmlDocument {
  const zone = data.school.zone;
  const days = Array.from({ length: data.daysInMonth }, (_, i) => i + 1);
  const dayClass = (d: number): string => DAY_CLASS[data.dayKinds[d] ?? 'school'];
  const dayTotals = days.map(() => 0);
  const empty = (): Record<ActivityKind, number> => ({
    marks: 0,
    topics: 0,
    homework: 0,
    attendance: 0,
  });
  const kindTotals = empty();
  const rows = data.teachers.map((t, i) => {
    const perKind = empty();
    const cells = days.map((d, k) => {
      const counts = t.days[d] ?? {};
      let n = 0;
      for (const kind of KINDS) {
        perKind[kind] += counts[kind] ?? 0;
        n += counts[kind] ?? 0;
      }
      dayTotals[k]! += n;
      return { text: n === 0 ? '' : String(n), cls: `${sizeClass(n)} ${dayClass(d)}`.trim() };
    });
    for (const kind of KINDS) kindTotals[kind] += perKind[kind];
    const total = KINDS.reduce((n, k) => n + perKind[k], 0);
    return { no: i + 1, name: t.name, cells, ...perKind, total, idle: total === 0 };
  });
  const backfillRows = data.teachers
    .map((t) => ({ name: t.name, ...empty(), ...t.backfill }))
    .map((r) => ({ ...r, total: KINDS.reduce((n, k) => n + r[k], 0) }))
    .filter((r) => r.total > 0);
  const backfillTotals = backfillRows.reduce(
    (a, r) => {
      for (const k of KINDS) a[k] += r[k];
      a.total += r.total;
      return a;
    },
    { ...empty(), total: 0 },
  );
  const idle = rows.filter((r) => r.idle).map((r) => r.name);
  const title = `Активность учителей в электронном журнале: ${ruMonth(data.month)}`;
  const offDays = days.filter((d) => (data.dayKinds[d] ?? 'school') !== 'school').length;
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
      dataAsOf:
        data.dataAsOf === null ? 'синхронизация не проводилась' : ruDateTime(data.dataAsOf, zone),
      days: days.map((d) => ({ n: d, cls: `day ${dayClass(d)}`.trim() })),
      offDays,
      rows,
      dayTotals: dayTotals.map((n, k) => ({
        text: n === 0 ? '' : String(n),
        cls: `${sizeClass(n)} ${dayClass(days[k]!)}`.trim(),
      })),
      totals: { ...kindTotals, total: KINDS.reduce((n, k) => n + kindTotals[k], 0) },
      backfill:
        data.backfillAt === null
          ? null
          : { at: ruDateTime(data.backfillAt, zone), rows: backfillRows, totals: backfillTotals },
      idle,
      hasIdle: idle.length > 0,
      teacherCount: rows.length,
      deputyDirector: data.school.deputyDirector ?? '',
    },
  });
}
