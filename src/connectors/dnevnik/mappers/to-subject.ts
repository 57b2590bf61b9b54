import type { SubjectRecord } from '../../records.js';
import type { RawSubject } from '../schemas/subject.js';
import { twin } from '../schemas/common.js';

export function toSubject(raw: RawSubject, schoolId: string): SubjectRecord {
  return {
    id: twin(raw.id_str, raw.id) as string,
    schoolId,
    name: raw.name,
    knowledgeArea: knowledgeAreaName(raw.knowledgeArea),
  };
}

/** A name, or an object carrying one; anything else is not kept. */
function knowledgeAreaName(value: unknown): string | null {
  if (typeof value === 'string') return value || null;
  if (
    value &&
    typeof value === 'object' &&
    typeof (value as { name?: unknown }).name === 'string'
  ) {
    return (value as { name: string }).name || null;
  }
  return null;
}
