import type { PersonRecord } from '../connectors/records.js';

/**
 * 152-ФЗ: without consent to data processing, the mirror keeps nothing about a person but the
 * name. Applied at the mirror's door, so no connector or sync path can bypass it.
 */
export function minimizePerson(person: PersonRecord, consented: boolean): PersonRecord {
  if (consented) return { ...person, consent: true };
  return {
    ...person,
    consent: false,
    userId: null,
    sex: null,
    birthday: null,
    email: null,
    phone: null,
  };
}
