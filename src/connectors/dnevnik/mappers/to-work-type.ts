import type { WorkTypeRecord } from '../../records.js';
import type { RawWorkType } from '../schemas/work-type.js';
import { twin } from '../schemas/common.js';

export function toWorkType(raw: RawWorkType, schoolId: string): WorkTypeRecord {
  const kind = raw.kind ?? null;
  return {
    id: twin(raw.id_str, raw.id) as string,
    schoolId: raw.schoolId ?? schoolId,
    kind,
    title: (raw.title ?? raw.name) as string,
    abbr: raw.abbr ?? raw.abbreviation ?? null,
    weight: raw.weight ?? null,
    // `work-types/{school}` has no isFinal: the period-mark kind is the final one.
    isFinal: raw.isFinal ?? kind === 'PeriodMark',
  };
}
