import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArchive } from '../../src/archive/create.js';
import { extractArchive } from '../../src/archive/extract.js';
import { testArchiveDeps } from '../../src/archive/testing/deps.js';
import { configSchema } from '../../src/config/schema.js';
import type { QuarantinedRecord } from '../../src/connectors/connector.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { syncSchool } from '../../src/jobs/sync-school.js';
import { FakeConnector } from '../../src/sync/testing/fake-connector.js';
import { fakeSchool, FAKE_SCHOOL_ID } from '../../src/sync/testing/fake-school.js';
import { createTestMirror, ENGINES, type TestMirror } from '../helpers/mirrors.js';

/**
 * 152-ФЗ in the quarantine: a record quarantined for its shape keeps no more personal data than
 * the mirror keeps of that person, in the mirror and in every archive made from it.
 */

const BIRTH = '2013-05-17';
const MAIL = 'ivanova.m@example.ru';
const PHONE = '+7 912 345-67-89';
const SECRETS = [BIRTH, MAIL, PHONE, '89123456789', 'street 5'];

const quarantined: QuarantinedRecord[] = [
  // A student without consent whose `sex` drifted into a number.
  {
    stream: 'persons',
    reason: 'sex: Invalid input: expected string, received number',
    payload: {
      id_str: '30001',
      firstName: 'Мария',
      lastName: 'Иванова',
      sex: 2,
      birthday: BIRTH,
      email: MAIL,
      phone: PHONE,
      contacts: { mobile: '89123456789', home: 'street 5' },
    },
    ref: '30001',
  },
  // A teacher (staff) without consent, PascalCase as the platform sends them.
  {
    stream: 'persons',
    reason: 'FirstName: Invalid input: expected string, received undefined',
    payload: { IdStr: '30002', LastName: 'Петров', DateBirth: BIRTH, Email: MAIL },
    ref: '30002',
  },
  // A whole reply that was not a list: nobody's id can be read.
  {
    stream: 'persons',
    reason: 'persons: expected a list, got an object',
    payload: { persons: [{ firstName: 'Олег', lastName: 'Сидоров', birthDate: BIRTH }] },
    ref: null,
  },
  // A mark whose author block carries contacts.
  {
    stream: 'marks',
    reason: 'value: Invalid input',
    payload: { id: '40001', value: {}, author: { name: 'Учитель', phoneNumber: PHONE } },
    ref: '40001',
  },
  // The consented student: the mirror keeps all of it, so does the quarantine.
  {
    stream: 'persons',
    reason: 'sex: Invalid input: expected string, received number',
    payload: { id_str: '20001', firstName: 'Анна', lastName: 'Смирнова', birthday: '2014-01-01' },
    ref: '20001',
  },
];

describe.each(ENGINES)('quarantined payloads pass the privacy filter (%s)', (engine) => {
  let m: TestMirror;
  let dir: string;
  beforeEach(async () => {
    m = await createTestMirror(engine);
    dir = mkdtempSync(join(tmpdir(), 'ezh-qpriv-'));
  });
  afterEach(async () => {
    await m.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores and archives a non-consented person without birth date, e-mail or phone', async () => {
    const config = configSchema.parse({
      schools: [{ id: FAKE_SCHOOL_ID, timeZone: 'Europe/Moscow', consentedPersonIds: ['20001'] }],
      jobs: { backoffMs: 0 },
    });
    const summary = await syncSchool(
      {
        db: m.db,
        connector: new FakeConnector(fakeSchool(), { quarantined }),
        clock: new ManualClock(Date.parse('2026-10-20T10:00:00+03:00')),
        logger: createLogger({ level: 'silent' }),
        config,
      },
      { schoolId: FAKE_SCHOOL_ID },
    );
    expect(summary.status).toBe('succeeded');

    const rows = await m.db.query<{ record_ref: string | null; payload: string }>(
      'SELECT record_ref, payload FROM quarantine ORDER BY id',
    );
    // Distinct rows: the fake platform sends each bad record with every fetch of its stream, and
    // on PostgreSQL two scopes committing at once may both store one (a known race of the
    // quarantine's de-duplication, not of its privacy).
    expect(new Set(rows.map((r) => `${r.record_ref}|${r.payload}`)).size).toBe(quarantined.length);
    const byRef = new Map(rows.map((r) => [r.record_ref, JSON.parse(r.payload) as unknown]));
    // What the mirror keeps of a person without consent: ids and names, nothing else.
    expect(byRef.get('30001')).toEqual({
      id_str: '30001',
      firstName: 'Мария',
      lastName: 'Иванова',
      sex: '[removed: number]',
      birthday: '[removed: string]',
      email: '[removed: string]',
      phone: '[removed: string]',
      contacts: { mobile: '[removed: string]', home: '[removed: string]' },
    });
    expect(byRef.get('30002')).toEqual({
      IdStr: '30002',
      LastName: 'Петров',
      DateBirth: '[removed: string]',
      Email: '[removed: string]',
    });
    expect(byRef.get(null)).toEqual({
      persons: [{ firstName: 'Олег', lastName: 'Сидоров', birthDate: '[removed: string]' }],
    });
    expect(byRef.get('40001')).toEqual({
      id: '40001',
      value: {},
      author: { name: 'Учитель', phoneNumber: '[removed: string]' },
    });
    expect(byRef.get('20001')).toMatchObject({ birthday: '2014-01-01' });
    const stored = rows.map((r) => r.payload).join('\n');
    for (const secret of SECRETS) expect(stored).not.toContain(secret);

    const deps = testArchiveDeps(m, { destinations: [join(dir, 'dest')], workDir: dir });
    const result = await createArchive(deps, { kind: 'regular', schoolId: FAKE_SCHOOL_ID });
    const extracted = await extractArchive(result.paths[0]!, dir);
    try {
      const exported = ['quarantine.jsonl', 'quarantine.csv']
        .map((f) => readFileSync(join(extracted.root, 'export', f), 'utf8'))
        .join('\n');
      expect(exported).toContain('Иванова');
      for (const secret of SECRETS) expect(exported).not.toContain(secret);
      // A SQLite mirror is archived as a snapshot file too (PostgreSQL: the export is the snapshot).
      const snapshotFile = join(extracted.root, 'snapshot', 'mirror.sqlite');
      expect(existsSync(snapshotFile)).toBe(engine === 'sqlite');
      if (engine === 'sqlite') {
        const snapshot = new Database(snapshotFile, { readonly: true });
        const snapRows = snapshot.prepare('SELECT payload FROM quarantine').all() as {
          payload: string;
        }[];
        snapshot.close();
        expect(new Set(snapRows.map((r) => r.payload)).size).toBe(quarantined.length);
        const archived = snapRows.map((r) => r.payload).join('\n');
        for (const secret of SECRETS) expect(archived).not.toContain(secret);
      }
    } finally {
      extracted.dispose();
    }
  });

  it('scrubs rows stored raw before the filter, and after a consent is withdrawn', async () => {
    const insert = (ref: string, payload: object) =>
      m.db.run(
        `INSERT INTO quarantine (source, school_id, stream, record_ref, reason, payload, observed_at, sync_run_id)
         VALUES ('dnevnik', ?, 'persons', ?, 'legacy', ?, 0, NULL)`,
        [FAKE_SCHOOL_ID, ref, JSON.stringify(payload)],
      );
    // Stored raw by an ezh without the filter; 20002 was consented then, is no longer.
    await insert('30001', { id_str: '30001', lastName: 'Иванова', birthday: BIRTH, email: MAIL });
    await insert('20002', { id_str: '20002', lastName: 'Орлова', phone: PHONE });
    await insert('20001', { id_str: '20001', lastName: 'Смирнова', birthday: '2014-01-01' });
    const config = configSchema.parse({
      schools: [{ id: FAKE_SCHOOL_ID, timeZone: 'Europe/Moscow', consentedPersonIds: ['20001'] }],
      jobs: { backoffMs: 0 },
    });
    await syncSchool(
      {
        db: m.db,
        connector: new FakeConnector(fakeSchool()),
        clock: new ManualClock(Date.parse('2026-10-20T10:00:00+03:00')),
        logger: createLogger({ level: 'silent' }),
        config,
      },
      { schoolId: FAKE_SCHOOL_ID },
    );
    const rows = await m.db.query<{ record_ref: string; payload: string }>(
      'SELECT record_ref, payload FROM quarantine ORDER BY record_ref',
    );
    expect(rows.map((r) => [r.record_ref, JSON.parse(r.payload) as unknown])).toEqual([
      ['20001', { id_str: '20001', lastName: 'Смирнова', birthday: '2014-01-01' }],
      ['20002', { id_str: '20002', lastName: 'Орлова', phone: '[removed: string]' }],
      [
        '30001',
        {
          id_str: '30001',
          lastName: 'Иванова',
          birthday: '[removed: string]',
          email: '[removed: string]',
        },
      ],
    ]);
  });
});
