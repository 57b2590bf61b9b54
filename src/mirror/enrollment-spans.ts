import { addDays, instantToLocalDate } from '../platform/time.js';
import { insertRows, type SqlDb, type SqlExecutor } from './sql.js';

/**
 * Derives `enrollment_spans` (when each student was in each class) for one school. The platform
 * gives no dates: `edu-groups/{g}/persons?includeArchive=true` lists current and former members,
 * nothing more (dnevnik-api.md §7). So the dates come from what ezh saw:
 *
 * - a sync that saw an enrollment appear (after the class's first sync) or turn `archived` dates
 *   the arrival or departure to that sync's local day (basis `observed`);
 * - when the history began too late to tell (the first sync already saw the student archived, or
 *   saw them active here while archived in another class of the school: a transfer), the
 *   student's own entries in the class bound it: «выбыл» the day after their last mark or
 *   absence, «прибыл» on their first one (basis `entries`).
 *
 * Rebuilt whole for the school in one transaction (one row per enrollment: small).
 */

type VersionRow = {
  record_id: string;
  version: number;
  change_kind: string;
  observed_at: number;
  payload: string;
};

export interface Span {
  classId: string;
  personId: string;
  status: 'active' | 'archived';
  enrolledOn: string | null;
  enrolledBasis: 'observed' | 'entries' | null;
  leftOn: string | null;
  leftBasis: 'observed' | 'entries' | null;
}

const COLUMNS = [
  'source',
  'class_id',
  'person_id',
  'school_id',
  'status',
  'enrolled_on',
  'enrolled_basis',
  'left_on',
  'left_basis',
  'derived_at',
];

export async function refreshEnrollmentSpans(
  db: SqlDb,
  schoolId: string,
  zone: string,
  now: number,
  source = 'dnevnik',
): Promise<number> {
  const spans = await deriveSpans(db, schoolId, zone, source);
  await db.transaction(async (tx) => {
    await tx.run('DELETE FROM enrollment_spans WHERE school_id = ? AND source = ?', [
      schoolId,
      source,
    ]);
    await insertRows(
      tx,
      { table: 'enrollment_spans', columns: COLUMNS },
      spans.map((s) => [
        source,
        s.classId,
        s.personId,
        schoolId,
        s.status,
        s.enrolledOn,
        s.enrolledBasis,
        s.leftOn,
        s.leftBasis,
        now,
      ]),
    );
  });
  return spans.length;
}

export async function deriveSpans(
  db: SqlExecutor,
  schoolId: string,
  zone: string,
  source: string,
): Promise<Span[]> {
  const versions = await db.query<VersionRow>(
    `SELECT record_id, version, change_kind, observed_at, payload FROM record_versions
     WHERE school_id = ? AND source = ? AND entity = 'enrollments' ORDER BY record_id, version`,
    [schoolId, source],
  );
  const live = await db.query<{ id: string; class_id: string; person_id: string; status: string }>(
    'SELECT id, class_id, person_id, status FROM enrollments WHERE school_id = ? AND source = ? AND deleted_at IS NULL',
    [schoolId, source],
  );
  const history = new Map<string, VersionRow[]>();
  const classFirstSeen = new Map<string, number>();
  for (const v of versions) {
    const list = history.get(v.record_id) ?? [];
    list.push({ ...v, observed_at: Number(v.observed_at) });
    history.set(v.record_id, list);
    const classId = v.record_id.slice(0, v.record_id.lastIndexOf(':'));
    const at = Number(v.observed_at);
    if (!classFirstSeen.has(classId) || at < classFirstSeen.get(classId)!) {
      classFirstSeen.set(classId, at);
    }
  }
  const statusOf = (v: VersionRow): string | null => {
    if (v.change_kind === 'delete') return null;
    try {
      return (JSON.parse(v.payload) as { status?: string }).status ?? null;
    } catch {
      return null;
    }
  };

  const archivedElsewhere = new Set<string>();
  for (const e of live) if (e.status === 'archived') archivedElsewhere.add(e.person_id);

  const spans: Span[] = [];
  const needEntries: Span[] = [];
  for (const e of live) {
    const span: Span = {
      classId: e.class_id,
      personId: e.person_id,
      status: e.status === 'archived' ? 'archived' : 'active',
      enrolledOn: null,
      enrolledBasis: null,
      leftOn: null,
      leftBasis: null,
    };
    const list = history.get(e.id) ?? [];
    const first = list[0];
    const classStart = classFirstSeen.get(e.class_id);
    if (
      first &&
      classStart !== undefined &&
      first.observed_at > classStart &&
      statusOf(first) === 'active'
    ) {
      span.enrolledOn = instantToLocalDate(first.observed_at, zone);
      span.enrolledBasis = 'observed';
    }
    if (span.status === 'archived') {
      // The last move from active to archived is the departure the journal prints.
      for (let i = list.length - 1; i > 0; i--) {
        if (statusOf(list[i]!) === 'archived' && statusOf(list[i - 1]!) === 'active') {
          span.leftOn = instantToLocalDate(list[i]!.observed_at, zone);
          span.leftBasis = 'observed';
          break;
        }
      }
    }
    const transferIn =
      span.status === 'active' && archivedElsewhere.has(e.person_id) && !span.enrolledOn;
    if ((span.status === 'archived' && !span.leftOn) || transferIn) needEntries.push(span);
    spans.push(span);
  }
  for (const span of needEntries) {
    const rows = await db.query<{ first: string | null; last: string | null }>(
      `SELECT min(d) AS first, max(d) AS last FROM (
         SELECT l.date AS d FROM marks m JOIN lessons l ON l.id = m.lesson_id AND l.source = m.source
         WHERE m.class_id = ? AND m.student_id = ? AND m.source = ? AND m.deleted_at IS NULL AND l.deleted_at IS NULL
         UNION ALL
         SELECT l.date AS d FROM attendance a JOIN lessons l ON l.id = a.lesson_id AND l.source = a.source
         WHERE a.class_id = ? AND a.student_id = ? AND a.source = ? AND a.deleted_at IS NULL AND l.deleted_at IS NULL
       ) x`,
      [span.classId, span.personId, source, span.classId, span.personId, source],
    );
    const { first, last } = rows[0] ?? { first: null, last: null };
    if (span.status === 'archived' && !span.leftOn && last) {
      span.leftOn = addDays(last, 1);
      span.leftBasis = 'entries';
    } else if (span.status === 'active' && first) {
      span.enrolledOn = first;
      span.enrolledBasis = 'entries';
    }
  }
  return spans;
}
