import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import { seedResults } from '../../../test/fixtures/reports/results-fixture.js';
import { SCHOOL_ID, seedSchool, testApp } from '../../../test/fixtures/reports/school-fixture.js';
import { localToInstant } from '../../platform/time.js';
import { createPdfRenderer } from '../documents/context.js';
import { renderActivity } from '../documents/activity.js';
import { renderPerformance } from '../documents/performance.js';
import type { PdfRenderer } from './renderer.js';

const text = (pdf: string): string =>
  execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
/** One line per text line, runs of spaces squeezed: table rows read as «10А 1 полугодие 2 …». */
const squeezed = (pdf: string): string => text(pdf).replace(/[ \t]+/g, ' ');

describe('period results and activity as PDF (pdftotext)', () => {
  let mirror: TestMirror;
  let dir: string;
  let renderer: PdfRenderer;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedResults(mirror.db);
    // The first sync (the initial load of 20.09) and the latest one.
    for (const [id, mode, local] of [
      ['s1', 'full', '2026-09-20T12:05:00'],
      ['s2', 'incremental', '2026-12-29T10:05:00'],
    ] as const) {
      const finished = localToInstant(local, 'Europe/Moscow');
      await mirror.db.run(
        `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
         VALUES (?, ?, 'dnevnik', ?, 'succeeded', ?, ?, 1, 1)`,
        [id, SCHOOL_ID, mode, finished - 10 * 60_000, finished],
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'ezh-results-'));
    const app = testApp(mirror, dir);
    renderer = createPdfRenderer(app);
    [files.q1, files.q2, files.sept, files.oct] = await Promise.all([
      renderPerformance(app, { renderer, period: 'I четверть' }),
      renderPerformance(app, { renderer, period: '2 четверть' }),
      renderActivity(app, { renderer, month: '2026-09' }),
      renderActivity(app, { renderer, month: '2026-10' }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await renderer?.close();
    await mirror?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the documents are written 0600', () => {
    for (const f of Object.values(files)) expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('results: a half-year class by its own period, grade 1 left out, the school row over all students', () => {
    const t = squeezed(files.q2!);
    expect(t).toContain('Итоги успеваемости: II четверть');
    expect(t).toContain('Данные на: 29.12.2026 10:05');
    // Класс Период N отл. хор. с одной «4» с одной «3» с «3» неусп. н/а Усп. Δ Кач. Δ
    expect(t).toMatch(/\n ?10А 1 полугодие 2 0 1 1 0 0 1 0 50,0 — 50,0 —/);
    expect(t).toMatch(/\n ?5А II четверть 4 2 1 0 0 1 0 0 100,0 \+25,0 75,0 \+25,0/);
    expect(t).toMatch(/\n ?Школа 6 2 2 1 0 1 1 0 83,3 \+25,0 66,7 \+25,0/);
    expect(t).toContain('1А — безотметочное обучение');
    expect(t).not.toContain('Класс 1А');
    expect(t).not.toContain('Первоклассников');
    expect(t).toContain('Класс 10А: 1 полугодие (01.09.2026 — 27.12.2026)');
  });

  it('results: students by category with their names; attendance with illness', () => {
    const t = squeezed(files.q1!);
    expect(t).toContain('Итоги успеваемости: I четверть');
    expect(t).toMatch(/Отличники: Григорьев Григорий Петрович/);
    expect(t).toMatch(/в т. ч. с одной «4»: Алексеев Алексей Игоревич/);
    expect(t).toMatch(/С одной «3»: Борисова Мария Олеговна/);
    expect(t).toMatch(/Неуспевающие: Ведров .*\(Русский язык\)/);
    expect(t).toMatch(/Не аттестованы \(н\/а\): Ведров .*\(Математика\)/);
    // качество over students: 2 of 4, not 4 of 7 marks (57,1)
    expect(t).toMatch(/\n ?5А I четверть 4 1 1 1 1 1 1 0 75,0 — 50,0 —/);
    expect(t).toMatch(/10А аттестация по полугодиям/);
    // Lessons missed in 5А's I quarter: one for illness, one without a valid reason.
    expect(t).toMatch(/\n ?5А I четверть 4 2 1 0 1 0,5/);
    const q2 = squeezed(files.q2!);
    expect(q2).toMatch(/\n ?10А 1 полугодие 2 1 1 0 0 0,5/);
  });

  it('results: chart labels written like the tables', () => {
    // The quality chart's bar labels: «75», «50» as numbers with a decimal comma.
    const t = text(files.q2!);
    expect(t).toMatch(/75,0/);
    expect(t).not.toMatch(/\b75\.0\b|\b66\.7\b/);
  });

  it('activity: the first sync’s load shown apart, «данные на», signatures', () => {
    const sept = squeezed(files.sept!);
    expect(sept).toContain('Загружено первой синхронизацией (20.09.2026 12:05)');
    expect(sept).toMatch(/Петрова Анна Ивановна 0 19 2 0 21/);
    // Nothing on the day of the first load in the month's table.
    expect(sept).toMatch(/Петрова Анна Ивановна 0 0 0 0 0\n/);
    expect(sept).toContain('Данные на: 29.12.2026 10:05');
    expect(sept).toContain('Отчёт составил: ответственный за техническое сопровождение ЭЖ');
    expect(sept).toMatch(/Отчёт получил: заместитель директора по УВР \/ Смирнова Е\. В\. \//);
    const oct = squeezed(files.oct!);
    expect(oct).not.toContain('Загружено первой синхронизацией');
    expect(oct).toMatch(/Петрова Анна Ивановна( \S+)* 4 1 0 2 7/);
    expect(oct).toContain('праздничные дни и каникулы');
  });
});
