import { joinSql, raw, sql, type Fragment } from './sql-fragment.js';
import type { FindingRow, RuleContext } from './rule.js';

/**
 * Every rule's query returns the same columns (ids, date, deadline, `x_*` extras); this wraps it
 * once to resolve class, subject, teacher and student names by joins in the database.
 */

const STANDARD = [
  'src',
  'class_id',
  'subject_id',
  'teacher_id',
  'student_id',
  'lesson_id',
  'work_id',
  'mark_id',
  'period_id',
  'date',
  'deadline',
] as const;
type StandardColumn = (typeof STANDARD)[number];

/**
 * The select list of a rule's inner query. `src` (the row's `source`) is required so that name
 * joins use the primary keys; absent columns are NULL; `extra` columns come back as `x_<name>`.
 */
export function findingColumns(
  cols: Partial<Record<StandardColumn, string | Fragment>> & { src: string },
  extra: Record<string, string | Fragment> = {},
): Fragment {
  const parts: Fragment[] = STANDARD.map((name) => {
    const expr = cols[name];
    if (expr === undefined) {
      return raw(
        name === 'deadline' ? `CAST(NULL AS bigint) AS deadline` : `CAST(NULL AS text) AS ${name}`,
      );
    }
    return sql`${typeof expr === 'string' ? raw(expr) : expr} AS ${raw(name)}`;
  });
  for (const [name, expr] of Object.entries(extra)) {
    parts.push(sql`${typeof expr === 'string' ? raw(expr) : expr} AS ${raw(`x_${name}`)}`);
  }
  return joinSql(parts, ', ');
}

export async function queryFindings(
  ctx: RuleContext<unknown>,
  inner: Fragment,
): Promise<FindingRow[]> {
  const q = sql`SELECT f.*, c.name AS class_name, s.name AS subject_name,
      t.full_name AS teacher_name, st.full_name AS student_name
    FROM (${inner}) f
    LEFT JOIN classes c ON c.source = f.src AND c.id = f.class_id
    LEFT JOIN subjects s ON s.source = f.src AND s.id = f.subject_id
    LEFT JOIN persons t ON t.source = f.src AND t.id = f.teacher_id
    LEFT JOIN persons st ON st.source = f.src AND st.id = f.student_id`;
  const rows = await ctx.db.query(q.text, q.params);
  return rows.map(toFindingRow);
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toFindingRow(r: Record<string, unknown>): FindingRow {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (k.startsWith('x_')) extra[k.slice(2)] = v;
  }
  return {
    classId: str(r.class_id),
    subjectId: str(r.subject_id),
    teacherId: str(r.teacher_id),
    studentId: str(r.student_id),
    lessonId: str(r.lesson_id),
    workId: str(r.work_id),
    markId: str(r.mark_id),
    periodId: str(r.period_id),
    date: str(r.date)?.slice(0, 10) ?? null,
    deadline: r.deadline === null || r.deadline === undefined ? null : Number(r.deadline),
    className: str(r.class_name),
    subjectName: str(r.subject_name),
    teacherName: str(r.teacher_name),
    studentName: str(r.student_name),
    extra,
  };
}
