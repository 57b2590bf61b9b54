import { expectedMark, isNumericMark } from './averages.js';
import { pushTo } from './rows.js';
import type { Draft } from './draft.js';
import { dayNo, localDayOf, localInstant, MINUTE, naiveLocal } from './local-time.js';
import type { FinalMarkRow, WorkRow } from './model.js';
import { finalState } from './rows.js';
import { workTypeById, workTypeByKind } from './work-types.js';

/**
 * Period marks («четвертные / полугодовые»): for every student enrolled at the period's end and
 * every subject, the weighted average of the final state of their current marks rounded by the
 * `math` profile — entered after the period's last mark appears and before the deadline of the
 * director's order.
 */
export function buildFinalMarks(d: Draft): void {
  const { cls, rng, offset, school } = d;
  if (cls.grade === 1) return;
  const periodMarkType = workTypeByKind('PeriodMark');
  for (const p of cls.periods) {
    const inPeriod = d.marks.filter(
      (m) => m.day >= p.startDay && m.day <= p.finishDay && m.deletedAt === null,
    );
    const byPair = new Map<string, typeof inPeriod>();
    for (const m of inPeriod) {
      const k = `${m.studentId}|${m.subjectId}`;
      pushTo(byPair, k, m);
    }
    const lastLesson = Math.max(...d.lessons.filter((l) => l.day <= p.finishDay).map((l) => l.day));
    const lastAppear = Math.max(
      localInstant(lastLesson, 16 * 60, offset),
      ...inPeriod.map((m) => m.appearAt),
    );
    const deadlineDate = school.calendar.finalMarkDeadlines[p.name] ?? p.finish;
    const latest = localInstant(dayNo(deadlineDate), 12 * 60, offset);
    for (const subject of cls.subjects) {
      const work: WorkRow = {
        id: d.nextFinalWorkId(),
        lessonId: null,
        classId: cls.id,
        subjectId: subject.subjectId,
        type: 'PeriodMark',
        workTypeId: periodMarkType.id,
        kind: 'PeriodMark',
        text: null,
        targetDate: null,
        sentDate: null,
        createdBy: subject.teacherId,
        periodNumber: p.number,
        periodType: p.kind,
        appearAt: Infinity,
        deletedAt: null,
      };
      for (const s of cls.students) {
        if (s.leaveDay !== null && s.leaveDay <= p.finishDay) continue;
        const own = (byPair.get(`${s.id}|${subject.subjectId}`) ?? [])
          .map(finalState)
          .filter((m) => m.countsInAverage && isNumericMark(m.value));
        const value =
          expectedMark(
            own.map((m) => ({
              value: Number(m.value),
              weight: workTypeById(m.workTypeId)?.weight ?? 1,
            })),
          ) ?? '3';
        const appearAt = Math.min(
          latest,
          lastAppear + rng.int(60, 30 * 60) * MINUTE + rng.int(0, 59_999),
        );
        const row: FinalMarkRow = {
          id: d.nextFinalMarkId(),
          workId: work.id,
          classId: cls.id,
          subjectId: subject.subjectId,
          studentId: s.id,
          periodId: p.id,
          periodNumber: p.number,
          periodKind: p.kind,
          value,
          date: naiveLocal(appearAt, offset, rng.chance(0.5)),
          day: localDayOf(appearAt, offset),
          appearAt,
          deletedAt: null,
        };
        work.appearAt = Math.min(work.appearAt, appearAt);
        d.finalMarks.push(row);
      }
      if (work.appearAt !== Infinity) d.finalWorks.push(work);
    }
  }
}
