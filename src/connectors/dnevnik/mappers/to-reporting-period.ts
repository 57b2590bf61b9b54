import type { ReportingPeriodRecord } from '../../records.js';
import { toLocalDate } from '../dates.js';
import { periodTypeOf } from '../period-types.js';
import type { RawReportingPeriod } from '../schemas/reporting-period.js';
import { twin } from '../schemas/common.js';

/** Periods are listed per class, so the record id joins class and period. Schema checked type and dates. */
export function toReportingPeriod(raw: RawReportingPeriod, classId: string): ReportingPeriodRecord {
  const periodId = twin(raw.id_str, raw.id) as string;
  return {
    id: `${classId}:${periodId}`,
    periodId,
    classId,
    type: periodTypeOf(raw.type) ?? 'year',
    number: raw.number,
    name: raw.name,
    start: toLocalDate(raw.start) as string,
    finish: toLocalDate(raw.finish) as string,
    year: raw.year ?? null,
  };
}
