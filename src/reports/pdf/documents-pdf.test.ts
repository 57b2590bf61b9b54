import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import {
  NO_CONSENT_BIRTHDAY,
  STUDENTS,
  seedChecks,
  seedSchool,
  testApp,
} from '../../../test/fixtures/reports/school-fixture.js';
import { createPdfRenderer } from '../documents/context.js';
import { renderActivity } from '../documents/activity.js';
import { renderAudit } from '../documents/audit.js';
import { renderJournal } from '../documents/journal.js';
import { renderPerformance } from '../documents/performance.js';
import type { PdfRenderer } from './renderer.js';

const text = (pdf: string, page?: number): string =>
  execFileSync(
    'pdftotext',
    ['-layout', ...(page ? ['-f', String(page), '-l', String(page)] : []), pdf, '-'],
    { encoding: 'utf8' },
  );
const pages = (pdf: string): number =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);

describe('documents as PDF (Chromium, pdftotext)', () => {
  let mirror: TestMirror;
  let dir: string;
  let renderer: PdfRenderer;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedChecks(mirror.db);
    dir = mkdtempSync(join(tmpdir(), 'ezh-reports-'));
    const app = testApp(mirror, dir);
    renderer = createPdfRenderer(app);
    const common = { renderer };
    [files.journal, files.audit, files.performance, files.activity] = await Promise.all([
      renderJournal(app, { ...common, className: '5А', period: '1 четверть' }),
      renderAudit(app, { ...common, asOf: '2026-10-25T12:00:00' }),
      renderPerformance(app, { ...common, period: '1 четверть' }),
      renderActivity(app, { ...common, month: '2026-10' }),
    ]);
  });
  afterAll(async () => {
    await renderer?.close();
    await mirror?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names files after the document and the school', () => {
    expect(files.journal).toBe(join(dir, 'journal-100-5А-1-четверть.pdf'));
    expect(files.audit).toBe(join(dir, 'audit-100-2026-10-20.pdf'));
    expect(files.performance).toBe(join(dir, 'performance-100-1-четверть.pdf'));
    expect(files.activity).toBe(join(dir, 'activity-100-2026-10.pdf'));
  });

  it('journal: Cyrillic text extracts and the page count matches the layout', () => {
    // A blank filler after the contents puts the first left page on page 4 (even).
    expect(pages(files.journal!)).toBe(13);
    const all = text(files.journal!);
    expect(all).toContain('КЛАССНЫЙ ЖУРНАЛ');
    expect(all).toContain('5 „А“ класса');
    expect(all).toContain('2026/2027 учебный год');
    expect(all).toContain('МБОУ «Средняя общеобразовательная школа № 1»');
    expect(all).toContain('В настоящем журнале пронумеровано и прошнуровано 13 страниц');
    expect(all).toContain('Петрова А. И.');
    expect(text(files.journal!, 13)).toContain('стр. 13 из 13');
    expect(text(files.journal!, 2)).toMatch(/Русский язык\s+Сидоров П\. П\.\s+8/);
  });

  it('print with the project fonts embedded (loaded although nothing is laid out on screen)', () => {
    for (const file of Object.values(files)) {
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
      expect(fonts).toMatch(/PTSans-Regular/);
      // Every named font is an embedded subset of PT Sans or PT Serif, never a system fallback
      // (DejaVu, Liberation…). The charts of period results also carry a Type 3 font (glyphs
      // drawn as paths), as before the renderer loaded fonts itself.
      const named = fonts
        .split('\n')
        .slice(2)
        .filter((l) => l && !/ Type 3 /.test(l));
      expect(named.length).toBeGreaterThan(0);
      for (const line of named) {
        expect(`${file}: ${line}`).toMatch(/: \S+\+PT(Sans|Serif)-\S+ .* yes yes yes /);
      }
    }
    expect(execFileSync('pdffonts', [files.journal!], { encoding: 'utf8' })).toMatch(
      /PTSerif-Bold/,
    );
  });

  it('the journal is an untagged PDF (to bind; 2× faster to print), the others are tagged', () => {
    const tagged = (pdf: string) =>
      /Tagged:\s+(\w+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1];
    expect(tagged(files.journal!)).toBe('no');
    expect(tagged(files.audit!)).toBe('yes');
    expect(tagged(files.performance!)).toBe('yes');
  });

  it('journal: the period mark sits in the column after the last lesson', () => {
    const page = text(files.journal!, 6);
    expect(page).toContain('разворот 2, левая страница');
    const header = page.split('\n').find((l) => l.includes('18.09'))!;
    expect(header.indexOf('17.09')).toBeLessThan(header.indexOf('18.09'));
    expect(header.indexOf('18.09')).toBeLessThan(header.indexOf('I ч.'));
    const row = page.split('\n').find((l) => l.includes('Алексеев Алексей'))!;
    // The control work's mark carries its work type («КР»); the period mark «5» comes after the
    // struck-through unused columns (pdftotext may put it on the next line of the layout).
    expect(row).toMatch(/\s3\s*КР/);
    const next = page
      .split('\n')
      .slice(page.split('\n').indexOf(row), page.split('\n').indexOf(row) + 3);
    expect(next.join(' ')).toMatch(/КР[^\n]*\s5(\s|$)/);
    const lines = page.split('\n');
    const na = lines.findIndex((l) => l.includes('Ведров'));
    expect(lines.slice(na, na + 3).join(' ')).toMatch(/\sн\/а(\s|$)/);
  });

  it('journal: markup in data is printed as text; a student without consent is a full name only', () => {
    const all = text(files.journal!);
    expect(all).toContain('Дроби <script>alert("topic")</script> и {{#each x}}');
    expect(all).toContain(STUDENTS.s4.fullName);
    expect(all).not.toContain(NO_CONSENT_BIRTHDAY);
    expect(all).not.toContain('14.03.2015');
    const lines = all.split('\n').filter((l) => l.includes('Григорьев'));
    // Every line naming him holds his name, his row number and journal cells only.
    for (const l of lines) {
      expect(l.replace(STUDENTS.s4.fullName, '').trim()).toMatch(/^(\d+\s*)?(осв|5|0|\s)*$/);
    }
  });

  it('compliance note: runs, rules, teachers and the signature', () => {
    expect(pages(files.audit!)).toBeGreaterThanOrEqual(1);
    const t = text(files.audit!);
    expect(t).toContain('Справка по итогам проверки электронного журнала');
    expect(t).toContain('20.10.2026 12:00');
    expect(t).toContain('точность ±60 мин');
    expect(t).toContain('Отметка внесена позже срока <b>');
    expect(t).toMatch(/Не задано домашнее задание|homework-missing/);
    expect(t).toContain('Смирнова Е. В.');
    expect(t).toContain('стр. 1 из');
  });

  it('period results: hand-computed metrics and the charts', () => {
    const t = text(files.performance!);
    expect(t).toMatch(
      /Математика\s+Петрова А\. И\.\s+1\s+1\s+0\s+0\s+1\s+1\s+3\s+66,7\s+66,7\s+57,0\s+4,50\s+3,40/,
    );
    expect(t).toMatch(
      /Итого по классу\s+2\s+2\s+1\s+1\s+1\s+1\s+7\s+71,4\s+57,1\s+55,3\s+3,83\s+3,40/,
    );
    expect(t).toContain('Качество знаний по классам, %');
    expect(t).toContain('Распределение итоговых отметок');
  });

  it('activity: entries per teacher and the idle teacher', () => {
    const t = text(files.activity!);
    expect(t).toMatch(/Петрова Анна Ивановна(\s+\S+)*\s+4\s+1\s+0\s+2\s+7/);
    expect(t).toMatch(/Сидоров Пётр Петрович(\s+\S+)*\s+0\s+0\s+1\s+0\s+1/);
    expect(t).toContain('Выделены цветом в таблице (1 из 3): Кузнецова Ольга Сергеевна.');
  });
});
