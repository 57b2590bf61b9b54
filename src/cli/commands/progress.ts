import { Option, type Command } from 'commander';
import {
  ProgressService,
  type ClassSheet,
  type StudentExtract,
} from '../../app/progress-service.js';
import { asOfInstant, loadSchoolContexts } from '../../mirror/school-context.js';
import { formatTable } from '../../mirror/stats.js';
import type { App } from '../app.js';
import { withApp } from '../run-action.js';

interface ProgressOptions {
  school?: string;
  class?: string;
  student?: string;
  asOf?: string;
  /** Bare: the period of the instant so far; a name: that period. */
  period?: boolean | string;
  format: 'table' | 'json';
}

/**
 * `ezh progress --class 5А [--student ID|"Фамилия Имя"] [--period [name]] [--as-of …]`: the class teacher's weekly
 * sheet, or one student's extract, as a table (a thin door over src/app/progress-service.ts).
 * Personal data: printed to the terminal of whoever runs it, never logged.
 */
export function registerProgressCommand(program: Command): void {
  program
    .command('progress')
    .description("students' progress: the class's weekly sheet or one student's extract")
    .option('--school <id>', 'the school (when the mirror holds several)')
    .option('--class <name>', 'class name («5А») or id: the weekly sheet')
    .option('--student <id|name>', "one student's extract (person id or «Фамилия Имя»)")
    .option('--as-of <iso>', 'the instant (default: now)')
    .option(
      '--period [name]',
      'a period by name ("2 четверть", "1 полугодие"): the sheet of its last week so far, the extract of the whole period; bare, with --student: the current period so far',
    )
    .addOption(new Option('--format <format>').choices(['table', 'json']).default('table'))
    .action(
      withApp(async (app, opts: ProgressOptions) => {
        const asOf = await instantOf(app, opts);
        const service = new ProgressService(app);
        if (opts.student) {
          const extract = await service.studentExtract({
            school: opts.school,
            student: opts.student,
            asOf,
            range: opts.period ? 'period' : 'week',
            ...(typeof opts.period === 'string' ? { period: opts.period } : {}),
          });
          write(opts, extract, () => printExtract(extract));
          return;
        }
        if (!opts.class) {
          process.stderr.write('ezh: name a class (--class 5А) or a student (--student)\n');
          return 2;
        }
        const sheet = await service.classSheet({
          school: opts.school,
          class: opts.class,
          asOf,
          ...(typeof opts.period === 'string' ? { period: opts.period } : {}),
        });
        write(opts, sheet, () => printSheet(sheet));
      }),
    );
}

async function instantOf(app: App, opts: ProgressOptions): Promise<number> {
  const now = () => app.clock.now();
  if (!opts.asOf) return now();
  return asOfInstant(
    opts.asOf,
    async () =>
      (await loadSchoolContexts((await app.mirror()).db, app.config)).zoneFor(opts.school),
    now,
  );
}

function write(opts: ProgressOptions, value: unknown, table: () => string): void {
  process.stdout.write(
    opts.format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : `${table()}\n`,
  );
}

const num = (v: number | null) => (v === null ? '—' : v.toFixed(2).replace('.', ','));
const change = (v: number | null) => (v === null || v === 0 ? '' : v > 0 ? `↑${v}` : `↓${-v}`);

function printSheet(s: ClassSheet): string {
  const head = `${s.className}: ${s.period?.name ?? 'период не найден'}, неделя ${s.week ? `${s.week.n} (${s.week.start} – ${s.week.end})` : '—'}`;
  const rows = s.students.map((st, i) => [
    i + 1,
    st.name,
    st.place ?? '—',
    change(st.change),
    num(st.overall),
    st.cells.filter((c) => c.risk).length,
    st.weekAbsences,
    st.cells
      .filter((c) => c.weekMarks.length > 0)
      .map((c) => `${short(s, c.subjectId)} ${c.weekMarks.join(' ')}`)
      .join('; '),
  ]);
  const risks = s.atRisk.map(
    (r) =>
      `  ${r.studentName}, ${r.subjectName}: ${r.forecast ?? '—'} (${reasonText[r.reason]}, средний ${num(r.average)}, отметок ${r.marks}${r.norm !== null ? ` из ${r.norm}` : ''})`,
  );
  return [
    head,
    formatTable(
      ['№', 'Ученик', 'Место', 'Δ', 'Средний', 'Риски', 'Пропуски', 'Отметки недели'],
      rows,
    ),
    risks.length > 0 ? `В зоне риска:\n${risks.join('\n')}` : 'В зоне риска: нет',
  ].join('\n\n');
}

function printExtract(e: StudentExtract): string {
  const rows = e.subjects.map((x) => [
    x.subjectName,
    x.marks.map((m) => m.value).join(' '),
    num(x.average),
    x.place ?? '—',
    x.absences,
    x.forecast === null ? '—' : String(x.forecast),
    x.risk ? reasonText[x.risk] : '',
  ]);
  return [
    `${e.studentName}, ${e.className}: ${e.range.start} – ${e.range.end}; место в классе ${[e.place ?? '—', change(e.change)].filter(Boolean).join(' ')}, средний ${num(e.overall)}, пропусков ${e.absences}`,
    formatTable(['Предмет', 'Отметки', 'Средний', 'Место', 'Пропуски', 'Прогноз', 'Риск'], rows),
  ].join('\n\n');
}

const reasonText = { two: 'прогноз «2»', na: 'мало отметок: н/а', slow: 'мало отметок' } as const;

function short(s: ClassSheet, subjectId: string): string {
  const name = s.subjects.find((x) => x.id === subjectId)?.name ?? '?';
  return name.length > 8 ? `${name.slice(0, 7)}.` : name;
}
