import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, ENGINES, type TestMirror } from '../../../test/helpers/mirrors.js';
import { seedResults } from '../../../test/fixtures/reports/results-fixture.js';
import { SCHOOL_ID, ZONE, seedSchool } from '../../../test/fixtures/reports/school-fixture.js';
import { renderPerformanceHtml } from '../html/performance-html.js';
import { loadPerformance } from './performance.js';
import type { SchoolInfo } from './school.js';
import { studentPassRate, studentQualityRate } from './student-categories.js';

const school: SchoolInfo = { id: SCHOOL_ID, name: 'Школа № 1', zone: ZONE, director: null, deputyDirector: 'Смирнова Е. В.' };

describe.each(ENGINES)('period results: every class, students counted, the change (%s)', (engine) => {
  let mirror: TestMirror;
  beforeAll(async () => {
    mirror = await createTestMirror(engine);
    await seedSchool(mirror.db);
    await seedResults(mirror.db);
  });
  afterAll(async () => mirror?.dispose());

  it('качество and успеваемость count students (only «4» and «5»; without «2» and н/а), not marks', async () => {
    // 5А, I quarter: Алексеев 5/4, Борисова 4/3, Ведров н/а/2, Григорьев осв/5. Over marks
    // качество would be 4 of 7 (57,1 %), успеваемость 5 of 7 (71,4 %).
    const data = await loadPerformance(mirror.db, school, '1 четверть');
    const c5 = data.classes.find((c) => c.className === '5А')!;
    expect(c5.categories).toMatchObject({ n: 4, excellent: 1, good: 1, oneFour: 1, satisfactory: 1, oneThree: 1, failing: 1, notAssessed: 0 });
    expect(studentQualityRate(c5.categories)).toBe(50);
    expect(studentPassRate(c5.categories)).toBe(75);
    const html = renderPerformanceHtml(data).html;
    expect(html).toContain('<td class="num">50,0</td>');
    expect(html).toContain('<td class="num">75,0</td>');
    expect(html).toContain('Итоги успеваемости: I четверть');
  });

  it('a half-year class is in the results of the quarter its half-year ends with, grade 1 nowhere', async () => {
    const data = await loadPerformance(mirror.db, school, 'II четверть');
    expect(data.period).toBe('2 четверть');
    expect(data.periodTitle).toBe('II четверть');
    expect(data.classes.map((c) => [c.className, c.period?.title ?? null])).toEqual([
      ['5А', 'II четверть'],
      ['10А', '1 полугодие'],
    ]);
    expect(data.excluded).toEqual(['1А']);
    expect(data.rows.some((r) => r.className === '1А')).toBe(false);
    const c10 = data.classes.find((c) => c.className === '10А')!;
    expect(c10.categories).toMatchObject({ n: 2, good: 1, oneFour: 1, failing: 1 });
    expect(c10.attendance).toEqual({ missed: 1, ill: 1, excused: 0 });
    // The «Школа» row is every class's students: 4 of 5А and 2 of 10А.
    const html = renderPerformanceHtml(data).html;
    expect(html).toMatch(/<tr class="total"><td>Школа<\/td><td><\/td><td class="num">6<\/td>/);
    expect(html).not.toContain('Первоклассников');
  });

  it('the change against the same class’s previous period of the same kind', async () => {
    const data = await loadPerformance(mirror.db, school, '2 четверть');
    const c5 = data.classes.find((c) => c.className === '5А')!;
    expect(c5.previous?.title).toBe('I четверть');
    expect(studentQualityRate(c5.categories)).toBe(75);
    // качество 50 → 75, успеваемость 75 → 100: +25,0 each.
    const html = renderPerformanceHtml(data).html;
    expect(html).toContain('<td class="num">+25,0</td>');
    // 10А has no earlier half-year: no change shown.
    expect(data.classes.find((c) => c.className === '10А')!.previous).toBeNull();
  });

  it('a half-year class without a period ending in the quarter is listed with the reason', async () => {
    const data = await loadPerformance(mirror.db, school, '1 четверть');
    const c10 = data.classes.find((c) => c.className === '10А')!;
    expect(c10.period).toBeNull();
    expect(renderPerformanceHtml(data).html).toContain('аттестация по полугодиям');
  });

  it('the year is a period too', async () => {
    const data = await loadPerformance(mirror.db, school, 'Год');
    expect(data.periodTitle).toBe('Год');
    expect(data.classes.find((c) => c.className === '5А')?.period?.title).toBe('Год');
  });
});
