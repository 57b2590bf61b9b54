import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../config/schema.js';
import { PlatformError } from '../connectors/_shared/http-error.js';
import { ManualClock } from '../platform/clock.js';
import { createLogger } from '../platform/logger.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { syncSchool } from '../jobs/sync-school.js';
import { FakeConnector } from './testing/fake-connector.js';
import { fakeSchool, FAKE_SCHOOL_ID } from './testing/fake-school.js';
import { liveCounts, mirrorDigest } from './testing/mirror-digest.js';

const logger = createLogger({ level: 'silent' });
const T0 = Date.parse('2026-10-20T10:00:00+03:00');

function config(): Config {
  return configSchema.parse({
    schools: [{ id: FAKE_SCHOOL_ID, timeZone: 'Europe/Moscow', consentedPersonIds: ['20001'] }],
    jobs: { backoffMs: 0 },
  });
}

async function versions(m: TestMirror): Promise<number> {
  const rows = await m.db.query<{ n: number }>('SELECT count(*) AS n FROM record_versions');
  return Number(rows[0]!.n);
}

describe('sync engine (fake connector, SQLite)', () => {
  let m: TestMirror;
  let clock: ManualClock;
  beforeEach(async () => {
    m = await createTestMirror('sqlite');
    clock = new ManualClock(T0);
  });
  afterEach(async () => m.dispose());

  const run = (connector: FakeConnector, options = {}) =>
    syncSchool(
      { db: m.db, connector, clock, logger, config: config() },
      { schoolId: FAKE_SCHOOL_ID, ...options },
    );

  it('mirrors the whole school, and a second run changes nothing', async () => {
    const data = fakeSchool();
    const connector = new FakeConnector(data);
    const first = await run(connector);
    expect(first.status).toBe('succeeded');
    expect(first.scopesDone).toBe(first.scopesTotal);
    const counts = liveCounts(await mirrorDigest(m.db));
    expect(counts.marks).toBe(data.marks.length);
    expect(counts.attendance).toBe(data.attendance.length);
    expect(counts.lessons).toBe(data.lessons.length);
    expect(counts.persons).toBe(data.persons.length);
    // Consent applied at the mirror's door: only the consented student keeps the birthday.
    const birthdays = await m.db.query<{ id: string }>(
      'SELECT id FROM persons WHERE birthday IS NOT NULL',
    );
    expect(birthdays.map((r) => r.id)).toEqual(['20001']);

    const before = await versions(m);
    const digest = await mirrorDigest(m.db);
    clock.advance(3_600_000);
    const second = await run(connector);
    expect(second.status).toBe('succeeded');
    expect(await versions(m)).toBe(before);
    expect(await mirrorDigest(m.db)).toEqual(digest);
    // Later runs read only the recent zone and the current period, not the whole year.
    clock.advance(3_600_000);
    connector.fetches = [];
    await run(connector);
    const windows = connector.fetches.filter((f) => f.scope.from);
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.every((f) => f.scope.from! <= '2026-10-27')).toBe(true);
  });

  it('brings new, edited and deleted marks as versions', async () => {
    const data = fakeSchool();
    const connector = new FakeConnector(data);
    await run(connector);
    const before = await versions(m);
    const lessonDate = new Map(data.lessons.map((l) => [l.id, l.date]));
    const recent = data.marks.filter((x) => lessonDate.get(x.lessonId!)! >= '2026-10-14');
    recent[0]!.value = recent[0]!.value === '5' ? '4' : '5';
    const removed = recent[1]!.id;
    data.marks = data.marks.filter((x) => x.id !== removed);
    data.marks.push({ ...recent[2]!, id: 'm-new', studentId: '20002' });
    data.lessons.find((l) => l.date === '2026-10-19')!.topic = 'Тема заполнена поздно';
    clock.advance(3_600_000);
    const summary = await run(connector);
    expect(await versions(m)).toBe(before + 4);
    const marks = summary.streams.find((s) => s.stream === 'marks')!;
    expect([marks.inserted, marks.changed, marks.deleted]).toEqual([1, 1, 1]);
    const kinds = await m.db.query<{ change_kind: string; record_id: string }>(
      "SELECT change_kind, record_id FROM record_versions WHERE version > 1 OR record_id = 'm-new' ORDER BY record_id",
    );
    expect(kinds.map((k) => k.change_kind).sort()).toEqual([
      'delete',
      'insert',
      'update',
      'update',
    ]);
  });

  it('refuses a mass deletion, records why, and syncs the rest', async () => {
    const data = fakeSchool();
    const connector = new FakeConnector(data);
    await run(connector);
    const before = await mirrorDigest(m.db);
    // The platform suddenly drops half of class 5А's marks.
    const classMarks = data.marks.filter((x) => x.classId === '200');
    const dropped = new Set(classMarks.filter((_, i) => i % 2 === 0).map((x) => x.id));
    data.marks = data.marks.filter((x) => !dropped.has(x.id));
    clock.advance(3_600_000);
    const summary = await run(connector, { full: true });
    expect(summary.refusals.length).toBeGreaterThan(0);
    expect(summary.refusals.every((r) => r.stream === 'marks')).toBe(true);
    expect((await mirrorDigest(m.db)).marks).toEqual(before.marks);
    const events = await m.db.query<{ kind: string }>(
      "SELECT kind FROM operator_events WHERE kind = 'mass_deletion_refused'",
    );
    expect(events.length).toBe(summary.refusals.length);
  });

  it('resumes a failed run from its first unfinished scope', async () => {
    const data = fakeSchool();
    let calls = 0;
    const failing = new FakeConnector(data, {
      beforeFetch: () => {
        if (++calls === 12) {
          throw new PlatformError('boom', {
            kind: 'auth',
            type: 'invalidToken',
            status: 401,
            endpoint: 'GET x',
          });
        }
      },
    });
    const first = await run(failing);
    expect(first.status).toBe('partial');
    const ok = new FakeConnector(data);
    const second = await run(ok);
    expect(second.runId).toBe(first.runId);
    expect(second.resumed).toBe(true);
    expect(second.status).toBe('succeeded');
    // Only the scopes the failed run had not finished were fetched again.
    expect(ok.fetches.length).toBe(first.scopesTotal - first.scopesDone);
    const fresh = await createTestMirror('sqlite');
    try {
      await syncSchool(
        { db: fresh.db, connector: new FakeConnector(data), clock, logger, config: config() },
        { schoolId: FAKE_SCHOOL_ID },
      );
      expect(await mirrorDigest(m.db)).toEqual(await mirrorDigest(fresh.db));
    } finally {
      await fresh.dispose();
    }
  });

  it('syncs one class and a date range without touching the rest', async () => {
    const data = fakeSchool();
    const connector = new FakeConnector(data);
    const summary = await run(connector, { className: '6б', from: '2026-09-07', to: '2026-09-13' });
    expect(summary.status).toBe('succeeded');
    const classes = new Set(
      connector.fetches.filter((f) => f.scope.classId).map((f) => f.scope.classId),
    );
    expect([...classes]).toEqual(['201']);
    const lessons = await m.db.query<{ d: string }>('SELECT min(date) AS d FROM lessons');
    expect(lessons[0]!.d >= '2026-09-07').toBe(true);
  });

  it('records quarantined records and one schema-drift event per stream', async () => {
    const data = fakeSchool();
    const connector = new FakeConnector(data, {
      quarantined: [
        { stream: 'marks', reason: 'unknown mark system "xyz"', payload: { id: 1 }, ref: '1' },
      ],
    });
    const summary = await run(connector);
    const q = await m.db.query('SELECT * FROM quarantine');
    expect(q.length).toBe(1);
    const drift = await m.db.query("SELECT * FROM operator_events WHERE kind = 'schema_drift'");
    expect(drift.length).toBe(1);
    expect(summary.streams.find((s) => s.stream === 'marks')!.quarantined).toBeGreaterThan(0);
  });

  it('never infers the deletion of a record that now arrives malformed', async () => {
    const data = fakeSchool();
    await run(new FakeConnector(data));
    clock.advance(3_600_000);
    const victim = data.marks[0]!;
    const drifted = { ...data, marks: data.marks.slice(1) };
    await run(
      new FakeConnector(drifted, {
        quarantined: [
          {
            stream: 'marks',
            reason: 'unknown mark system',
            payload: { id: victim.id },
            ref: victim.id,
          },
        ],
      }),
      { full: true },
    );
    const row = await m.db.query<{ deleted_at: number | null }>(
      'SELECT deleted_at FROM marks WHERE id = ?',
      [victim.id],
    );
    expect(row[0]!.deleted_at).toBeNull();
  });

  it('infers no deletion from a fetch with an unidentifiable malformed record', async () => {
    const data = fakeSchool();
    await run(new FakeConnector(data));
    clock.advance(3_600_000);
    const gone = data.marks[0]!;
    await run(
      new FakeConnector(
        { ...data, marks: data.marks.slice(1) },
        { quarantined: [{ stream: 'marks', reason: 'no id', payload: {}, ref: null }] },
      ),
      { full: true },
    );
    const row = await m.db.query<{ deleted_at: number | null }>(
      'SELECT deleted_at FROM marks WHERE id = ?',
      [gone.id],
    );
    expect(row[0]!.deleted_at).toBeNull();
    // Once the platform sends clean data again, the real deletion is inferred.
    clock.advance(3_600_000);
    await run(new FakeConnector({ ...data, marks: data.marks.slice(1) }), { full: true });
    const after = await m.db.query<{ deleted_at: number | null }>(
      'SELECT deleted_at FROM marks WHERE id = ?',
      [gone.id],
    );
    expect(after[0]!.deleted_at).not.toBeNull();
  });
});
