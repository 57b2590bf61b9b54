import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { liveCounts, mirrorDigest } from '../../src/sync/testing/mirror-digest.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';

const DAY = 86_400_000;

async function versionCount(m: TestMirror): Promise<number> {
  const rows = await m.db.query<{ n: number }>('SELECT count(*) AS n FROM record_versions');
  return Number(rows[0]!.n);
}

describe('sync against the sandbox platform (small school)', () => {
  let clean: SandboxServer;
  let faulty: SandboxServer;
  let reference: TestMirror;
  let faultyMirror: TestMirror;

  beforeAll(async () => {
    clean = await startSandbox({ size: 'small', seed: 11 });
    faulty = await startSandbox({
      size: 'small',
      seed: 11,
      // Timeouts are left out: a held socket costs the client's whole timeout per fault.
      faults: {
        rate: 0.1,
        seed: 5,
        kinds: ['429', '433', 'limitBody', 'html502', 'slow'],
        slowMs: 50,
      },
    });
    reference = await createTestMirror('sqlite');
    faultyMirror = await createTestMirror('sqlite');
  });

  afterAll(async () => {
    await reference?.dispose();
    await faultyMirror?.dispose();
    await clean?.close();
    await faulty?.close();
  });

  it('mirrors counts equal to the sandbox, and with 10 % faults the same mirror as without', async () => {
    const schoolId = clean.schools[0]!.id;
    const a = await syncSandboxSchool(reference.db, sandboxConfig(clean), clean.clock, schoolId);
    expect(a.status).toBe('succeeded');
    const counts = liveCounts(await mirrorDigest(reference.db, schoolId));
    expect(counts).toEqual(clean.counts(schoolId));

    const b = await syncSandboxSchool(
      faultyMirror.db,
      sandboxConfig(faulty),
      faulty.clock,
      schoolId,
    );
    expect(b.status).toBe('succeeded');
    expect(b.streams.reduce((n, s) => n + s.retries, 0)).toBeGreaterThan(0);
    expect(liveCounts(await mirrorDigest(faultyMirror.db, schoolId))).toEqual(
      faulty.counts(schoolId),
    );
    expect(await mirrorDigest(faultyMirror.db, schoolId)).toEqual(
      await mirrorDigest(reference.db, schoolId),
    );
    // A full-year sync stays within 3 requests per class per week of the year (+ a constant).
    const classes = counts.classes!;
    expect(a.requests).toBeLessThanOrEqual(3 * classes * 40 + 20);
  });

  it('an incremental sync after the timeline moves brings exactly the changes; the next brings nothing', async () => {
    const schoolId = clean.schools[0]!.id;
    const config = sandboxConfig(clean);
    clean.advance(2 * DAY);
    const before = await versionCount(reference);
    const inc = await syncSandboxSchool(reference.db, config, clean.clock, schoolId);
    expect(inc.status).toBe('succeeded');
    const after = await versionCount(reference);
    expect(after).toBeGreaterThan(before);

    // The mirror now equals a fresh full read of the platform at the same moment.
    const fresh = await createTestMirror('sqlite');
    try {
      await syncSandboxSchool(fresh.db, config, clean.clock, schoolId, { full: true });
      expect(await mirrorDigest(reference.db, schoolId)).toEqual(
        await mirrorDigest(fresh.db, schoolId),
      );
    } finally {
      await fresh.dispose();
    }
    // Every change is one version: the versions added equal the rows inserted, changed or deleted.
    const changed = inc.streams.reduce((n, s) => n + s.inserted + s.changed + s.deleted, 0);
    expect(after - before).toBe(changed);
    const kinds = await reference.db.query<{ change_kind: string }>(
      "SELECT DISTINCT change_kind FROM record_versions WHERE entity = 'marks' AND sync_run_id = ?",
      [inc.runId],
    );
    expect(kinds.map((k) => k.change_kind).sort()).toEqual(expect.arrayContaining(['insert']));

    const again = await syncSandboxSchool(reference.db, config, clean.clock, schoolId);
    expect(again.status).toBe('succeeded');
    expect(await versionCount(reference)).toBe(after);
  });

  it('refuses a sudden drop of half a class marks and records the refusal', async () => {
    const schoolId = clean.schools[0]!.id;
    const config = sandboxConfig(clean);
    const classRow = (
      await reference.db.query<{ id: string }>('SELECT id FROM classes ORDER BY name LIMIT 1')
    )[0]!;
    const before = await mirrorDigest(reference.db, schoolId);
    const dropped = clean.dropMarks(classRow.id, 0.5);
    expect(dropped).toBeGreaterThan(0);
    const run = await syncSandboxSchool(reference.db, config, clean.clock, schoolId, {
      full: true,
    });
    expect(run.refusals.length).toBeGreaterThan(0);
    expect(
      run.refusals.every((r) => r.stream === 'marks' && r.scope.includes(`/${classRow.id}/`)),
    ).toBe(true);
    expect((await mirrorDigest(reference.db, schoolId)).marks).toEqual(before.marks);
    const events = await reference.db.query(
      "SELECT * FROM operator_events WHERE kind = 'mass_deletion_refused'",
    );
    expect(events.length).toBe(run.refusals.length);
    const notes = await reference.db.query<{ notes: string }>(
      'SELECT notes FROM sync_runs WHERE id = ?',
      [run.runId],
    );
    expect(JSON.parse(notes[0]!.notes).refusals.length).toBe(run.refusals.length);
  });
});
