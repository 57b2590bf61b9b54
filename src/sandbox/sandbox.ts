import type { AttendanceStorage } from '../connectors/attendance-storage.js';
import type { StreamName } from '../connectors/records.js';
import { STREAM_NAMES } from '../connectors/records.js';
import type { Clock } from '../platform/clock.js';
import { evaluateClass } from './answer-key.js';
import { buildJournal } from './journal.js';
import type {
  ClassModel,
  FindingKey,
  Journal,
  PlantedViolation,
  SchoolModel,
  SubgroupModel,
} from './model.js';
import { applyOverlays, UnfixableError, type Overlay } from './overlays.js';
import { viewAt } from './rows.js';
import { buildSchool, schoolSalt, type SandboxSize } from './school.js';
import { bigId } from './ids.js';
import { WORK_TYPES } from './work-types.js';

/**
 * The sandbox platform without HTTP: generated schools, the sandbox clock and timeline, the
 * answer key, record counts and test hooks. Journals are generated per class on demand and kept
 * in a bounded cache (a `large` school's year is ~1.5M rows; a class is ~35k and rebuilds in
 * tens of milliseconds), with test-hook overlays re-applied on every rebuild.
 */

export interface SandboxOptions {
  size?: SandboxSize;
  seed?: string | number;
  /** Number of schools (a municipal installation); each has its own token, id and time zone. */
  schools?: number;
  /** Classes kept generated at once (default: all for `small`, 6 for `large`). */
  cacheClasses?: number;
  /**
   * How the platform stores attendance: an entry for every student of every lesson
   * (`every-student`, the default), or only the exceptions (н, б, п, оп, late): nobody has told
   * which Dnevnik does (reference §7), so ezh must be right in both.
   */
  attendance?: AttendanceStorage;
  /**
   * Where the sandbox clock starts (`YYYY-MM-DDTHH:MM:SS`, local in the first school's zone), if
   * not at the size's own start (the large school's is after its year): a bench that lives
   * through a school day of the large school starts in term.
   */
  startLocal?: string;
}

export type { AttendanceStorage };

export interface AnswerKey {
  asOf: string;
  schoolId: string;
  findings: FindingKey[];
}

export interface AnswerKeyOptions {
  schoolId?: string;
}

export class Sandbox {
  readonly size: SandboxSize;
  readonly seed: string;
  readonly schools: SchoolModel[];
  /** Sandbox start: 07:00 local (first school) on 2026-11-09 (`small`) or 2026-06-15 (`large`). */
  readonly t0: number;
  readonly attendance: AttendanceStorage;
  readonly clock: Clock;
  private current: number;
  private readonly cache = new Map<string, Journal>();
  private readonly cacheSize: number;
  private readonly classIndex = new Map<string, { school: SchoolModel; cls: ClassModel }>();
  private readonly groupIndex = new Map<
    string,
    { school: SchoolModel; cls: ClassModel; group: SubgroupModel }
  >();
  private readonly overlays = new Map<string, Overlay[]>();

  constructor(options: SandboxOptions = {}) {
    this.size = options.size ?? 'small';
    this.seed = String(options.seed ?? 1);
    const n = Math.max(1, options.schools ?? 1);
    this.schools = Array.from({ length: n }, (_, index) =>
      buildSchool({ size: this.size, seed: this.seed, index, startLocal: options.startLocal }),
    );
    for (const school of this.schools) {
      for (const cls of school.classes) {
        this.classIndex.set(cls.id, { school, cls });
        for (const group of cls.groups) this.groupIndex.set(group.id, { school, cls, group });
      }
    }
    this.cacheSize = options.cacheClasses ?? (this.size === 'small' ? Infinity : 6);
    this.attendance = options.attendance ?? 'every-student';
    this.t0 = this.schools[0]!.t0;
    this.current = this.t0;
    this.clock = { now: () => this.current };
  }

  now(): number {
    return this.current;
  }

  /** Moves the clock forward; what the school did in between becomes visible. */
  advanceTo(instant: number): void {
    if (instant < this.current) throw new Error('the sandbox clock only moves forward');
    this.current = instant;
  }

  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  school(id: string): SchoolModel | undefined {
    return this.schools.find((s) => s.id === id);
  }

  classOf(classId: string): { school: SchoolModel; cls: ClassModel } | undefined {
    return this.classIndex.get(classId);
  }

  /** A subgroup, with its class (whose journal holds the subgroup's lessons). */
  groupOf(
    groupId: string,
  ): { school: SchoolModel; cls: ClassModel; group: SubgroupModel } | undefined {
    return this.groupIndex.get(groupId);
  }

  /** The class's journal (whole year, every timeline event); visibility is decided by `viewAt`. */
  journal(classId: string): Journal {
    const hit = this.cache.get(classId);
    if (hit) {
      this.cache.delete(classId);
      this.cache.set(classId, hit);
      return hit;
    }
    const entry = this.classIndex.get(classId);
    if (!entry) throw new Error(`unknown class ${classId}`);
    const journal = buildJournal(entry.school, entry.cls);
    applyOverlays(entry.school, entry.cls, journal, this.overlays.get(classId) ?? []);
    this.cache.set(classId, journal);
    while (this.cache.size > this.cacheSize) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
    return journal;
  }

  answerKey(asOf: number = this.current, options: AnswerKeyOptions = {}): AnswerKey {
    const school = options.schoolId ? this.school(options.schoolId) : this.schools[0];
    if (!school) throw new Error(`unknown school ${options.schoolId}`);
    const findings: FindingKey[] = [];
    for (const cls of school.classes) {
      findings.push(
        ...evaluateClass(school, cls, this.journal(cls.id), asOf, {
          attendanceKept: this.attendance === 'every-student',
        }),
      );
    }
    findings.sort((a, b) => (a.rule + JSON.stringify(a) < b.rule + JSON.stringify(b) ? -1 : 1));
    return { asOf: new Date(asOf).toISOString(), schoolId: school.id, findings };
  }

  /** What the generator planted (for tests and the demo's explanations). */
  planted(schoolId?: string): PlantedViolation[] {
    const schools = schoolId ? this.schools.filter((s) => s.id === schoolId) : this.schools;
    return schools.flatMap((s) => s.classes.flatMap((c) => this.journal(c.id).planted));
  }

  /** Live records per stream at the sandbox's now, as a full sync would mirror them. */
  counts(schoolId?: string): Record<StreamName, number> {
    const at = this.current;
    const out = Object.fromEntries(STREAM_NAMES.map((s) => [s, 0])) as Record<StreamName, number>;
    const schools = schoolId ? this.schools.filter((s) => s.id === schoolId) : this.schools;
    for (const school of schools) {
      out.schools += 1;
      out.classes += school.classes.length;
      // A subgroup is an edu-group too; its members' enrollments are its own (the persons are
      // the class's, counted once).
      for (const cls of school.classes) {
        out.classes += cls.groups.length;
        out.enrollments += cls.groups.reduce((n, g) => n + g.studentIds.length, 0);
      }
      out.subjects += school.subjects.length;
      out.workTypes += WORK_TYPES.length;
      out.persons += school.teachers.length;
      for (const cls of school.classes) {
        out.persons += cls.students.length;
        out.enrollments += cls.students.length;
        out.teacherAssignments += 1;
        out.reportingPeriods += cls.periods.length;
        const j = this.journal(cls.id);
        const liveLessons = new Set(j.lessons.filter((r) => viewAt(r, at)).map((l) => l.id));
        out.lessons += liveLessons.size;
        out.works += j.works.filter(
          (r) => r.lessonId !== null && liveLessons.has(r.lessonId) && viewAt(r, at),
        ).length;
        out.marks += j.marks.filter((r) => viewAt(r, at)).length;
        out.finalMarks += j.finalMarks.filter((r) => viewAt(r, at)).length;
        out.attendance += j.attendance.filter((r) => viewAt(r, at)).length;
      }
    }
    return out;
  }

  /** Test hook: a sudden loss of `share` of a class's live marks (for the mass-deletion guard). */
  dropMarks(classId: string, share: number): number {
    const before = this.journal(classId).marks.filter((m) => viewAt(m, this.current)).length;
    this.addOverlay(classId, { kind: 'dropMarks', at: this.current, share });
    return before - this.journal(classId).marks.filter((m) => viewAt(m, this.current)).length;
  }

  /** Test hook: the school fixes one violation (a finding of the answer key) now. */
  fixViolation(finding: FindingKey): void {
    if (finding.rule === 'mark-late') {
      throw new UnfixableError('a late mark stays late: mark-late cannot be fixed');
    }
    const classId = this.classOfFinding(finding);
    this.addOverlay(classId, { kind: 'fix', at: this.current, finding });
  }

  /**
   * Test hook: a teacher sets a mark for a lesson now (any lesson, however long ago it was).
   * Returns the new mark's id.
   */
  enterMark(lessonId: string, studentId: string, value: string): string {
    const classId = this.classOfFinding({ lesson: lessonId });
    const { school, cls } = this.classIndex.get(classId)!;
    const n = (this.overlays.get(classId) ?? []).length;
    const id = bigId('mark', schoolSalt(school), cls.index, 6_000_000_000 + n);
    this.addOverlay(classId, {
      kind: 'enterMark',
      at: this.current,
      id,
      lessonId,
      studentId,
      value,
    });
    return id;
  }

  private addOverlay(classId: string, op: Overlay): void {
    if (!this.classIndex.has(classId)) throw new Error(`unknown class ${classId}`);
    this.overlays.set(classId, [...(this.overlays.get(classId) ?? []), op]);
    // Rebuilt on next use with every overlay in order: the same result whether cached or not.
    this.cache.delete(classId);
  }

  private classOfFinding(f: Partial<FindingKey>): string {
    if (f.class) return f.class;
    for (const school of this.schools) {
      for (const cls of school.classes) {
        const j = this.journal(cls.id);
        if (
          (f.lesson && j.lessons.some((l) => l.id === f.lesson)) ||
          (f.mark &&
            (j.marks.some((m) => m.id === f.mark) || j.finalMarks.some((m) => m.id === f.mark))) ||
          (f.work && j.works.some((w) => w.id === f.work))
        ) {
          return cls.id;
        }
      }
    }
    throw new Error(`no class holds the finding ${JSON.stringify(f)}`);
  }
}
