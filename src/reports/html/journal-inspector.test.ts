import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import { seedSchool, testApp } from '../../../test/fixtures/reports/school-fixture.js';
import {
  LONG_HOMEWORK,
  LONG_TOPIC,
  TRANSFER,
  seedMovement,
} from '../../../test/fixtures/reports/movement-fixture.js';
import { configSchema } from '../../config/schema.js';
import { findClass } from '../data/classes.js';
import { loadJournal } from '../data/journal.js';
import type { JournalData } from '../data/journal-types.js';
import { resolveSchool } from '../data/school.js';
import { createPdfRenderer } from '../documents/context.js';
import { renderJournal } from '../documents/journal.js';
import type { PdfRenderer } from '../pdf/renderer.js';
import { layoutJournal } from './journal-layout.js';

/**
 * The printed journal as an inspector reads it (001 §3.2.2–3.2.4): every student of the period
 * with their movement, periods named as the school names them, grade 1 without marks, attendance
 * codes apart, work types visible, nothing cut, unused cells struck through.
 */

const LAYOUT = { lessonsPerSpread: 16, studentsPerPage: 30, subjectsPerSummaryPage: 4 };
const text = (pdf: string): string =>
  execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });

describe('printed journal as an inspector reads it', () => {
  let mirror: TestMirror;
  const journals: Record<string, JournalData> = {};

  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedMovement(mirror.db);
    const config = configSchema.parse({ schools: [{ id: '100', director: 'Петрова А. И.' }] });
    const school = await resolveSchool(mirror.db, config);
    for (const name of ['5А', '5Б', '1А']) {
      const schoolClass = await findClass(mirror.db, school.id, name);
      journals[name] = await loadJournal(mirror.db, { school, schoolClass, period: '1 четверть' });
    }
  });
  afterAll(async () => mirror?.dispose());

  it('prints a student who transferred mid-period in both journals, each for their own dates', () => {
    const a = journals['5А']!.students.find((s) => s.id === TRANSFER);
    const b = journals['5Б']!.students.find((s) => s.id === TRANSFER);
    expect(a).toMatchObject({ from: null, until: '2026-10-12', movement: ['выбыл 12.10'] });
    expect(b).toMatchObject({ from: '2026-10-12', until: null, movement: ['прибыл 12.10'] });
    // In 5А: his control-work mark of 02.09; in 5Б: 01.10 is before he came, 14.10 his mark.
    const math5a = journals['5А']!.subjects.find((s) => s.name === 'Математика')!;
    expect(math5a.lessons.find((l) => l.id === 'm2')!.cells[TRANSFER]).toEqual({
      attendance: null,
      marks: [{ value: '4', work: 'КР' }],
    });
    const pageB = layoutJournal(journals['5Б']!, LAYOUT).find((p) => p.marks)!.marks!;
    const row = pageB.rows.find((r) => r.name === 'Дмитриев Дмитрий')!;
    expect(row.movement).toBe('прибыл 12.10');
    expect(row.cells.map((c) => [c.out, c.marks.map((m) => m.value).join()])).toEqual([
      [true, ''],
      [false, '5'],
    ]);
  });

  it('names period columns as the school does, never from zero', () => {
    // 5Б's periods come numbered 0 and 1 from the platform.
    expect(journals['5Б']!.yearPeriods.map((p) => p.short)).toEqual(['I ч.', 'II ч.']);
    expect(journals['5А']!.yearPeriods.map((p) => p.short)).toEqual(['I ч.', 'II ч.']);
    const marks = layoutJournal(journals['5Б']!, LAYOUT).find((p) => p.marks)!.marks!;
    expect(marks.finals.map((f) => f.label)).toEqual(['I ч.']);
  });

  it('keeps attendance codes apart and counts days and lessons missed, of them for illness', () => {
    const math = journals['5А']!.subjects.find((s) => s.name === 'Математика')!;
    const code = (lessonId: string, student: string) =>
      math.lessons.find((l) => l.id === lessonId)!.cells[student]?.attendance;
    expect(code('m2', '1002')).toBe('б');
    expect(code('m3', '1003')).toBe('н');
    expect(code('m4', '1001')).toBe('б');
    expect(code('m5', '1001')).toBe('п');
    expect(code('m6', '1002')).toBe('оп');
    // 1001 missed m4 (04.09, a Russian lesson too: not a whole day) and m5 (05.09, the only lesson).
    expect(journals['5А']!.attendance['1001']).toEqual({
      daysMissed: 1,
      daysIll: 0,
      missed: 2,
      ill: 1,
      late: 0,
    });
    expect(journals['5А']!.attendance['1002']).toMatchObject({ missed: 1, ill: 1, late: 1 });
  });

  it('marks the control work in the topic column', () => {
    const math = journals['5А']!.subjects.find((s) => s.name === 'Математика')!;
    expect(math.lessons.find((l) => l.id === 'm2')!.control).toBe('Контрольная работа');
    expect(math.lessons.find((l) => l.id === 'm1')!.control).toBeNull();
  });

  it('prints grade 1 without marks, homework or the сводная ведомость успеваемости', () => {
    const data = journals['1А']!;
    expect(data.ungraded).toBe(true);
    const pages = layoutJournal(data, LAYOUT);
    expect(pages.some((p) => p.summary)).toBe(false);
    expect(pages[0]!.title!.ungraded).toBe(true);
    expect(pages[1]!.contents!.rows.map((r) => r.title)).not.toContain(
      'Сводная ведомость учёта успеваемости',
    );
    const marks = pages.find((p) => p.marks)!.marks!;
    expect(marks.finals).toEqual([]);
    // The forbidden mark is printed, flagged, with the page's note.
    const petr = marks.rows.find((r) => r.name === 'Первоклассников Пётр')!;
    expect(petr.cells[0]).toMatchObject({ forbidden: true, marks: [{ value: '5', work: null }] });
    expect(marks.forbiddenNote).toBe(true);
    const topics = pages.find((p) => p.topics)!.topics!;
    expect(topics.ungraded).toBe(true);
    expect(topics.rows[0]).toMatchObject({
      homework: 'Нарисовать пять предметов',
      forbiddenHomework: true,
    });
  });

  it('wraps long topics and homework onto the page whole, and strikes unused cells through', () => {
    const pages = layoutJournal(journals['5А']!, LAYOUT);
    const rows = pages.flatMap((p) => p.topics?.rows ?? []);
    const long = rows.find((r) => r.topic === LONG_TOPIC)!;
    expect(long.homework).toBe(LONG_HOMEWORK);
    const lastMath = pages.filter((p) => p.marks?.subject === 'Математика').at(-1)!.marks!;
    expect(lastMath.unused).toEqual({ columns: 16 - 3, rows: 5 });
  });
});

describe('printed journal PDF (pdftotext) as an inspector reads it', () => {
  let mirror: TestMirror;
  let dir: string;
  let renderer: PdfRenderer;
  const pdf: Record<string, string> = {};

  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedMovement(mirror.db);
    dir = mkdtempSync(join(tmpdir(), 'ezh-journal-'));
    const app = testApp(mirror, dir);
    renderer = createPdfRenderer(app);
    for (const className of ['5А', '5Б', '1А']) {
      pdf[className] = text(
        await renderJournal(app, { renderer, className, period: '1 четверть' }),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await renderer?.close();
    await mirror?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the transfer student in both journals with the dates', () => {
    expect(pdf['5А']).toContain('Дмитриев Дмитрий');
    expect(pdf['5А']).toContain('выбыл 12.10');
    expect(pdf['5Б']).toContain('Дмитриев Дмитрий');
    expect(pdf['5Б']).toContain('прибыл 12.10');
  });

  it('labels the period column «I ч.», never «0 ч.»', () => {
    expect(pdf['5Б']).toMatch(/I ч\./);
    expect(pdf['5Б']).not.toContain('0 ч.');
  });

  it('prints every word of a long topic and homework', () => {
    const flat = pdf['5А']!.replace(/\s+/g, ' ');
    for (const word of ['Повторение:', 'конец темы.', 'последнее.']) expect(flat).toContain(word);
    expect(flat).not.toContain('…');
    expect(pdf['5А']).toContain('Контрольная работа.');
  });

  it('prints grade 1 as безотметочное обучение with the forbidden entries noted', () => {
    const flat = pdf['1А']!.replace(/\s+/g, ' ');
    expect(flat).toContain('Безотметочное обучение');
    expect(flat).toContain('Отметка в 1 классе (безотметочное обучение) не выставляется');
    expect(flat).toContain('Домашнее задание в 1 классе не задаётся');
    expect(flat).not.toContain('Сводная ведомость учёта успеваемости');
    expect(flat).not.toContain('Домашнее задание Учитель');
  });

  it('prints the attendance summary with days and the codes', () => {
    const flat = pdf['5А']!.replace(/\s+/g, ' ');
    expect(flat).toContain('Пропущено дней');
    expect(flat).toContain('«б» — по болезни');
  });
});
