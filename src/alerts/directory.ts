import type { SqlExecutor } from '../mirror/sql.js';
import { idListOf } from '../platform/id-list.js';
import { normalizeName } from './recipients.js';

/**
 * The people and names a digest needs, for one school, read from the live mirror once per run
 * (a school has at most a few thousand persons: maps are cheaper than joins that could
 * duplicate rows across sources).
 */
export interface Directory {
  classes: Map<string, { name: string; parentIds: string[] }>;
  subjects: Map<string, string>;
  persons: Map<string, Person>;
  /** Class id → class teachers' person ids. */
  classTeachers: Map<string, string[]>;
  /** The school's zone as the platform reports it, if any. */
  platformZone: string | null;
  /**
   * Names (normalized) of live persons of the mirror's other schools: a name-keyed address of
   * `alerts.recipients` is global, so a namesake in another school makes it ambiguous too.
   */
  namesElsewhere?: ReadonlySet<string>;
}

export interface Person {
  fullName: string;
  /** «Анна Петровна»: how a letter addresses the person. */
  addressAs: string;
  email: string | null;
}

export async function loadDirectory(db: SqlExecutor, schoolId: string): Promise<Directory> {
  const classes = new Map<string, { name: string; parentIds: string[] }>();
  for (const r of await db.query<{ id: string; name: string; parent_ids: string }>(
    `SELECT id, name, parent_ids FROM classes WHERE school_id = ? AND deleted_at IS NULL`,
    [schoolId],
  )) {
    classes.set(r.id, { name: r.name, parentIds: idListOf(r.parent_ids) });
  }

  const subjects = new Map<string, string>();
  for (const r of await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM subjects WHERE school_id = ? AND deleted_at IS NULL`,
    [schoolId],
  )) {
    subjects.set(r.id, r.name);
  }

  // Deleted persons are kept (a finding may name a teacher who has since left); live rows come
  // last so that they win. CASE, not NULLS LAST: the two engines sort NULL differently.
  const persons = new Map<string, Person>();
  for (const r of await db.query<{
    id: string;
    full_name: string;
    first_name: string;
    middle_name: string | null;
    email: string | null;
  }>(
    `SELECT id, full_name, first_name, middle_name, email FROM persons WHERE school_id = ?
      ORDER BY CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END`,
    [schoolId],
  )) {
    const addressAs = [r.first_name, r.middle_name].filter(Boolean).join(' ').trim() || r.full_name;
    persons.set(r.id, { fullName: r.full_name, addressAs, email: r.email });
  }

  const classTeachers = new Map<string, string[]>();
  for (const r of await db.query<{ class_id: string; teacher_id: string }>(
    `SELECT DISTINCT class_id, teacher_id FROM teacher_assignments
      WHERE school_id = ? AND role = 'class_teacher' AND deleted_at IS NULL
      ORDER BY class_id, teacher_id`,
    [schoolId],
  )) {
    const list = classTeachers.get(r.class_id) ?? [];
    list.push(r.teacher_id);
    classTeachers.set(r.class_id, list);
  }

  const namesElsewhere = new Set<string>();
  for (const r of await db.query<{ full_name: string }>(
    `SELECT DISTINCT full_name FROM persons WHERE school_id <> ? AND deleted_at IS NULL`,
    [schoolId],
  )) {
    namesElsewhere.add(normalizeName(r.full_name));
  }

  const zoneRows = await db.query<{ time_zone: string | null }>(
    `SELECT time_zone FROM schools WHERE id = ? AND deleted_at IS NULL`,
    [schoolId],
  );
  return {
    classes,
    subjects,
    persons,
    classTeachers,
    platformZone: zoneRows[0]?.time_zone ?? null,
    namesElsewhere,
  };
}
