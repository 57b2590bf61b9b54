import type { WorkTypeRecord } from '../../records.js';
import type { RawWorkType } from '../schemas/work-type.js';
import { twin } from '../schemas/common.js';

const FINAL_KINDS = new Set(['PeriodMark', 'PeriodFinalMark', 'Exam']);

export function toWorkType(raw: RawWorkType, schoolId: string): WorkTypeRecord {
  const kind = raw.kind ?? null;
  return {
    id: twin(raw.id_str, raw.id) as string,
    schoolId: raw.schoolId ?? schoolId,
    kind,
    title: (raw.title ?? raw.name) as string,
    abbr: raw.abbr ?? raw.abbreviation ?? null,
    weight: raw.weight ?? null,
    // `work-types/{school}` has no isFinal: the kinds of period, year/final and exam marks are
    // the final ones (reference §7: `PeriodMark`, `PeriodFinalMark`, `Exam`).
    isFinal: raw.isFinal ?? FINAL_KINDS.has(kind ?? ''),
  };
}
