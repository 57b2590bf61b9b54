import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { systemClock } from '../../platform/clock.js';
import {
  FULL_CLASS_SCHOOL,
  PROGRESS_AS_OF,
  PROGRESS_SCHOOL,
  seedFullClass,
  seedProgressClass,
} from '../../../test/fixtures/reports/progress-fixture.js';
import {
  appDatabase,
  createTestMirror,
  ENGINES,
  type TestMirror,
} from '../../../test/helpers/mirrors.js';
import type { DocumentApp } from '../documents/context.js';
import { createPdfRenderer } from '../documents/context.js';
import { studentDocument } from '../documents/student.js';
import { weeklyDocument } from '../documents/weekly.js';
import { renderDocument } from '../render-document.js';
import type { PdfRenderer } from './renderer.js';

const text = (pdf: string): string =>
  execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
const pages = (pdf: string): number =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
const rowOf = (t: string, name: string): string =>
  t.split('\n').find((l) => l.includes(name)) ?? '';

/**
 * The class teacher's weekly sheet and the parents' extract (issue 21) printed from a hand-made
 * 5А (test/fixtures/reports/progress-fixture.ts), read back with pdftotext: what a class teacher
 * or a parent would check on paper. On both engines: the documents read the mirror through the
 * analytics SQL, which must print the same on SQLite and PostgreSQL.
 */
describe.each(ENGINES)('progress documents as PDF (%s)', (engine) => {
  let mirror: TestMirror;
  let dir: string;
  let renderer: PdfRenderer;
  let app: DocumentApp;
  const logged: string[] = [];
  let weekly: string;
  let weeklyText: string;

  beforeAll(async () => {
    mirror = await createTestMirror(engine);
    await seedProgressClass(mirror.db);
    await seedFullClass(mirror.db);
    dir = mkdtempSync(join(tmpdir(), 'ezh-progress-docs-'));
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        logged.push(String(chunk));
        done();
      },
    });
    app = {
      config: configSchema.parse({
        database: appDatabase(mirror),
        schools: [
          { id: PROGRESS_SCHOOL, timeZone: 'Europe/Moscow' },
          { id: FULL_CLASS_SCHOOL, timeZone: 'Europe/Moscow' },
        ],
        outDir: dir,
        log: { level: 'silent' },
      }),
      clock: systemClock,
      logger: pino({ level: 'trace' }, sink),
      mirror: async () => mirror,
    };
    renderer = createPdfRenderer(app);
    weekly = (
      await renderDocument(
        app,
        weeklyDocument,
        { className: '5а', asOf: PROGRESS_AS_OF },
        { renderer, schoolId: PROGRESS_SCHOOL },
      )
    ).path;
    weeklyText = text(weekly);
  }, 120_000);
  afterAll(async () => {
    await renderer?.close();
    await mirror?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the weekly sheet: one landscape page, named by class and week, readable by its owner only', () => {
    expect(weekly).toBe(join(dir, `weekly-${PROGRESS_SCHOOL}-5А-2026-09-14.pdf`));
    expect(statSync(weekly).mode & 0o777).toBe(0o600);
    expect(pages(weekly)).toBe(1);
    const info = execFileSync('pdfinfo', [weekly], { encoding: 'utf8' });
    const [w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info)!.slice(1).map(Number);
    expect(w!).toBeGreaterThan(h!);
    expect(weeklyText).toContain('Сводная ведомость класса 5А за неделю');
    expect(weeklyText).toContain('3-я неделя периода: 14.09.2026 — 20.09.2026');
    expect(weeklyText).toMatch(/Данные на/);
  });

  it('the weekly sheet of a class of 30 with 12 subjects fits one landscape page', async () => {
    const r = await renderDocument(
      app,
      weeklyDocument,
      { className: '7В', asOf: PROGRESS_AS_OF },
      { renderer, schoolId: FULL_CLASS_SCHOOL },
    );
    expect(pages(r.path)).toBe(1);
    const t = text(r.path);
    expect(t).toContain('Ученикова30 Анастасия30 Александровна');
    expect(t).toContain('Классный руководитель');
    const risk = t.slice(t.indexOf('Обучающиеся в зоне риска'));
    // Four students, four subjects each.
    expect(risk.match(/прогноз «2»:/g)).toHaveLength(4);
    expect(risk.match(/\(ср\. 2,00\)/g)).toHaveLength(16);
    expect(risk).toMatch(
      /Ученикова4 Анастасия4 Александровна\s+прогноз «2»: Алгебра \(ср\. 2,00\), Биология \(ср\. 2,00\)/,
    );
    // Three students missed this week's lessons of the first three subjects (alphabetically).
    for (const subject of ['Иностранный язык (английский)', 'Литература', 'Русский язык']) {
      expect(risk).toContain(`${subject} — 3 из 30`);
    }
  });

  it("the weekly sheet: every student with this week's marks, weighted averages with a decimal comma, places and their change", () => {
    for (const name of ['Андреев Антон', 'Васильев Виктор', 'Григорьев Глеб', 'Дмитриева Дарья']) {
      expect(weeklyText).toContain(name);
    }
    // Андреев: this week maths «4» (a test, weight 2): 4,50 weighted, not the plain 4,67.
    const a = rowOf(weeklyText, 'Андреев Антон');
    expect(a).toMatch(/4\s+4,50\s+5\s+4,50\s+4,50\s+1–2/);
    expect(a).not.toContain('4,67');
    // Дмитриева shares the first place and moved up one since last week.
    expect(rowOf(weeklyText, 'Дмитриева Дарья')).toMatch(/4,50\s+1–2\s+↑1/);
    // Васильев: «2» this week in maths, 2,50 and 2,00; third; one absence this week.
    expect(rowOf(weeklyText, 'Васильев Виктор')).toMatch(
      /2\s+2,50\s+2,00\s+2,25\s+3\s+=\s+1\s*\/\s*1$/,
    );
    // Григорьев: no marks, no place.
    expect(rowOf(weeklyText, 'Григорьев Глеб')).toMatch(/—\s+—\s+—\s+—/);
  });

  it('the weekly sheet: the students at risk with the reason, and the missing marks', () => {
    const risk = weeklyText.slice(weeklyText.indexOf('Обучающиеся в зоне риска'));
    expect(risk).toMatch(/Васильев Виктор\s+прогноз «2»: Русский язык \(ср\. 2,00\)\s/);
    expect(risk).toMatch(
      /Григорьев Глеб\s+мало отметок для нормы: Математика \(0 при норме 3\), Русский язык \(0 при норме 3\)/,
    );
    // Дмитриева: one maths mark in three weeks of the quarter, short of the norm's pace.
    expect(risk).toMatch(/Дмитриева Дарья\s+мало отметок для нормы: Математика \(1 при норме 3\)/);
    expect(risk).not.toContain('Андреев');
    // Maths and Russian had lessons this week: maths has no mark for Григорьев, Russian none for
    // Васильев, Григорьев and Дмитриева (who they are is shown in the grid).
    expect(weeklyText).toMatch(/Математика — 1 из 4; Русский язык — 3 из 4/);
  });

  it("the student's extract by name: this week's marks with dates and work types, averages, homework, only that student", async () => {
    const r = await renderDocument(
      app,
      studentDocument,
      { student: 'андреев антон', week: '2026-09-16', asOf: PROGRESS_AS_OF },
      { renderer, schoolId: PROGRESS_SCHOOL },
    );
    // Named by the person id, never by the name; 0600.
    expect(r.path).toMatch(new RegExp(`student-${PROGRESS_SCHOOL}-\\d+-week-2026-09-14\\.pdf$`));
    expect(statSync(r.path).mode & 0o777).toBe(0o600);
    const t = text(r.path);
    expect(t).toContain('Выписка из электронного журнала');
    expect(t).toContain('Андреев Антон, класс 5А');
    expect(t).toContain('неделя 14.09.2026 — 20.09.2026');
    expect(rowOf(t, 'Математика')).toMatch(/4 16\.09, Контрольная работа\s+4,50/);
    expect(rowOf(t, 'Русский язык')).toMatch(/5 17\.09\s+4,50/);
    expect(t).toMatch(/Средний балл за период:\s+4,50; место в классе: 1–2/);
    expect(t).toMatch(/16\.09\.2026\s+Математика\s+№ 112, 114/);
    expect(t).toMatch(/17\.09\.2026\s+Русский язык\s+Упр\. 45/);
    for (const other of ['Васильев', 'Григорьев', 'Дмитриева']) expect(t).not.toContain(other);
  });

  it("the extract for the period so far: every mark since the period's start, absences counted", async () => {
    const r = await renderDocument(
      app,
      studentDocument,
      { student: 'Васильев Виктор', period: true, asOf: PROGRESS_AS_OF },
      { renderer, schoolId: PROGRESS_SCHOOL },
    );
    const t = text(r.path);
    expect(t).toContain('1 четверть: 01.09.2026 — 20.09.2026');
    expect(rowOf(t, 'Математика')).toMatch(/3 09\.09\s+2 16\.09\s+2,50/);
    expect(rowOf(t, 'Русский язык')).toMatch(
      /2 10\.09\s+2,00\s+13\.09: 2,00; 20\.09: 2,00\s+1\s+«2»/,
    );
  });

  it('no name reaches the log', () => {
    const log = logged.join('');
    for (const name of ['Андреев', 'Васильев', 'Григорьев', 'Дмитриева']) {
      expect(log).not.toContain(name);
    }
  });
});
