import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, ENGINES, type TestMirror } from '../../../test/helpers/mirrors.js';
import {
  SCHOOL_ID,
  ZONE,
  seedChecks,
  seedSchool,
  testApp,
} from '../../../test/fixtures/reports/school-fixture.js';
import { reportsDocumentRenderer } from '../../app/archive-documents.js';
import { localToInstant } from '../../platform/time.js';
import { loadAudit } from '../data/audit.js';
import { recordAuditNote } from '../data/audit-notes.js';
import type { SchoolInfo } from '../data/school.js';
import { auditDocument } from '../documents/audit.js';

/**
 * Only a справка handed to the deputy director moves the next one's window: not an archive's copy,
 * not a print as of another instant, not a draft, and not a re-print later the same day.
 */

const at = (local: string): number => localToInstant(local, ZONE);
const school: SchoolInfo = {
  id: SCHOOL_ID,
  name: 'Школа № 1',
  zone: ZONE,
  director: null,
  deputyDirector: 'Смирнова Е. В.',
};

describe.each(ENGINES)('which справки count as issued (%s)', (engine) => {
  let mirror: TestMirror;
  beforeAll(async () => {
    mirror = await createTestMirror(engine);
    await seedSchool(mirror.db);
    await seedChecks(mirror.db);
  });
  afterAll(async () => mirror?.dispose());

  it('a re-print later the same day keeps the window of the справка issued that morning', async () => {
    await recordAuditNote(mirror.db, {
      schoolId: SCHOOL_ID,
      asOf: at('2026-10-10T12:00:00'),
      from: at('2026-09-30T00:00:00'),
      runId: null,
      fileName: 'audit-100-2026-10-10.pdf',
      issuedAt: at('2026-10-10T12:05:00'),
    });
    await recordAuditNote(mirror.db, {
      schoolId: SCHOOL_ID,
      asOf: at('2026-10-20T09:00:00'),
      from: at('2026-10-10T12:00:00'),
      runId: null,
      fileName: 'audit-100-2026-10-20.pdf',
      issuedAt: at('2026-10-20T09:05:00'),
    });
    // The run of 20.10 12:00, printed again after the morning's справка: still since 10.10.
    const again = await loadAudit(mirror.db, school, at('2026-10-20T13:00:00'));
    expect(again.from).toBe(at('2026-10-10T12:00:00'));
    expect(again.fromBasis).toBe('previous-note');
  });
});

describe('the справка of an archive', () => {
  let mirror: TestMirror;
  let dir: string;
  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedChecks(mirror.db);
    dir = mkdtempSync(join(tmpdir(), 'ezh-audit-archive-'));
  });
  afterAll(async () => {
    await mirror?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is a record of the mirror, not an issued справка: the next справка keeps its window', async () => {
    const app = testApp(mirror, dir);
    const renderer = await reportsDocumentRenderer(app, SCHOOL_ID);
    try {
      // A regular archive: the note only.
      const printed = await renderer.render(
        { asOf: at('2026-10-20T13:00:00'), classes: [], journals: null },
        dir,
      );
      expect(printed.map((p) => [basename(p.path).split('-')[0], p.folder])).toEqual([
        ['audit', null],
      ]);
    } finally {
      await renderer.close?.();
    }
    const rows = await mirror.db.query('SELECT file_name FROM audit_notes');
    expect(rows).toEqual([]);
  }, 120_000);
});

describe('ezh report audit', () => {
  const cliParams = (o: Record<string, unknown>) =>
    auditDocument.cli.params(o) as { record?: boolean };

  it('records the справка it prints as of now, not one as of another instant or a draft', () => {
    expect(cliParams({}).record).toBe(true);
    expect(cliParams({ from: '2026-10-01' }).record).toBe(true);
    expect(cliParams({ asOf: '2026-09-01T12:00:00' }).record).toBe(false);
    expect(cliParams({ draft: true }).record).toBe(false);
  });
});
