import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, JournalBuilder } from '../../../test/fixtures/checks/builder.js';
import {
  appDatabase,
  createTestMirror,
  ENGINES,
  type TestMirror,
} from '../../../test/helpers/mirrors.js';
import { configSchema } from '../../config/schema.js';
import type { DocumentApp } from '../documents/context.js';
import { performanceDocument } from '../documents/performance.js';
import { renderPerformanceHtml } from '../html/performance-html.js';
import { renderDocument } from '../render-document.js';
import { loadPerformance } from './performance.js';
import { loadPerformanceForecast } from './performance-forecast.js';
import type { SchoolInfo } from './school.js';

const SCHOOL = '950000';
const AS_OF = at('2026-10-20T12:00:00');
const school: SchoolInfo = {
  id: SCHOOL,
  name: 'Школа № 9',
  zone: 'Europe/Moscow',
  director: null,
  deputyDirector: null,
};

/**
 * The class and school forecast in the period results (issue 21), on a 6А in the last week of the
 * first quarter (20.10.2026; one lesson of each subject still ahead, norm 3 marks):
 * - Андреев: maths 5 5 4 (→ «5»), Russian 4 4 4: passing and good, now and ahead;
 * - Борисов: maths 3 3 3, Russian 4 5 5 (→ «5»): passing, not good;
 * - Волков: maths 4 4 4, Russian one «5» with one lesson left: good now, «н/а» ahead;
 * - Григорьев: maths 2 2 3 (→ «2»), Russian 3 3 3: failing now and ahead.
 * Now: успеваемость 3 of 4 (75 %), качество 2 of 4 (50 %); if the forecasts hold: 2 of 4 (50 %)
 * and 1 of 4 (25 %); at risk: Волков and Григорьев.
 */
function seed(b: JournalBuilder): void {
  b.school('Europe/Moscow');
  const cls = b.klass('6А', 6);
  b.period(cls);
  const math = b.subject('Математика');
  const rus = b.subject('Русский язык');
  const m = ['2026-09-02', '2026-09-09', '2026-10-14', '2026-10-22'].map((d) =>
    b.lesson(cls, math, d),
  );
  const r = ['2026-09-03', '2026-09-10', '2026-10-15', '2026-10-23'].map((d) =>
    b.lesson(cls, rus, d),
  );
  const marks: [string, string[], string[]][] = [
    ['Андреев Андрей', ['5', '5', '4'], ['4', '4', '4']],
    ['Борисов Борис', ['3', '3', '3'], ['4', '5', '5']],
    ['Волков Владимир', ['4', '4', '4'], ['5']],
    ['Григорьев Григорий', ['2', '2', '3'], ['3', '3', '3']],
  ];
  for (const [name, inMath, inRus] of marks) {
    const s = b.student(cls, name);
    inMath.forEach((v, i) => b.mark(m[i]!, cls, s, v));
    inRus.forEach((v, i) => b.mark(r[i]!, cls, s, v));
  }
}

function appOf(m: TestMirror, outDir: string): DocumentApp {
  return {
    config: configSchema.parse({
      database: appDatabase(m),
      schools: [{ id: SCHOOL, timeZone: 'Europe/Moscow' }],
      outDir,
      log: { level: 'silent' },
    }),
    clock: { now: () => AS_OF },
    logger: pino({ level: 'silent' }),
    mirror: async () => m,
  };
}

describe.each(ENGINES)('the forecast in the period results (%s)', (engine) => {
  let m: TestMirror;
  let dir: string;
  beforeAll(async () => {
    m = await createTestMirror(engine);
    const b = new JournalBuilder(SCHOOL);
    seed(b);
    await b.write(m.db);
    dir = mkdtempSync(join(tmpdir(), 'ezh-perf-forecast-'));
  });
  afterAll(async () => {
    await m?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('успеваемость and качество now and if the forecasts hold, per class and for the school', async () => {
    const data = await loadPerformance(m.db, school, '1 четверть');
    const f = await loadPerformanceForecast(appOf(m, dir), data, AS_OF);
    expect(f?.classes.map((c) => [c.className, c.period])).toEqual([['6А', '1 четверть']]);
    expect(f?.classes[0]!.current).toEqual({ students: 4, success: 75, quality: 50 });
    expect(f?.classes[0]!.forecast).toEqual({ students: 4, success: 50, quality: 25 });
    expect(f?.school).toEqual({
      current: { students: 4, success: 75, quality: 50 },
      forecast: { students: 4, success: 50, quality: 25 },
      atRisk: 2,
    });
    // The table beside the period marks' figures (none yet: the quarter is not over).
    const html = renderPerformanceHtml(data, { summary: f, asOf: AS_OF }).html;
    expect(html).toContain('Ожидаемые итоги периода по текущим отметкам на 20.10.2026 12:00');
    expect(html).toMatch(
      /<td>6А<\/td><td>I четверть<\/td><td class="num">—<\/td><td class="num">—<\/td><td class="num">4<\/td><td class="num">75,0<\/td><td class="num">50,0<\/td><td class="num"><b>50,0<\/b><\/td><td class="num"><b>25,0<\/b><\/td><td class="num">2<\/td>/,
    );
  });

  it('the printed PDF shows the forecast row of the class and the school', async () => {
    const app = appOf(m, dir);
    const { path } = await renderDocument(app, performanceDocument, { period: '1 четверть' }, {
      schoolId: SCHOOL,
    });
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    expect(text).toContain('Ожидаемые итоги периода по текущим отметкам на 20.10.2026 12:00');
    const row = (name: string) =>
      text
        .split('\n')
        .find((l) => l.trim().startsWith(name) && l.includes('75,0'))
        ?.trim()
        .split(/\s+/);
    expect(row('6А')).toEqual(['6А', 'I', 'четверть', '—', '—', '4', '75,0', '50,0', '50,0', '25,0', '2']);
    expect(row('Школа')).toEqual(['Школа', '—', '—', '4', '75,0', '50,0', '50,0', '25,0', '2']);
    if (process.env.EZH_KEEP_PDF) execFileSync('cp', [path, process.env.EZH_KEEP_PDF]);
  });
});
