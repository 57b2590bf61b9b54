import type { PersonRecord } from '../../records.js';
import { toLocalDate } from '../dates.js';
import type { RawPerson } from '../schemas/person.js';
import type { RawSchoolTeacher } from '../schemas/school-teacher.js';
import { twin } from '../schemas/common.js';

/** A class member (`edu-groups/{g}/persons`). Consent is left null: the sync applies the school's list. */
export function studentToPerson(raw: RawPerson, schoolId: string): PersonRecord {
  return {
    id: twin(raw.id_str, raw.id) as string,
    schoolId,
    role: 'student',
    lastName: raw.lastName,
    firstName: raw.firstName,
    middleName: raw.middleName || null,
    fullName: fullName(raw.lastName, raw.firstName, raw.middleName),
    consent: null,
    userId: twin(raw.userId_str, raw.userId),
    sex: raw.sex ?? null,
    birthday: birthday(raw.birthday),
    email: null,
    phone: null,
  };
}

/** A teacher of `schools/{id}/teachers` (PascalCase fields). */
export function teacherToPerson(raw: RawSchoolTeacher, schoolId: string): PersonRecord {
  return {
    id: twin(raw.IdStr, raw.Id) as string,
    schoolId,
    role: 'teacher',
    lastName: raw.LastName,
    firstName: raw.FirstName,
    middleName: raw.MiddleName || null,
    fullName: fullName(raw.LastName, raw.FirstName, raw.MiddleName),
    consent: null,
    userId: twin(raw.UserIdStr, raw.UserId),
    sex: raw.Sex ?? null,
    birthday: birthday(raw.DateBirth),
    email: raw.Email || null,
    phone: null,
  };
}

function fullName(last: string, first: string, middle: string | null | undefined): string {
  return [last, first, middle]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(' ');
}

/** .NET sends `0001-01-01T00:00:00` for an unknown date. */
function birthday(value: string | null | undefined): string | null {
  const date = toLocalDate(value);
  return date && date >= '1900-01-01' ? date : null;
}
