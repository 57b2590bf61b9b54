import type { FinalMarkRecord, PeriodType } from '../../records.js';
import { toLocalDateTime } from '../dates.js';
import { periodTypeOf } from '../period-types.js';
import type { RawMark } from '../schemas/mark.js';
import { markValue } from './mark-value.js';
import type { RawWork } from '../schemas/work.js';
import { twin } from '../schemas/common.js';

/**
 * The class's reporting periods, so that both reply shapes yield the same record: the per-student
 * shape names the period id, the bundled shape names the period's type and number (on its work).
 */
export interface PeriodIndex {
  byId(periodId: string): { type: PeriodType; number: number } | null;
  idOf(type: PeriodType, number: number): string | null;
}

/** Where a final mark belongs, as far as its reply tells. */
export interface FinalMarkPlace {
  classId: string;
  studentId: string;
  subjectId: string;
  periodId: string | null;
  /** The work of the mark, when the reply lists it (bundled shape). */
  work: RawWork | null;
}

/**
 * A final mark the platform places in no reporting period (J's `reportingPeriod` may be null; A
 * sees works of types `Exam` and `PeriodFinalMark` besides `PeriodMark`) is not lost: on an
 * `Exam` work it is the exam mark («экзаменационная», `periodType: 'exam'`), otherwise the year's
 * («годовая» / «итоговая», `'year'`), which is what a final mark outside the periods is at a school.
 */
export function toFinalMark(
  raw: RawMark,
  place: FinalMarkPlace,
  periods: PeriodIndex,
): FinalMarkRecord {
  const fromWork = place.work
    ? { type: periodTypeOf(place.work.periodType), number: place.work.periodNumber ?? null }
    : null;
  let periodId = place.periodId;
  let periodType: string | null = null;
  let periodNumber: number | null = null;
  if (periodId !== null) {
    const period = periods.byId(periodId);
    periodType = period?.type ?? fromWork?.type ?? null;
    periodNumber = period?.number ?? fromWork?.number ?? null;
  } else if (fromWork) {
    periodType = fromWork.type ?? place.work?.periodType ?? null;
    periodNumber = fromWork.number;
    if (fromWork.type && fromWork.number !== null) {
      periodId = periods.idOf(fromWork.type, fromWork.number);
    }
  }
  if (place.work?.type?.toLowerCase() === 'exam') {
    // An exam mark is nobody's period mark, whatever period its work names.
    periodId = null;
    periodType = 'exam';
    periodNumber = null;
  } else if (periodId === null && periodType === null) {
    periodType = 'year';
  }
  return {
    id: twin(raw.id_str, raw.id) as string,
    studentId: place.studentId,
    classId: place.classId,
    subjectId: place.subjectId,
    periodId,
    periodType,
    periodNumber,
    value: markValue(raw),
    markSystem: raw.type ? raw.type.toLowerCase() : null,
    date: toLocalDateTime(raw.date),
    workId: twin(raw.work_str, raw.work),
  };
}
