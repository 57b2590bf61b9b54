import { formatLocal } from '../platform/time.js';
import type { CheckRunResult } from './engine.js';
import { describePrecision } from './precision.js';

const SEVERITY_RU = { info: 'инфо', warning: 'предупр.', critical: 'критично' } as const;

/** The terminal view: findings grouped by class, then teacher, one line each. */
export function formatFindingsTable(runs: readonly CheckRunResult[], zone: string): string {
  const lines: string[] = [];
  for (const run of runs) {
    lines.push(
      `Школа ${run.schoolId}: проверка на ${formatLocal(run.asOf, zone)}; нарушений ${run.findings.length} (новых ${run.newCount}, устранено ${run.resolvedCount}); ${describePrecision(run.entryTimePrecision)}`,
    );
    let klass: string | undefined;
    let teacher: string | undefined;
    for (const f of run.findings) {
      const k = f.className ?? f.classId ?? '—';
      const t = f.teacherName ?? f.teacherId ?? '—';
      if (k !== klass) {
        lines.push('', `Класс ${k}`);
        klass = k;
        teacher = undefined;
      }
      if (t !== teacher) {
        lines.push(`  Учитель: ${t}`);
        teacher = t;
      }
      lines.push(`    [${SEVERITY_RU[f.severity]}] ${f.rule}: ${f.message}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
