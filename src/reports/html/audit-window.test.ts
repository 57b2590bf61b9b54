import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import { seedMovement } from '../../../test/fixtures/reports/movement-fixture.js';
import {
  CLASS_ID,
  SCHOOL_ID,
  ZONE,
  seedChecks,
  seedSchool,
  testApp,
} from '../../../test/fixtures/reports/school-fixture.js';
import { RULE_IDS } from '../../checks/registry.js';
import { localToInstant } from '../../platform/time.js';
import { loadAudit, type AuditData } from '../data/audit.js';
import type { SchoolInfo } from '../data/school.js';
import { createPdfRenderer } from '../documents/context.js';
import { renderAudit } from '../documents/audit.js';
import { renderAuditHtml } from './audit-html.js';
import { addWorkingDays, criteriaRows, recommendations, teacherRows } from './audit-results.js';

/**
 * The справка over a real window (004 §5.2): two weeks from the previous note, with a violation
 * fixed late inside it, every criterion and teacher with what was checked, dated recommendations.
 */

const at = (local: string): number => localToInstant(local, ZONE);
const school: SchoolInfo = {
  id: SCHOOL_ID,
  name: 'Школа № 1',
  zone: ZONE,
  director: 'Петрова А. И.',
  deputyDirector: 'Смирнова Е. В.',
};

async function seedLateFix(mirror: TestMirror): Promise<void> {
  // A topic left empty on 12.10 (deadline 15.10 00:00), seen by run1, fixed before run2 (20.10).
  await mirror.db.run(
    `INSERT INTO findings (key, rule, severity, school_id, class_id, subject_id, teacher_id, student_id, lesson_id, date, deadline, message, details,
       first_run_id, last_run_id, first_seen_at, last_seen_at, resolved_at, resolved_run_id)
     VALUES ('late1', 'topic-missing', 'warning', ?, ?, '301', '2001', NULL, NULL, '2026-10-12', ?, 'Не заполнена тема урока 12.10', NULL,
       'run1', 'run1', 0, 0, ?, 'run2')`,
    [SCHOOL_ID, CLASS_ID, at('2026-10-15T00:00:00'), at('2026-10-20T12:00:00')],
  );
}

describe('справка over a two-week window', () => {
  let mirror: TestMirror;
  let data: AuditData;

  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedMovement(mirror.db);
    await seedChecks(mirror.db);
    await seedLateFix(mirror);
    data = await loadAudit(
      mirror.db,
      school,
      at('2026-10-20T13:00:00'),
      at('2026-10-21T00:00:00'),
      at('2026-10-06T00:00:00'),
    );
  });
  afterAll(async () => mirror?.dispose());

  it('covers the window from the given start to its date, not since the last check run', () => {
    const html = renderAuditHtml(data).html;
    expect(html).toContain('с 06.10.2026 по 20.10.2026 включительно');
    expect(html).toContain('Цель проверки');
    expect(html).toContain('Объект проверки');
    expect(html).toContain('Проверку провёл');
    expect(html).toContain('заместитель директора по УВР Смирнова Е. В.');
  });

  it('lists a violation fixed late within the window, with how many days late', () => {
    const late = data.findings.find((f) => f.message === 'Не заполнена тема урока 12.10')!;
    expect(late.fixedAt).toBe(at('2026-10-20T12:00:00'));
    expect(late.lateDays).toBe(6);
    expect(renderAuditHtml(data).html).toContain('устранено к 20.10.2026 (с опозданием 6 дн.)');
  });

  it('states every criterion with what was checked and the share on time', () => {
    const rows = criteriaRows(data);
    expect(rows).toHaveLength(RULE_IDS.length);
    // Петрова taught 14.10 (5Б) and 20.10 (5А) in the window: 2 lessons, 1 mark.
    const topic = rows.find((r) => r.title === 'Не заполнена тема урока')!;
    expect(topic).toMatchObject({ checked: 'уроков: 2', violations: 2, fixed: 1, share: '0,0' });
    const lateMarks = rows.find((r) => r.title === 'Несвоевременное выставление отметок')!;
    expect(lateMarks).toMatchObject({ checked: 'отметок: 1', violations: 1 });
    const none = rows.find((r) => r.title === 'Нет отметки за контрольную работу')!;
    expect(none).toMatchObject({ violations: 0, share: '100,0' });
  });

  it('names every teacher, with or without violations, and their lessons and marks', () => {
    const teachers = teacherRows(data);
    expect(teachers.map((t) => [t.name, t.lessons, t.marks])).toEqual([
      ['Петрова А. И.', 2, 1],
      ['Сидоров П. П.', 0, 0],
    ]);
  });

  it('recommends per teacher with an inclusive dated deadline and a re-check date', () => {
    expect(addWorkingDays('2026-10-20', 3)).toBe('2026-10-23');
    expect(addWorkingDays('2026-10-23', 1)).toBe('2026-10-26');
    const recs = recommendations(data, '2026-10-20');
    expect(recs.map((r) => [r.teacher, r.deadline, r.recheck])).toEqual([
      ['Петрова А. И.', 'до 23.10.2026 включительно', '26.10.2026'],
      ['Сидоров П. П.', 'до 23.10.2026 включительно', '26.10.2026'],
    ]);
    const html = renderAuditHtml(data).html;
    expect(html).not.toContain('00:00');
    expect(html).toContain('Со справкой ознакомлены');
    expect(html).toContain('Петрова Анна Ивановна');
    expect(html).toContain('Сидоров Пётр Петрович');
  });

  it('prints no rule codes', () => {
    const html = renderAuditHtml(data).html;
    for (const code of RULE_IDS) expect(html).not.toContain(`>${code}<`);
  });
});

describe('справка PDF over a window (pdftotext)', () => {
  let mirror: TestMirror;
  let dir: string;
  let text = '';

  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedMovement(mirror.db);
    await seedChecks(mirror.db);
    await seedLateFix(mirror);
    dir = mkdtempSync(join(tmpdir(), 'ezh-audit-'));
    const app = testApp(mirror, dir);
    const renderer = createPdfRenderer(app);
    try {
      const pdf = await renderAudit(app, {
        renderer,
        asOf: '2026-10-20T13:00:00',
        from: '2026-10-06',
      });
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

  it('prints the window, the late fix, the recommendations and the acquaintance lines', () => {
    expect(text).toContain('с 06.10.2026 по 20.10.2026 включительно');
    // The status wraps in its narrow column: its parts, in order.
    expect(text).toMatch(/устранено к[^]*20\.10\.2026[^]*опозданием[^]*6 дн\./);
    expect(text).toContain('до 23.10.2026 включительно');
    expect(text).toContain('Со справкой ознакомлены');
    expect(text).toContain('Выполнено в срок, %');
  });
});
