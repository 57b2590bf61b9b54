import { describe, expect, it } from 'vitest';
import type { FetchResult } from '../connectors/connector.js';
import type { AnyRecord, StreamName } from '../connectors/records.js';
import { canonicalJson, sha1 } from '../mirror/hash.js';
import { makeScope } from './scope.js';
import { scopeHash } from './scope-sync.js';

const ALL = new Set<StreamName>(['schools', 'classes', 'subjects', 'workTypes', 'persons']);

function result(records: Partial<Record<StreamName, AnyRecord[]>>): FetchResult {
  return {
    records: records as FetchResult['records'],
    quarantined: [],
    complete: true,
    stats: { requests: 1, retries: 0 },
  };
}

describe('scopeHash', () => {
  const scope = makeScope('school', { schoolId: '1' }, ALL, 'first')!;
  const records = {
    schools: [
      {
        id: '1',
        name: 'Школа № 1',
        fullName: null,
        city: 'Пермь',
        municipality: null,
        timeZone: 'Asia/Yekaterinburg',
      },
    ],
    classes: [
      {
        id: '1810010000000002',
        schoolId: '1',
        name: '5Б',
        fullName: null,
        grade: 5,
        letter: 'Б',
        kind: 'class',
        parentIds: [],
        studyYear: 2026,
        status: null,
      },
      {
        id: '1810010000000001',
        schoolId: '1',
        name: '5А "лицей"\n',
        fullName: '5А',
        grade: 5,
        letter: 'А',
        kind: 'group',
        parentIds: ['1810010000000002', '9'],
        studyYear: null,
        status: 'active',
      },
    ],
    persons: [
      {
        id: '1000010000002',
        schoolId: '1',
        role: 'teacher',
        lastName: 'Иванова',
        firstName: 'Мария',
        middleName: null,
        fullName: 'Иванова Мария',
        consent: null,
        userId: null,
        sex: 'Female',
        birthday: null,
        email: null,
        phone: null,
      },
    ],
  } as unknown as Record<StreamName, AnyRecord[]>;

  it('is the SHA-1 of the canonical JSON of the sorted records and the consent', () => {
    const expected = sha1(
      canonicalJson({
        parts: scope.streams.map((stream) => [
          stream,
          [...(records[stream] ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
        ]),
        consent: 'consent-hash',
      }),
    );
    expect(scopeHash(scope, result(records), 'consent-hash')).toBe(expected);
  });

  it('keeps each record canonical JSON for the write', () => {
    const canonical = new Map<object, string>();
    scopeHash(scope, result(records), 'c', canonical);
    for (const list of Object.values(records)) {
      for (const r of list) expect(canonical.get(r)).toBe(canonicalJson(r));
    }
  });

  it('does not depend on the order the platform listed the records in', () => {
    const reversed = { ...records, classes: [...records.classes!].reverse() };
    expect(scopeHash(scope, result(reversed), 'c')).toBe(scopeHash(scope, result(records), 'c'));
  });
});
