import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, JournalBuilder } from '../../test/fixtures/checks/builder.js';
import { runCli } from '../../test/helpers/cli.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { UsageError } from '../platform/errors.js';
import { createAppContext, type AppContext } from './context.js';
import { ProgressService } from './progress-service.js';

/**
 * A period by name (`--period "1 четверть"` of `ezh progress` and `ezh report student`): as of a
 * day in the second quarter, the first quarter's marks and its last week, by the platform's name
 * or by the title documents print («I четверть»); an unknown name lists the class's periods.
 */
describe('progress of a period by name', () => {
  let m: TestMirror;
  let app: AppContext;
  let dir: string;
  const asOf = at('2026-11-18T12:00:00');
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    const b = new JournalBuilder('940000');
    b.school('Europe/Moscow');
    const cls = b.klass('8А', 8);
    b.period(cls);
    b.period(cls, { name: '2 четверть', number: 2, start: '2026-11-05', finish: '2026-12-27' });
    const math = b.subject('Математика');
    const q1 = ['2026-09-02', '2026-10-14', '2026-10-21'].map((d) => b.lesson(cls, math, d));
    const q2 = b.lesson(cls, math, '2026-11-11');
    const s = b.student(cls, 'Зайцев Захар');
    ['5', '4', '3'].forEach((v, i) => b.mark(q1[i]!, cls, s, v));
    b.mark(q2, cls, s, '2');
    await b.write(m.db);
    app = createAppContext({ overrides: { database: m.database, schools: [{ id: '940000' }] } });
    dir = mkdtempSync(join(tmpdir(), 'ezh-period-'));
  });
  afterAll(async () => {
    await app?.close();
    await m?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the extract of a past period: its marks, from its first day to its last; the period's name or title", async () => {
    const service = new ProgressService(app);
    for (const period of ['1 четверть', 'I четверть']) {
      const e = await service.studentExtract({ student: 'Зайцев Захар', asOf, period });
      expect(e.period?.name).toBe('1 четверть');
      expect(e.range).toEqual({ kind: 'period', start: '2026-09-01', end: '2026-10-25' });
      expect(e.subjects[0]!.marks.map((x) => x.value)).toEqual(['5', '4', '3']);
      expect(e.overall).toBe(4);
    }
    // Without a name: the period of the instant (the second quarter so far).
    const now = await service.studentExtract({ student: 'Зайцев Захар', asOf, range: 'period' });
    expect(now.subjects[0]!.marks.map((x) => x.value)).toEqual(['2']);
  });

  it("the weekly sheet of a past period is its last week's", async () => {
    const sheet = await new ProgressService(app).classSheet({
      class: '8А',
      asOf,
      period: '1 четверть',
    });
    expect(sheet.week).toEqual({ n: 8, start: '2026-10-19', end: '2026-10-25' });
    expect(sheet.students[0]!.cells[0]!.weekMarks).toEqual(['3']);
  });

  it('an unknown period is a usage error listing the periods of the class', async () => {
    const err = await new ProgressService(app)
      .studentExtract({ student: 'Зайцев Захар', asOf, period: '3 четверть' })
      .then(
        () => null,
        (e: unknown) => e as UsageError,
      );
    expect(err).toBeInstanceOf(UsageError);
    expect(err!.message).toBe('no period "3 четверть" for class 8А');
    expect(err!.problems).toEqual([
      "the class's periods: «1 четверть» («I четверть»), «2 четверть» («II четверть»)",
    ]);
  });

  it('ezh progress --period and ezh report student --period, by name; exit 2 when unknown', () => {
    const config = join(dir, 'ezh.yaml');
    writeFileSync(
      config,
      `database:\n  type: sqlite\n  path: ${m.database.path}\nschools:\n  - id: "940000"\noutDir: ${dir}\n`,
    );
    const common = ['--config', config];
    const json = runCli([
      ...common,
      'progress',
      '--student',
      'Зайцев Захар',
      '--period',
      'I четверть',
      '--as-of',
      '2026-11-18T12:00',
      '--format',
      'json',
    ]);
    expect(json.stderr).toBe('');
    const extract = JSON.parse(json.stdout) as { range: { start: string; end: string } };
    expect(extract.range).toEqual({ kind: 'period', start: '2026-09-01', end: '2026-10-25' });
    const bad = runCli([
      ...common,
      'report',
      'student',
      '--student',
      'Зайцев Захар',
      '--period',
      '5 четверть',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no period "5 четверть" for class 8А');
    expect(bad.stderr).toContain('«2 четверть» («II четверть»)');
    // Two CLI processes from source: slow on a loaded machine.
  }, 180_000);
});
