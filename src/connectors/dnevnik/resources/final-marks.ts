import type { FinalMarkRecord } from '../../records.js';
import type { FetchSink } from '../fetch-sink.js';
import { toFinalMark, type PeriodIndex } from '../mappers/to-final-mark.js';
import { twin } from '../schemas/common.js';
import {
  bundledFinalMarksSchema,
  perStudentFinalMarksSchema,
  subjectFinalMarkSchema,
} from '../schemas/final-marks.js';
import { markBodySchema, markSchema } from '../schemas/mark.js';
import { workSchema, type RawWork } from '../schemas/work.js';

/**
 * Maps `edu-groups/{g}/final-marks` in either of its known shapes (a list per student, or one
 * bundle of marks and works) to the same records.
 */
export function mapFinalMarks(
  reply: unknown,
  classId: string,
  periods: PeriodIndex,
  sink: FetchSink,
): FinalMarkRecord[] {
  if (reply === null) return [];
  if (Array.isArray(reply)) return fromPerStudent(reply, classId, periods, sink);
  if (typeof reply === 'object' && Array.isArray((reply as { marks?: unknown }).marks)) {
    return fromBundle(reply, classId, periods, sink);
  }
  sink.quarantine(
    'finalMarks',
    'final-marks: neither a list per student nor a {marks, works} bundle',
    reply,
  );
  sink.complete = false;
  return [];
}

function fromPerStudent(
  reply: unknown[],
  classId: string,
  periods: PeriodIndex,
  sink: FetchSink,
): FinalMarkRecord[] {
  const out: FinalMarkRecord[] = [];
  for (const rawEntry of reply) {
    const entry = sink.one('finalMarks', perStudentFinalMarksSchema, rawEntry);
    if (!entry) continue;
    const studentId = twin(entry.person_str, entry.person) as string;
    for (const rawSubject of entry['per-subject-final-marks']) {
      const perSubject = sink.one('finalMarks', subjectFinalMarkSchema, rawSubject);
      if (!perSubject) continue;
      // A subject without a final mark yet is listed with a null mark.
      if (perSubject['final-mark'] === null || perSubject['final-mark'] === undefined) continue;
      const mark = sink.one('finalMarks', markBodySchema, perSubject['final-mark']);
      if (!mark) continue;
      out.push(
        toFinalMark(
          mark,
          {
            // The class read: a split subject's mark may name its subgroup, and a student's
            // final mark is the class's, whatever fetch saw it.
            classId,
            studentId: twin(mark.person_str, mark.person) ?? studentId,
            subjectId: twin(perSubject.subject_str, perSubject.subject) as string,
            periodId: twin(entry.reportingPeriod_str, entry.reportingPeriod),
            work: null,
          },
          periods,
        ),
      );
    }
  }
  return out;
}

function fromBundle(
  reply: unknown,
  classId: string,
  periods: PeriodIndex,
  sink: FetchSink,
): FinalMarkRecord[] {
  const bundle = sink.one('finalMarks', bundledFinalMarksSchema, reply);
  if (!bundle) {
    sink.complete = false;
    return [];
  }
  const works = new Map<string, RawWork>();
  for (const rawWork of bundle.works ?? []) {
    const work = workSchema.safeParse(rawWork);
    if (work.success) works.set(twin(work.data.id_str, work.data.id) as string, work.data);
  }
  const out: FinalMarkRecord[] = [];
  for (const rawMark of bundle.marks) {
    const mark = sink.one('finalMarks', markSchema, rawMark);
    if (!mark) continue;
    const workId = twin(mark.work_str, mark.work);
    const work = workId ? (works.get(workId) ?? null) : null;
    const subjectId =
      twin(mark.subject_str, mark.subject) ??
      (work ? twin(work.subjectId_str, work.subjectId) : null);
    if (!subjectId) {
      sink.quarantine(
        'finalMarks',
        'subject: is required (neither the mark nor its work names one)',
        rawMark,
      );
      continue;
    }
    out.push(
      toFinalMark(
        mark,
        {
          classId,
          studentId: twin(mark.person_str, mark.person) as string,
          subjectId,
          periodId: null,
          work,
        },
        periods,
      ),
    );
  }
  return out;
}
