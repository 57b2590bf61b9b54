import type BetterSqlite3 from 'better-sqlite3';
import type { StreamName, StreamRecords } from '../../src/connectors/records.js';
import { COMMON_COLUMNS, TABLES } from '../../src/mirror/tables.js';
import type { ClassModel, SchoolModel, Timed } from '../../src/sandbox/model.js';
import { viewAt } from '../../src/sandbox/rows.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { WORK_TYPES } from '../../src/sandbox/work-types.js';
import { syncHistory, syncHistoryInserts } from './sync-history.js';

/**
 * A realistic mirror, fast: the sandbox's generated journals (with their planted violations at
 * the generator's rates) written straight into the mirror tables with prepared inserts, no HTTP
 * and no sync. Bigger sizes repeat the school's classes as "replicas" with ids of their own, so
 * 1,000,000 marks keep the proportions of a real school year (attendance, works, lessons).
 * Rows are as a full sync at the sandbox's "now" would leave them (first seen when they appeared).
 */

export interface JournalMirrorOptions {
  sandbox: Sandbox;
  school?: SchoolModel;
  /** Stop adding classes once this many marks are written (default: every class once). */
  marks?: number;
  /**
   * Record the sync history the rows imply (bench/lib/sync-history.ts; default true). False: a
   * mirror with no sync recorded, whose rules date rows as between syncs.
   */
  syncHistory?: boolean;
}

export interface JournalMirrorStats {
  rows: Record<string, number>;
  classes: string[];
  ms: number;
}

type Sink = <S extends StreamName>(stream: S, record: StreamRecords[S], firstSeen: number) => void;

const PERIOD_TYPE = { Quarter: 'quarter', HalfYear: 'half_year' } as const;

/** Tables of the school's structure, written as seen at the sandbox's now. */
const STRUCTURE_TABLES = [
  'schools',
  'subjects',
  'work_types',
  'classes',
  'persons',
  'enrollments',
  'reporting_periods',
  'teacher_assignments',
] as const;

/** Writes the mirror; `db` must be a freshly migrated, empty SQLite mirror. */
export function writeJournalMirror(
  db: BetterSqlite3.Database,
  options: JournalMirrorOptions,
): JournalMirrorStats {
  const started = performance.now();
  const sb = options.sandbox;
  const school = options.school ?? sb.schools[0]!;
  const now = sb.now();
  const counts: Record<string, number> = {};
  const inserts = new Map<StreamName, BetterSqlite3.Statement>();
  const zone = school.zone;
  const sink: Sink = (stream, record, firstSeen) => {
    const spec = TABLES[stream];
    let stmt = inserts.get(stream);
    if (!stmt) {
      const cols = [...COMMON_COLUMNS.map((c) => c.name), ...spec.columns.map((c) => c.name)];
      stmt = db.prepare(
        `INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      );
      inserts.set(stream, stmt);
    }
    const own = (spec.toRow as (r: unknown, c: { zone: string }) => unknown[])(record, { zone });
    stmt.run(
      'dnevnik',
      record.id,
      school.id,
      'bench',
      1,
      firstSeen,
      now,
      null,
      ...(own as never[]),
    );
    counts[spec.table] = (counts[spec.table] ?? 0) + 1;
  };

  // Secondary indexes are built once at the end: much faster than maintaining them row by row.
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)
    .all() as { name: string; sql: string }[];
  for (const ix of indexes) db.exec(`DROP INDEX "${ix.name}"`);
  db.pragma('synchronous = OFF');

  const classes: string[] = [];
  db.transaction(() => {
    writeSchool(school, now, sink);
    const target = options.marks ?? Infinity;
    for (let replica = 0; ; replica++) {
      for (const cls of school.classes) {
        if ((counts.marks ?? 0) >= target) return;
        classes.push(writeClass(sb, school, cls, replica, now, sink));
      }
      if (!Number.isFinite(target)) return;
    }
  })();
  for (const ix of indexes) db.exec(ix.sql);
  if (options.syncHistory !== false) {
    const first = db.prepare('SELECT min(first_seen_at) AS t FROM lessons').get() as {
      t: number | null;
    };
    const firstSync = first.t ?? now;
    for (const q of syncHistoryInserts('sqlite', syncHistory(school.id, firstSync, now))) {
      db.prepare(q.text).run(...q.params);
    }
    // The school's structure (written as seen now above) was there when its first sync read it
    // (the sandbox has no student joining mid-year), so a run as of any instant after that sync
    // sees the school's classes, rosters and periods, as at a school.
    for (const table of STRUCTURE_TABLES) {
      db.prepare(`UPDATE ${table} SET first_seen_at = ? WHERE first_seen_at > ?`).run(
        firstSync,
        firstSync,
      );
    }
  }
  db.pragma('synchronous = FULL');
  return { rows: counts, classes, ms: performance.now() - started };
}

function writeSchool(school: SchoolModel, now: number, sink: Sink): void {
  sink(
    'schools',
    {
      id: school.id,
      name: school.name,
      fullName: school.fullName,
      city: school.city,
      municipality: school.municipality,
      timeZone: school.zone,
    },
    now,
  );
  for (const s of school.subjects) {
    sink(
      'subjects',
      { id: s.id, schoolId: school.id, name: s.name, knowledgeArea: s.knowledgeArea },
      now,
    );
  }
  for (const w of WORK_TYPES) {
    sink(
      'workTypes',
      {
        id: String(w.id),
        schoolId: school.id,
        kind: w.kind,
        title: w.title,
        abbr: w.abbr,
        weight: w.weight,
        isFinal: w.isFinal,
      },
      now,
    );
  }
  for (const t of school.teachers) {
    sink(
      'persons',
      {
        id: t.id,
        schoolId: school.id,
        role: 'teacher',
        lastName: t.lastName,
        firstName: t.firstName,
        middleName: t.middleName,
        fullName: `${t.lastName} ${t.firstName} ${t.middleName}`,
        consent: true,
        userId: t.userId,
        sex: t.sex,
        birthday: t.birthday,
        email: t.email,
        phone: null,
      },
      now,
    );
  }
}

/** One class (replica `r`: the same journal under ids of its own); returns the class name. */
function writeClass(
  sb: Sandbox,
  school: SchoolModel,
  cls: ClassModel,
  r: number,
  now: number,
  sink: Sink,
): string {
  const suffix = String(r).padStart(2, '0');
  const id = (v: string) => `${v}${suffix}`;
  const name = r === 0 ? cls.name : `${cls.name}-${r + 1}`;
  const classId = id(cls.id);
  const seen = <T>(row: Timed<T>) => Math.max(0, Math.min(row.appearAt, now));
  sink(
    'classes',
    {
      id: classId,
      schoolId: school.id,
      name,
      fullName: name,
      grade: cls.grade,
      letter: cls.letter,
      kind: 'class',
      parentIds: [],
      studyYear: 2025,
      status: null,
    },
    now,
  );
  for (const s of cls.students) {
    const personId = id(s.id);
    sink(
      'persons',
      {
        id: personId,
        schoolId: school.id,
        role: 'student',
        lastName: s.lastName,
        firstName: s.firstName,
        middleName: s.middleName,
        fullName: `${s.lastName} ${s.firstName} ${s.middleName}`,
        consent: true,
        userId: id(s.userId),
        sex: s.sex,
        birthday: s.birthday,
        email: null,
        phone: null,
      },
      now,
    );
    sink(
      'enrollments',
      {
        id: `${classId}:${personId}`,
        classId,
        personId,
        status: s.leaveDay !== null && s.leaveDay * 86_400_000 <= now ? 'archived' : 'active',
      },
      now,
    );
  }
  // Subgroups (a split subject's groups) as a sync stores them: an edu-group of its own whose
  // roster is its members; their lessons stay the class's and name the subgroup (`groupId`).
  for (const g of cls.groups) {
    const groupId = id(g.id);
    const members = new Set(g.studentIds);
    sink(
      'classes',
      {
        id: groupId,
        schoolId: school.id,
        name: g.name,
        fullName: null,
        grade: cls.grade,
        letter: null,
        kind: 'subgroup',
        parentIds: [classId],
        studyYear: 2025,
        status: 'Active',
      },
      now,
    );
    for (const s of cls.students) {
      if (!members.has(s.id)) continue;
      const personId = id(s.id);
      sink(
        'enrollments',
        {
          id: `${groupId}:${personId}`,
          classId: groupId,
          personId,
          status: s.leaveDay !== null && s.leaveDay * 86_400_000 <= now ? 'archived' : 'active',
        },
        now,
      );
    }
  }
  sink(
    'teacherAssignments',
    {
      id: `${classId}:class:${cls.classTeacherId}:class_teacher`,
      classId,
      subjectId: null,
      teacherId: cls.classTeacherId,
      role: 'class_teacher',
    },
    now,
  );
  for (const p of cls.periods) {
    sink(
      'reportingPeriods',
      {
        id: `${classId}:${p.id}`,
        periodId: p.id,
        classId,
        type: PERIOD_TYPE[p.kind],
        number: p.number,
        name: p.name,
        start: p.start,
        finish: p.finish,
        year: 2025,
      },
      now,
    );
  }
  const j = sb.journal(cls.id);
  const live = new Set<string>();
  for (const row of j.lessons) {
    const l = viewAt(row, now);
    if (!l) continue;
    live.add(l.id);
    sink(
      'lessons',
      {
        id: id(l.id),
        classId,
        groupId: l.groupId === null ? null : id(l.groupId),
        subjectId: l.subjectId,
        date: l.date,
        startsAt: l.startsAt,
        number: l.number,
        topic: l.topic,
        status: null,
        teacherIds: [l.teacherId, ...(l.coTeacherIds ?? [])],
      },
      seen(row),
    );
  }
  for (const row of [...j.works, ...j.finalWorks]) {
    const w = viewAt(row, now);
    if (!w || (w.lessonId !== null && !live.has(w.lessonId))) continue;
    sink(
      'works',
      {
        id: id(w.id),
        lessonId: w.lessonId === null ? null : id(w.lessonId),
        classId,
        subjectId: w.subjectId,
        type: w.type,
        workTypeId: String(w.workTypeId),
        text: w.text,
        targetDate: w.targetDate,
        sentDate: w.sentDate,
        createdBy: w.createdBy,
        periodNumber: w.periodNumber,
        periodType: w.periodType,
        displayInJournal: true,
      },
      seen(row),
    );
  }
  for (const row of j.marks) {
    const m = viewAt(row, now);
    if (!m) continue;
    sink(
      'marks',
      {
        id: id(m.id),
        classId,
        lessonId: id(m.lessonId),
        workId: id(m.workId),
        studentId: id(m.studentId),
        subjectId: m.subjectId,
        value: m.value,
        markSystem: m.markSystem ?? 'mark5',
        mood: null,
        workTypeId: String(m.workTypeId),
        countsInAverage: m.countsInAverage,
        number: m.number ?? null,
        enteredAt: new Date(m.appearAt).toISOString(),
      },
      seen(row),
    );
  }
  for (const row of j.finalMarks) {
    const f = viewAt(row, now);
    if (!f) continue;
    sink(
      'finalMarks',
      {
        id: id(f.id),
        studentId: id(f.studentId),
        classId,
        subjectId: f.subjectId,
        periodId: f.periodId,
        periodType: f.periodKind ? PERIOD_TYPE[f.periodKind] : 'year',
        periodNumber: f.periodNumber,
        value: f.value,
        markSystem: f.markSystem ?? 'mark5',
        date: f.date,
        workId: id(f.workId),
      },
      seen(row),
    );
  }
  for (const row of j.attendance) {
    const a = viewAt(row, now);
    if (!a) continue;
    sink(
      'attendance',
      {
        id: `${id(a.lessonId)}:${id(a.studentId)}`,
        lessonId: id(a.lessonId),
        studentId: id(a.studentId),
        classId,
        subjectId: a.subjectId,
        status: a.status,
        createdAt: a.createdDate,
        comment: a.comment,
      },
      seen(row),
    );
  }
  const subjects = new Set<string>();
  for (const s of cls.subjects) {
    if (subjects.has(`${s.subjectId}:${s.teacherId}`)) continue;
    subjects.add(`${s.subjectId}:${s.teacherId}`);
    sink(
      'teacherAssignments',
      {
        id: `${classId}:${s.subjectId}:${s.teacherId}:subject`,
        classId,
        subjectId: s.subjectId,
        teacherId: s.teacherId,
        role: 'subject',
      },
      now,
    );
  }
  return name;
}
