import type { ArchivedTable } from './schema-introspect.js';
import { ident } from './schema-introspect.js';

/**
 * Which rows of a table belong to one school, for `--school`: a municipal installation mirrors
 * several schools, and one school's archive must not carry another school's personal data.
 * Rows without a school (installation-wide operator events) go with every school.
 */
export interface RowFilter {
  /** SQL condition over the table's own columns, with `?` placeholders. */
  sql: string;
  params: unknown[];
}

export function schoolFilter(table: ArchivedTable, schoolId: string | null): RowFilter | null {
  if (schoolId === null) return null;
  const schoolColumn = table.columns.find((c) => c.name === 'school_id');
  if (schoolColumn) {
    return schoolColumn.nullable
      ? { sql: `(${ident('school_id')} = ? OR ${ident('school_id')} IS NULL)`, params: [schoolId] }
      : { sql: `${ident('school_id')} = ?`, params: [schoolId] };
  }
  // Per-stream statistics hang off their sync run, which carries the school.
  if (table.name === 'sync_run_streams') {
    return {
      sql: `${ident('run_id')} IN (SELECT id FROM sync_runs WHERE school_id = ?)`,
      params: [schoolId],
    };
  }
  return null;
}
