import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRecord } from '../connectors/records.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { upsertRecords, type WriteContext } from './mirror-writer.js';

/**
 * In service mode two workers write scopes of the same school at once, and some records belong to
 * two scopes (a student is in the class's roster and in a subgroup's). On PostgreSQL both
 * transactions read "no such row", both write its first version, and the second failed on the
 * versions' key: its scope job spent an attempt (and a retry) on nothing.
 */
const ctx: WriteContext = {
  source: 'dnevnik',
  schoolId: '900',
  zone: 'Europe/Moscow',
  observedAt: 1_790_000_000_000,
  syncRunId: null,
};

const person = (id: string): PersonRecord => ({
  id,
  schoolId: '900',
  role: 'student',
  lastName: 'Иванова',
  firstName: 'Анна',
  middleName: null,
  fullName: 'Иванова Анна',
  consent: null,
  userId: null,
  sex: null,
  birthday: null,
  email: null,
  phone: null,
});

describe('mirror writes of the same new records from two transactions at once (postgres)', () => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror('postgres');
  });
  afterAll(async () => m?.dispose());

  it('both commit, and each record has exactly one first version', async () => {
    for (let round = 0; round < 5; round++) {
      const batch = Array.from({ length: 50 }, (_, i) => person(`${round}-${i}`));
      const write = () =>
        m.db.transaction(async (tx) => {
          await upsertRecords(tx, 'persons', batch, ctx);
          // The rest of a scope's transaction: its other streams, its checkpoint.
          await new Promise((r) => setTimeout(r, 20));
        });
      await Promise.all([write(), write()]);
    }
    const versions = await m.db.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM record_versions WHERE entity = 'persons'`,
    );
    expect(Number(versions[0]!.n)).toBe(250);
  });
});
