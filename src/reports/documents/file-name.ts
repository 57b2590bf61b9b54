import { fileSlug } from '../format.js';

/** A document's registry id (`reports/registry.ts`): the first word of its file names. */
export type DocumentKind = string;

/**
 * The default file name of every printed document: `<kind>-<school id>-<parts…>.pdf`, e.g.
 * `audit-1000001-2026-12-04.pdf`, `journal-1000001-5А-1-четверть.pdf`. The school's platform id
 * is in every name, so documents of two schools written into one folder never overwrite each
 * other; it is stable (a school's name may change, its id does not) and digits only. Each part is
 * slugged (letters and digits, `-` between), so no name holds a separator, `..` or a space.
 */
export function documentFileName(
  kind: DocumentKind,
  schoolId: string,
  ...parts: readonly string[]
): string {
  return `${[kind, schoolId, ...parts].map(fileSlug).join('-')}.pdf`;
}
