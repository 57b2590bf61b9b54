import { DateTime } from 'luxon';

/** Russian formatting for documents. Pure. */

/** «5 „А“» from grade 5 and letter «А»; falls back to the platform name. */
export function classTitle(name: string, grade: number | null, letter: string | null): string {
  if (grade !== null && letter) return `${grade} „${letter}“`;
  const m = /^(\d{1,2})\s*[-–]?\s*([А-ЯЁA-Z])$/iu.exec(name.trim());
  return m ? `${m[1]} „${m[2]!.toUpperCase()}“` : name;
}

/** «2026/2027 учебный год» for a date in that school year (it starts on 1 September). */
export function schoolYearTitle(date: string): string {
  const d = DateTime.fromISO(date);
  const start = d.month >= 9 ? d.year : d.year - 1;
  return `${start}/${start + 1} учебный год`;
}

/** `2026-10-05` → `05.10.2026`. */
export function ruDate(date: string | null): string {
  if (!date) return '';
  const [y, m, d] = date.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

/** `2026-10-05` → `05.10` (column headers). */
export function ruDayMonth(date: string): string {
  const [, m, d] = date.slice(0, 10).split('-');
  return `${d}.${m}`;
}

export function ruDateTime(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat('dd.MM.yyyy HH:mm');
}

const MONTHS = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
];

/** `2026-10` → «октябрь 2026 г.» */
export function ruMonth(month: string): string {
  const [y, m] = month.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${y} г.`;
}

/** A percentage or average with a comma, e.g. 56,5; «—» when undefined. */
export function ruNumber(value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return value.toFixed(digits).replace('.', ',');
}

/** «Иванов И. И.» from a full name «Иванов Иван Иванович». */
export function shortName(fullName: string | null): string {
  if (!fullName) return '';
  const [last, ...rest] = fullName.trim().split(/\s+/);
  return [last, ...rest.map((p) => `${p[0]}.`)].join(' ');
}

/** Cuts text to `max` characters (an ellipsis marks the cut), so fixed-height cells never overflow. */
export function clip(text: string | null, max: number): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

/** A safe file-name part: letters, digits, dash; Cyrillic kept. */
export function fileSlug(text: string): string {
  return (
    text
      .trim()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}
