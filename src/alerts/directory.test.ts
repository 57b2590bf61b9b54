import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHOOL, seedSchool, T_CT5 } from '../../test/integration/alerts-fixture.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import { loadDirectory } from './directory.js';
import { AddressBook, normalizeName } from './recipients.js';

/**
 * One mirror, two schools (a municipality's deployment): a teacher of this school whose namesake
 * works in the other school must not get an address by name from `alerts.recipients` (global),
 * or one school's letters about its students would reach the other school's teacher.
 */
describe.each(ENGINES)('the directory of a school in a mirror of several, on %s', (engine) => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror(engine);
    await seedSchool(m.db);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('knows the names of the other schools’ people, and the address book heeds them', async () => {
    const alone = await loadDirectory(m.db, SCHOOL);
    const teacher = alone.persons.get(T_CT5)!;
    const config = { [teacher.fullName]: 'ct@school.example.ru' };
    expect(new AddressBook(config, alone).forPerson(T_CT5).email).toBe('ct@school.example.ru');

    const [row] = await m.db.query('SELECT * FROM persons WHERE id = ?', [T_CT5]);
    const cols = Object.keys(row!);
    const values = cols.map((c) =>
      c === 'id' ? 'namesake-1' : c === 'school_id' ? 'other-school' : row![c],
    );
    await m.db.run(
      `INSERT INTO persons (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      values,
    );
    const dir = await loadDirectory(m.db, SCHOOL);
    expect(dir.namesElsewhere?.has(normalizeName(teacher.fullName))).toBe(true);
    expect(dir.persons.has('namesake-1')).toBe(false);
    expect(new AddressBook(config, dir).forPerson(T_CT5).email).not.toBe('ct@school.example.ru');
  });
});
