import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import {
  NO_CONSENT_BIRTHDAY,
  SCRIPT_NAME,
  SCRIPT_TOPIC,
  STUDENTS,
  seedSchool,
} from '../../../test/fixtures/reports/school-fixture.js';
import { findClass } from '../data/classes.js';
import { loadJournal } from '../data/journal.js';
import type { JournalCell, JournalData } from '../data/journal-types.js';
import { resolveSchool } from '../data/school.js';
import { configSchema } from '../../config/schema.js';
import { renderJournalHtml } from './journal-html.js';
import { layoutJournal } from './journal-layout.js';

const LAYOUT = { lessonsPerSpread: 16, studentsPerPage: 30, subjectsPerSummaryPage: 4 };

describe('printed journal: data and HTML', () => {
  let mirror: TestMirror;
  let data: JournalData;

  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    const config = configSchema.parse({ schools: [{ id: '100', director: 'Петрова А. И.' }] });
    const school = await resolveSchool(mirror.db, config);
    const schoolClass = await findClass(mirror.db, school.id, '5 а');
    data = await loadJournal(mirror.db, { school, schoolClass, period: '1 четверть' });
  });
  afterAll(async () => mirror?.dispose());

  it('reads the class, its students and the period', () => {
    expect(data.classTitle).toBe('5 „А“');
    expect(data.yearTitle).toBe('2026/2027 учебный год');
    expect(data.students.map((s) => s.id)).toEqual(['1001', '1002', '1003', '1004']);
    expect(data.periods.map((p) => p.id)).toEqual(['q1']);
    expect(data.yearPeriods.map((p) => p.short)).toEqual(['I ч.', 'II ч.']);
  });

  it('lists the lessons of the period only, with marks, «н», homework and teacher', () => {
    const math = data.subjects.find((s) => s.name === 'Математика')!;
    expect(math.lessons).toHaveLength(18);
    expect(math.lessons.map((l) => l.date)).not.toContain('2026-11-10');
    const [m1, m2, m3] = math.lessons;
    const text = (cells: Record<string, JournalCell>) =>
      Object.fromEntries(
        Object.entries(cells).map(([s, c]) => [
          s,
          [c.attendance, ...c.marks.map((m) => m.value)].filter(Boolean).join(' '),
        ]),
      );
    expect(text(m1!.cells)).toEqual({ '1001': '5', '1002': '4' });
    expect(m1!.topic).toBe('Натуральные числа (исправлено)');
    expect(m1!.homework).toBe('§ 1, № 5, 6');
    expect(m1!.teacher).toBe('Петрова Анна Ивановна');
    // Attendance codes kept apart: «б» for illness, «н» for an absence.
    expect(text(m2!.cells)).toEqual({ '1002': 'б', '1003': '2' });
    expect(text(m3!.cells)).toEqual({ '1003': 'н' });
    expect(math.finals.q1).toEqual({ '1001': '5', '1002': '4', '1003': 'н/а', '1004': 'осв' });
    expect(data.attendance).toEqual({
      // 02.09 had a Russian lesson too: not a whole day; 03.09 had math only.
      '1002': { daysMissed: 0, daysIll: 0, missed: 1, ill: 1, late: 0 },
      '1003': { daysMissed: 1, daysIll: 0, missed: 1, ill: 0, late: 0 },
    });
  });

  it('lays out spreads and numbers the contents from the layout', () => {
    const pages = layoutJournal(data, LAYOUT);
    // title, contents, a filler (the first left page on an even number), math 2 spreads × 2,
    // russian 1 × 2, attendance, summary, remarks, certification
    expect(pages).toHaveLength(13);
    expect(pages.map((p) => Object.keys(p)[0])).toEqual([
      'title',
      'contents',
      'filler',
      'marks',
      'topics',
      'marks',
      'topics',
      'marks',
      'topics',
      'attendance',
      'summary',
      'remarks',
      'certification',
    ]);
    expect(pages[1]!.contents!.rows.map((r) => [r.title, r.page])).toEqual([
      ['Математика', 4],
      ['Русский язык', 8],
      ['Сводная ведомость учёта посещаемости', 10],
      ['Сводная ведомость учёта успеваемости', 11],
      ['Замечания по ведению журнала', 12],
      ['Заверительная надпись', 13],
    ]);
    const first = pages[3]!.marks!;
    expect(first.columns).toHaveLength(16);
    expect(first.unused).toBeNull();
    expect(first.finals).toEqual([]);
    const second = pages[5]!.marks!;
    // 2 lessons, 14 unused columns of the paper grid (struck through), then the period mark.
    expect(second.columns.map((c) => c.label)).toEqual(['17.09', '18.09']);
    expect(second.unused).toEqual({ columns: 14, rows: 4 });
    expect(second.finals).toEqual([{ label: 'I ч.', final: true }]);
    expect(second.rows[0]!.cells[1]!.marks).toEqual([{ value: '3', work: 'КР' }]);
    expect(second.rows[0]!.finals[0]!.marks).toEqual([{ value: '5', work: null }]);
    expect(pages[6]!.topics!.rows.map((r) => r.no)).toEqual([17, 18]);
    expect(pages[12]!.certification!.pages).toBe(13);
  });

  it('prints topics and homework without bidirectional overrides (they would reorder the line)', () => {
    const math = data.subjects.find((s) => s.name === 'Математика')!;
    const lessons = math.lessons.map((l, i) =>
      i === 0
        ? { ...l, topic: '\u202eНатуральные числа\u202c', homework: '\u2067§ 1\u2069, № 5' }
        : l,
    );
    const edited = {
      ...data,
      subjects: data.subjects.map((s) => (s === math ? { ...math, lessons } : s)),
    };
    const row = layoutJournal(edited, LAYOUT)[4]!.topics!.rows[0]!;
    expect(row.topic).toBe('Натуральные числа');
    expect(row.homework).toBe('§ 1, № 5');
  });

  it('escapes markup from the data and prints only full names', () => {
    const doc = renderJournalHtml(data, LAYOUT);
    expect(doc.expectedPages).toBe(13);
    expect(doc.tagged).toBe(false);
    expect(doc.html).not.toContain('<script>');
    expect(doc.html).toContain('Ведров &lt;script&gt;alert(1)&lt;/script&gt; {{constructor}}');
    expect(doc.html).toContain(
      'Дроби &lt;script&gt;alert(&quot;topic&quot;)&lt;/script&gt; и {{#each x}}',
    );
    expect(doc.html).toContain('Повторить {{&gt; partial}} главу 1');
    expect(SCRIPT_NAME).toContain('<script>');
    expect(SCRIPT_TOPIC).toContain('<script>');
    expect(doc.html).toContain(STUDENTS.s4.fullName);
    expect(doc.html).not.toContain(NO_CONSENT_BIRTHDAY);
    expect(doc.html).not.toContain('14.03.2015');
    expect(doc.html).toContain('Директор школы ____________________ Петрова А. И.');
  });
});
