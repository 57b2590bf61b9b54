import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import {
  SCHOOL_ID,
  ZONE,
  seedChecks,
  seedSchool,
  testApp,
} from '../../../test/fixtures/reports/school-fixture.js';
import { localToInstant } from '../../platform/time.js';
import { loadAudit } from '../data/audit.js';
import { previousAuditNoteAt, recordAuditNote } from '../data/audit-notes.js';
import type { SchoolInfo } from '../data/school.js';
import { createPdfRenderer } from '../documents/context.js';
import { renderAudit } from '../documents/audit.js';

/**
 * The справка's window starts at the previous справка's date (004 §5.2) without a `--from`: each
 * issued справка is recorded (`audit_notes`) and read back; 10 days only before the first one.
 */

const at = (local: string): number => localToInstant(local, ZONE);
const school: SchoolInfo = {
  id: SCHOOL_ID,
  name: 'Школа № 1',
  zone: ZONE,
  director: null,
  deputyDirector: 'Смирнова Е. В.',
};

describe.each(ENGINES)('issued справки (%s)', (engine) => {
  let mirror: TestMirror;
  beforeAll(async () => {
    mirror = await createTestMirror(engine);
    await seedSchool(mirror.db);
    await seedChecks(mirror.db);
  });
  afterAll(async () => mirror?.dispose());

  it('starts the window at the previous справка, else 10 days before', async () => {
    const noteDate = at('2026-10-20T13:00:00');
    const first = await loadAudit(mirror.db, school, noteDate, noteDate);
    // No справка yet: 10 days before the run it reports (20.10 12:00).
    expect(first.from).toBe(at('2026-10-10T00:00:00'));
    expect(first.fromBasis).toBe('default');

    await recordAuditNote(mirror.db, {
      schoolId: SCHOOL_ID,
      asOf: at('2026-10-07T12:00:00'),
      from: at('2026-09-27T00:00:00'),
      runId: null,
      fileName: 'audit-100-2026-10-07.pdf',
      issuedAt: at('2026-10-07T12:05:00'),
    });
    expect(await previousAuditNoteAt(mirror.db, SCHOOL_ID, noteDate)).toBe(
      at('2026-10-07T12:00:00'),
    );
    const second = await loadAudit(mirror.db, school, noteDate, noteDate);
    expect(second.from).toBe(at('2026-10-07T12:00:00'));
    expect(second.fromBasis).toBe('previous-note');
    // A given start still wins.
    const given = await loadAudit(mirror.db, school, noteDate, noteDate, at('2026-10-01T00:00:00'));
    expect(given.from).toBe(at('2026-10-01T00:00:00'));
    expect(given.fromBasis).toBe('given');
    // Only справки before the note's date count: the same справка issued again keeps its window.
    expect(await previousAuditNoteAt(mirror.db, SCHOOL_ID, at('2026-10-07T12:00:00'))).toBeNull();
  });
});

describe('справка PDF after a previous справка (pdftotext)', () => {
  let mirror: TestMirror;
  let dir: string;
  let firstPdf = '';
  let text = '';
  let pages = 0;

  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedChecks(mirror.db);
    dir = mkdtempSync(join(tmpdir(), 'ezh-audit-notes-'));
    const app = testApp(mirror, dir);
    const renderer = createPdfRenderer(app);
    try {
      // The first справка reports run1 (10.10 12:00); the second, without --from, starts there.
      firstPdf = await renderAudit(app, { renderer, asOf: '2026-10-10T13:00:00' });
      const pdf = await renderAudit(app, { renderer, asOf: '2026-10-20T13:00:00' });
      pages = Number(
        /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1],
      );
      text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(
        /\s+/g,
        ' ',
      );
    } finally {
      await renderer.close();
    }
  }, 120_000);
  afterAll(async () => {
    await mirror?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints when its data were taken and when it was printed on every page', () => {
    // The run it reports is as of 20.10 12:00; the footer repeats on each page.
    const stamps =
      text.match(/Данные на 20\.10\.2026 12:00 · Напечатано \d\d\.\d\d\.\d{4} \d\d:\d\d/g) ?? [];
    expect(pages).toBeGreaterThan(1);
    expect(stamps.length).toBe(pages);
  });

  it('covers the time since the previous справка, and records both', async () => {
    expect(text).toContain('с 10.10.2026 по 20.10.2026 включительно');
    expect(text).toContain('с даты предыдущей справки (10.10.2026 12:00)');
    const rows = await mirror.db.query<{ file_name: string; as_of: number }>(
      'SELECT file_name, as_of FROM audit_notes ORDER BY as_of',
    );
    expect(rows.map((r) => [r.file_name, Number(r.as_of)])).toEqual([
      [basename(firstPdf), at('2026-10-10T12:00:00')],
      ['audit-100-2026-10-20.pdf', at('2026-10-20T12:00:00')],
    ]);
  });
});
