import { DateTime } from 'luxon';

/** Russian plural forms: 1 замечание, 2 замечания, 5 замечаний. */
export function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

export function countFindings(n: number): string {
  return `${n} ${plural(n, 'замечание', 'замечания', 'замечаний')}`;
}

/** `2026-10-05` → `05.10.2026`. */
export function formatDate(isoDate: string): string {
  const dt = DateTime.fromISO(isoDate.slice(0, 10), { zone: 'UTC' });
  return dt.isValid ? dt.toFormat('dd.MM.yyyy') : isoDate;
}
