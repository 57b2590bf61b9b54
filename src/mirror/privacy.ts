import type { PersonRecord, StreamName } from '../connectors/records.js';

/**
 * 152-ФЗ: without consent to data processing, the mirror keeps nothing about a student but the
 * name. Applied at the mirror's door, so no connector or sync path can bypass it. Staff (teachers,
 * administration) keep their work contacts, the e-mail and phone the platform lists for them: the
 * school needs them for its own work (alerts reach teachers at these addresses); everything else
 * about them follows the consent list like a student's. Contacts never reach a log (the logger
 * redacts addresses and phone numbers).
 */
export function minimizePerson(person: PersonRecord, consented: boolean): PersonRecord {
  if (consented) return { ...person, consent: true };
  const staff = person.role !== 'student';
  return {
    ...person,
    consent: false,
    userId: null,
    sex: null,
    birthday: null,
    email: staff ? person.email : null,
    phone: staff ? person.phone : null,
  };
}

/**
 * Keys (lower case, letters and digits only) a raw person object may keep without consent: its
 * ids, its name, its membership: what `minimizePerson` keeps of the normalized record.
 */
const PERSON_KEEPS = new Set([
  'id',
  'idstr',
  'personid',
  'personidstr',
  'firstname',
  'lastname',
  'middlename',
  'shortname',
  'fullname',
  'name',
  'membershipstatus',
]);

/**
 * Keys that hold personal data whatever the stream (by name: a payload quarantined because its
 * shape drifted may name a field in a way no schema knows yet, hence patterns, not a list).
 */
const PERSONAL_KEY =
  /birth|mail|phone|mobile|snils|passport|address|gender|^sex$|^userid(str)?$|^login$/;

const normalizeKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** What stands in for a removed value: its kind, so that the quarantine reason stays readable. */
const removed = (value: unknown): string =>
  `[removed: ${value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value}]`;

/**
 * The raw payload of a quarantined record, as far as the mirror may keep it. A record of the
 * persons stream whose id is known and consented is kept whole (the mirror keeps all of such a
 * person). Any other person payload (no consent, or an id that could not be read: a whole reply,
 * a record without id) keeps its ids, names and membership; every other value is replaced by a
 * marker of its kind, so the shape that failed validation is still visible. Payloads of other
 * streams lose the values of personal fields by name, at any depth.
 */
export function minimizeQuarantinedPayload(
  stream: StreamName,
  payload: unknown,
  ref: string | null,
  isConsented: (personId: string) => boolean,
): unknown {
  if (stream === 'persons') {
    if (ref !== null && isConsented(ref)) return payload;
    // Each object decides by its own keys: a whole reply's wrapper keeps its members' names.
    return walk(payload, (key) => !PERSON_KEEPS.has(normalizeKey(key)), false, false);
  }
  // Everything under a personal field is personal (`contacts: { mobile, home }`).
  return walk(payload, (key) => PERSONAL_KEY.test(normalizeKey(key)), true, false);
}

/**
 * A copy of `value` with the values of keys that `drop` names replaced by markers. `inherited`:
 * `value` sits under a dropped key; it reaches the items of a list always, nested objects only
 * when `deep`.
 */
function walk(
  value: unknown,
  drop: (key: string) => boolean,
  deep: boolean,
  inherited: boolean,
): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, drop, deep, inherited));
  if (value === null || typeof value !== 'object') {
    return inherited && value !== null ? removed(value) : value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = walk(v, drop, deep, drop(key) || (deep && inherited));
  }
  return out;
}
