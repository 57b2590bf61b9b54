import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import {
  SCHOOL_ID,
  ZONE,
  seedChecks,
  seedSchool,
} from '../../../test/fixtures/reports/school-fixture.js';
import { loadActivity, monthBounds } from '../data/activity.js';
import { loadAudit } from '../data/audit.js';
import { loadPerformance } from '../data/performance.js';
import type { SchoolInfo } from '../data/school.js';
import { emptyCounts } from '../metrics.js';
import { renderActivityHtml } from './activity-html.js';
import { renderAuditHtml } from './audit-html.js';
import { qualityChart } from './charts.js';
import { renderPerformanceHtml } from './performance-html.js';
import { localToInstant } from '../../platform/time.js';

const school: SchoolInfo = {
  id: SCHOOL_ID,
  name: 'Школа <№1>',
  zone: ZONE,
  director: null,
  deputyDirector: 'Смирнова Е. В.',
};

describe('compliance note, period results, activity: data and HTML', () => {
  let mirror: TestMirror;
  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedChecks(mirror.db);
  });
  afterAll(async () => mirror?.dispose());

  it('audit: the latest run at or before as-of, findings of the window, new and resolved per rule', async () => {
    const data = await loadAudit(mirror.db, school, localToInstant('2026-10-25T00:00:00', ZONE));
    expect(data.run?.id).toBe('run2');
    expect(data.previous?.id).toBe('run1');
    // The window is the 10 days before the note's run (from 10.10 00:00): run1 (10.10 12:00) is in it,
    // and homework-missing, fixed by run2 (20.10) within it, is listed as fixed.
    expect(data.findings.map((f) => [f.rule, f.isNew, f.fixedAt !== null])).toEqual([
      ['mark-late', true, false],
      ['topic-missing', true, false],
      ['grade1-mark', true, false],
      ['homework-missing', true, true],
    ]);
    const byRule = Object.fromEntries(data.rules.map((r) => [r.rule, [r.open, r.new, r.resolved]]));
    expect(byRule).toEqual({
      'mark-late': [1, 1, 0],
      'topic-missing': [1, 1, 0],
      'grade1-mark': [1, 1, 0],
      'homework-missing': [0, 1, 1],
    });
    const html = renderAuditHtml(data).html;
    expect(html).toContain('Отметка внесена позже срока &lt;b&gt;');
    expect(html).toContain('Школа &lt;№1&gt;');

    const earlier = await loadAudit(mirror.db, school, localToInstant('2026-10-15T00:00:00', ZONE));
    expect(earlier.run?.id).toBe('run1');
    expect(earlier.findings.map((f) => f.rule).sort()).toEqual(['homework-missing', 'mark-late']);
    expect(earlier.findings.every((f) => f.fixedAt === null)).toBe(true);
    const none = await loadAudit(mirror.db, school, localToInstant('2026-10-01T00:00:00', ZONE));
    expect(none.run).toBeNull();
    expect(renderAuditHtml(none).html).toContain(
      'Проверка электронного журнала на указанную дату не проводилась',
    );
  });

  it('performance: counts per class and subject, н/а in N, осв out, weighted average', async () => {
    const data = await loadPerformance(mirror.db, school, '1 четверть');
    const math = data.rows.find((r) => r.subject === 'Математика')!;
    expect(math.counts).toEqual({ ...emptyCounts(), n5: 1, n4: 1, nNa: 1, nDismiss: 1 });
    expect(math.teacher).toBe('Петрова Анна Ивановна');
    // (5·1 + 4·1 + 3·2 + 2·1) / (1 + 1 + 2 + 1) = 17 / 5
    expect(math.weightedSum / math.weightSum).toBeCloseTo(3.4, 10);
    const html = renderPerformanceHtml(data).html;
    expect(html).toContain('<svg');
    expect(html).toContain('57,0'); // СОУ of math: (100 + 64 + 7) / 3
    expect(html).toContain('55,3'); // СОУ of the class: 387 / 7
  });

  it('charts escape their labels', () => {
    const svg = qualityChart([{ label: '5<script>alert(1)</script>', value: 50 }]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('activity: per teacher and local day from the history', async () => {
    expect(monthBounds('2026-10', ZONE).days).toBe(31);
    const data = await loadActivity(mirror.db, school, '2026-10');
    const byName = Object.fromEntries(data.teachers.map((t) => [t.name, t.days]));
    expect(byName['Петрова Анна Ивановна']).toEqual({
      5: { marks: 4 },
      6: { topics: 1 },
      7: { attendance: 2 },
    });
    expect(byName['Сидоров Пётр Петрович']).toEqual({ 5: { homework: 1 } });
    expect(byName['Кузнецова Ольга Сергеевна']).toEqual({});
    const html = renderActivityHtml(data).html;
    expect(html).toMatch(
      /<tr class="highlight"><td class="num">1<\/td><td class="name">Кузнецова Ольга Сергеевна/,
    );
    // September: the initial load (the mirror's first observation), shown apart, on no day.
    const sept = await loadActivity(mirror.db, school, '2026-09');
    const petrova = sept.teachers.find((t) => t.name === 'Петрова Анна Ивановна')!;
    expect(petrova.days[20]).toBeUndefined();
    expect(petrova.backfill).toEqual({ topics: 19, homework: 2 });
    expect(renderActivityHtml(sept).html).toContain(
      'Загружено первой синхронизацией (20.09.2026 12:00)',
    );
  });
});
