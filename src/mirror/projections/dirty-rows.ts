import type { SqlExecutor } from '../sql.js';
import { chunk, padIds, placeholders } from '../sql.js';
import { addSeries, type LessonSeries } from './lesson-order.js';
import { idChunks, lessonKey, type EntryLessons } from './lesson-totals.js';

/**
 * Which reporting period rows a stretch of the change history touches: every period of the
 * class that contains a date a changed mark, lesson or work was on, before or after the change
 * (a lesson moved to another quarter dirties both; a mark moved to another lesson, both
 * lessons' periods); and which lesson series (class and subject) a changed lesson was in, before
 * or after the change, for `lesson_order`; and which lessons a changed lesson, mark, work or
 * attendance entry was of, before or after the change, for `lesson_entry_totals`, and every
 * lesson of a class or subgroup whose enrollments changed (its roster's unmarked students), of a
 * work a changed mark was for, and that a changed work's marks sit on.
 */

/** Streams (record_versions.entity) whose changes move marks between or within period totals. */
export const ROW_STREAMS = ['marks', 'lessons', 'works'] as const;
/** Streams whose changes move only the per-lesson totals (`lesson_entry_totals`). */
export const LESSON_STREAMS = ['attendance'] as const;
/** Streams whose changes move the per-lesson totals of every lesson of a class or subgroup. */
export const ROSTER_STREAMS = ['enrollments'] as const;
const READ_STREAMS = [...ROW_STREAMS, ...LESSON_STREAMS, ...ROSTER_STREAMS];

interface VersionRow extends Record<string, unknown> {
  entity: string;
  source: string;
  record_id: string;
  version: number | string;
  change_kind: string;
  payload: string;
}

interface Touched {
  /** `${source}\u0000${classId}` → local dates. */
  dates: Map<string, Set<string>>;
  /** `${source}\u0000${lessonId}` of lessons whose date must be looked up. */
  lessons: Set<string>;
  /** Lesson series to renumber. */
  series: LessonSeries;
  /** Lessons whose per-lesson totals must be recomputed. */
  entryLessons: EntryLessons;
  /** `${source}\u0000${classId}` of classes and subgroups whose enrollments changed. */
  rosters: Set<string>;
  /**
   * `${source}\u0000${workId}` of works a changed mark was for: the work's own lesson counts its
   * students marked by the work, wherever the mark sits (another lesson, none).
   */
  markedWorks: Set<string>;
  /**
   * `${source}\u0000${workId}` of changed works: the lessons their marks sit on judge those marks
   * by the work's type (a homework's mark beside «н» is none).
   */
  changedWorks: Set<string>;
}

const SEP = '\u0000';

function note(t: Touched, entity: string, source: string, recordId: string, payload: string): void {
  if (entity === 'lessons') t.entryLessons.add(lessonKey(source, recordId));
  let rec: {
    classId?: unknown;
    groupId?: unknown;
    subjectId?: unknown;
    date?: unknown;
    lessonId?: unknown;
    workId?: unknown;
  };
  try {
    rec = JSON.parse(payload) as typeof rec;
  } catch {
    return;
  }
  if (entity === 'enrollments') {
    if (typeof rec.classId === 'string') t.rosters.add(`${source}${SEP}${rec.classId}`);
    return;
  }
  if (typeof rec.lessonId === 'string') t.entryLessons.add(lessonKey(source, rec.lessonId));
  if (entity === 'marks' && typeof rec.workId === 'string') {
    t.markedWorks.add(`${source}${SEP}${rec.workId}`);
  }
  if (entity === 'works') t.changedWorks.add(`${source}${SEP}${recordId}`);
  // Attendance moves no period total: only its lesson's.
  if (entity === 'attendance') return;
  if (typeof rec.classId === 'string' && typeof rec.date === 'string') {
    const key = `${source}${SEP}${rec.classId}`;
    const set = t.dates.get(key) ?? new Set<string>();
    set.add(rec.date.slice(0, 10));
    t.dates.set(key, set);
  }
  if (typeof rec.lessonId === 'string') t.lessons.add(`${source}${SEP}${rec.lessonId}`);
  if (
    entity === 'lessons' &&
    typeof rec.classId === 'string' &&
    typeof rec.subjectId === 'string'
  ) {
    // The lesson's series (lesson-order.ts): its subgroup's, else its class's.
    const owner = typeof rec.groupId === 'string' ? rec.groupId : rec.classId;
    addSeries(t.series, source, owner, rec.subjectId);
  }
}

/** Payloads of the versions just before the given ones (what an update or restore replaced). */
async function previousPayloads(
  tx: SqlExecutor,
  rows: readonly VersionRow[],
): Promise<{ entity: string; source: string; recordId: string; payload: string }[]> {
  const wanted = new Map<string, Set<string>>();
  for (const r of rows) {
    const key = `${r.entity}${SEP}${r.source}`;
    const set = wanted.get(key) ?? new Set<string>();
    set.add(`${r.record_id}${SEP}${Number(r.version) - 1}`);
    wanted.set(key, set);
  }
  const out: { entity: string; source: string; recordId: string; payload: string }[] = [];
  for (const [key, set] of wanted) {
    const [entity, source] = key.split(SEP) as [string, string];
    const ids = [...new Set([...set].map((s) => s.split(SEP)[0]!))];
    for (const part of chunk(ids, 256)) {
      const padded = padIds(part);
      const prev = await tx.query<{ record_id: string; version: number | string; payload: string }>(
        `SELECT record_id, version, payload FROM record_versions
         WHERE entity = ? AND source = ? AND record_id IN (${placeholders(padded.length)})`,
        [entity, source, ...padded],
      );
      for (const p of prev) {
        if (set.has(`${p.record_id}${SEP}${Number(p.version)}`)) {
          out.push({ entity, source, recordId: p.record_id, payload: p.payload });
        }
      }
    }
  }
  return out;
}

/** The lessons of the given classes and subgroups (their own or their subgroup's roster). */
async function rosterLessons(tx: SqlExecutor, schoolId: string, t: Touched): Promise<void> {
  for (const { source, ids } of idChunks(t.rosters)) {
    const rows = await tx.query<{ id: string }>(
      `SELECT id FROM lessons WHERE school_id = ? AND source = ?
         AND (class_id IN (${placeholders(ids.length)}) OR group_id IN (${placeholders(ids.length)}))`,
      [schoolId, source, ...ids, ...ids],
    );
    for (const r of rows) t.entryLessons.add(lessonKey(source, r.id));
  }
}

/**
 * The lessons of the works marks were changed for, and the lessons the marks of changed works sit
 * on: a mark need not sit on its work's lesson.
 */
async function workLessons(tx: SqlExecutor, t: Touched): Promise<void> {
  const reads = [
    { keys: t.markedWorks, select: 'SELECT lesson_id FROM works WHERE source = ? AND id IN' },
    {
      keys: t.changedWorks,
      select: 'SELECT DISTINCT lesson_id FROM marks WHERE source = ? AND work_id IN',
    },
  ];
  for (const { keys, select } of reads) {
    for (const { source, ids } of idChunks(keys)) {
      const rows = await tx.query<{ lesson_id: string | null }>(
        `${select} (${placeholders(ids.length)})`,
        [source, ...ids],
      );
      for (const r of rows) {
        if (r.lesson_id !== null) t.entryLessons.add(lessonKey(source, r.lesson_id));
      }
    }
  }
}

/** Dates of the given lessons, per class. */
async function lessonDates(tx: SqlExecutor, t: Touched): Promise<void> {
  for (const { source, ids } of idChunks(t.lessons)) {
    const rows = await tx.query<{ class_id: string; date: string }>(
      `SELECT class_id, date FROM lessons WHERE source = ? AND id IN (${placeholders(ids.length)})`,
      [source, ...ids],
    );
    for (const r of rows) {
      const key = `${source}${SEP}${r.class_id}`;
      const set = t.dates.get(key) ?? new Set<string>();
      set.add(String(r.date).slice(0, 10));
      t.dates.set(key, set);
    }
  }
}

export interface DirtyRows {
  /** Live period rows (`reporting_periods.id`) per source. */
  periods: Map<string, string[]>;
  series: LessonSeries;
  entryLessons: EntryLessons;
}

/** What changes observed after `since` touched: period rows, lesson series and lessons. */
export async function dirtyRows(
  tx: SqlExecutor,
  schoolId: string,
  since: number,
): Promise<DirtyRows> {
  const versions = await tx.query<VersionRow>(
    `SELECT entity, source, record_id, version, change_kind, payload FROM record_versions
     WHERE school_id = ? AND entity IN (${placeholders(READ_STREAMS.length)}) AND observed_at > ?`,
    [schoolId, ...READ_STREAMS, since],
  );
  const touched: Touched = {
    dates: new Map(),
    lessons: new Set(),
    series: new Map(),
    entryLessons: new Set(),
    rosters: new Set(),
    markedWorks: new Set(),
    changedWorks: new Set(),
  };
  for (const v of versions) note(touched, v.entity, v.source, v.record_id, v.payload);
  // A deletion's payload is the last one seen; an update's or restore's predecessor may differ.
  const replaced = versions.filter(
    (v) => v.change_kind === 'update' || v.change_kind === 'restore',
  );
  for (const prev of await previousPayloads(tx, replaced)) {
    note(touched, prev.entity, prev.source, prev.recordId, prev.payload);
  }
  await lessonDates(tx, touched);
  await rosterLessons(tx, schoolId, touched);
  await workLessons(tx, touched);

  const periods = await tx.query<{
    source: string;
    id: string;
    class_id: string;
    start_date: string;
    finish_date: string;
  }>(
    `SELECT source, id, class_id, start_date, finish_date FROM reporting_periods
     WHERE school_id = ? AND deleted_at IS NULL`,
    [schoolId],
  );
  const dirty = new Map<string, string[]>();
  for (const p of periods) {
    const dates = touched.dates.get(`${p.source}${SEP}${p.class_id}`);
    if (!dates) continue;
    for (const d of dates) {
      if (d >= p.start_date && d <= p.finish_date) {
        const list = dirty.get(p.source) ?? [];
        list.push(p.id);
        dirty.set(p.source, list);
        break;
      }
    }
  }
  return { periods: dirty, series: touched.series, entryLessons: touched.entryLessons };
}
