import type { ClassRecord } from '../../records.js';
import type { RawEduGroup } from '../schemas/edu-group.js';
import { twin } from '../schemas/common.js';

export function toClass(raw: RawEduGroup, schoolId: string): ClassRecord {
  const fromName = parseClassName(raw.name);
  const parallel =
    raw.parallel !== null && raw.parallel !== undefined && isGrade(raw.parallel)
      ? raw.parallel
      : null;
  return {
    id: twin(raw.id_str, raw.id) as string,
    schoolId,
    name: raw.name,
    fullName: raw.fullName ?? null,
    grade: parallel ?? fromName.grade,
    letter: fromName.letter,
    kind: raw.type === 'Group' ? 'class' : raw.type === 'Subgroup' ? 'subgroup' : 'group',
    parentIds: raw.parentIds_str ?? raw.parentIds ?? [],
    studyYear: raw.studyyear ?? null,
    status: raw.status ?? null,
  };
}

/** «5А» → 5, «А»; «10 "Б"» → 10, «Б»; «Хор» → null, null. */
export function parseClassName(name: string): { grade: number | null; letter: string | null } {
  const m = /^\s*(\d{1,2})\s*[-–]?\s*["«]?\s*([А-ЯЁа-яёA-Za-z])?/.exec(name);
  if (!m?.[1]) return { grade: null, letter: null };
  const grade = Number(m[1]);
  return { grade: isGrade(grade) ? grade : null, letter: m[2] ? m[2].toUpperCase() : null };
}

function isGrade(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 11;
}
