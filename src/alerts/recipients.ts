import type { Directory } from './directory.js';

/**
 * Who a letter goes to. `key` identifies the recipient in the delivery bookkeeping and survives
 * address changes (a teacher whose e-mail is corrected is not sent everything again).
 */
export interface Recipient {
  key: string;
  personId: string | null;
  /** Full name for the greeting, or the address for a plain-address subscriber. */
  name: string;
  /** «Анна Петровна», for the greeting; null: a neutral greeting. */
  addressAs: string | null;
  email: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Names as people type them in YAML: case, «ё» and spacing do not matter. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
}

/**
 * Resolves addresses: `alerts.recipients` (person id → address, or full name → address) wins over
 * the platform's `persons.email`, which is often empty. A name shared by two persons is never used
 * to pick an address, whether they are of this school or of two schools of one mirror (the names
 * of `alerts.recipients` are global): a letter about one teacher's class must not reach a
 * namesake. Such a person needs their id in `alerts.recipients`.
 */
export class AddressBook {
  private readonly byId = new Map<string, string>();
  private readonly byName = new Map<string, string>();
  private readonly personsByName = new Map<string, string[]>();

  constructor(
    configured: Record<string, string>,
    private readonly dir: Directory,
  ) {
    for (const [k, email] of Object.entries(configured)) {
      if (/^\d+$/.test(k.trim())) this.byId.set(k.trim(), email);
      else this.byName.set(normalizeName(k), email);
    }
    for (const [id, p] of dir.persons) {
      const n = normalizeName(p.fullName);
      this.personsByName.set(n, [...(this.personsByName.get(n) ?? []), id]);
    }
  }

  forPerson(personId: string): Recipient {
    const person = this.dir.persons.get(personId);
    const name = person?.fullName ?? `(id ${personId})`;
    let email = this.byId.get(personId) ?? null;
    if (!email && person) {
      const n = normalizeName(person.fullName);
      const unique =
        (this.personsByName.get(n)?.length ?? 0) === 1 && !this.dir.namesElsewhere?.has(n);
      if (unique) email = this.byName.get(n) ?? null;
    }
    email ??= person?.email && EMAIL.test(person.email) ? person.email : null;
    return {
      key: `person:${personId}`,
      personId,
      name,
      addressAs: person?.addressAs ?? null,
      email,
    };
  }

  /** A subscription entry: an address, a person id, or a full name. */
  forSubscriber(entry: string): Recipient {
    const value = entry.trim();
    if (EMAIL.test(value)) {
      return {
        key: `addr:${value.toLowerCase()}`,
        personId: null,
        name: value,
        addressAs: null,
        email: value,
      };
    }
    if (/^\d+$/.test(value)) return this.forPerson(value);
    const n = normalizeName(value);
    const ids = this.personsByName.get(n) ?? [];
    if (ids.length === 1 && ids[0] !== undefined) return this.forPerson(ids[0]);
    // Staff such as the deputy director may not be in the mirror: the configured name is enough.
    return {
      key: `name:${n}`,
      personId: null,
      name: value,
      addressAs: null,
      email: this.byName.get(n) ?? null,
    };
  }
}
