import { formatLocal } from '../platform/time.js';
import type { CheckRunResult } from './engine.js';
import type { RunEvidence } from './run-evidence.js';
import { describePrecision } from './precision.js';

const SEVERITY_RU = { info: 'инфо', warning: 'предупр.', critical: 'критично' } as const;

/**
 * The terminal view: findings grouped by class, then teacher, one line each; after each school,
 * notes (in English, as the CLI's own words) on what kind of run it was and what the mirror
 * cannot know as of its instant. Each school's instant in its own zone.
 */
export function formatFindingsTable(
  runs: readonly (CheckRunResult & { evidence?: RunEvidence; zone: string })[],
): string {
  const lines: string[] = [];
  for (const run of runs) {
    const moves =
      run.kind === 'what-if' ? '' : ` (новых ${run.newCount}, устранено ${run.resolvedCount})`;
    lines.push(
      `Школа ${run.schoolId}: проверка на ${formatLocal(run.asOf, run.zone)}; нарушений ${run.findings.length}${moves}; ${describePrecision(run.entryTimePrecision)}`,
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
    lines.push('', ...notes(run));
  }
  return lines.join('\n');
}

function notes(run: CheckRunResult & { evidence?: RunEvidence }): string[] {
  const out: string[] = [];
  if (run.kind === 'what-if') {
    const present = run.evidence?.lastSync
      ? ` (the last successful sync, ${run.evidence.lastSync})`
      : '';
    out.push(
      `note: a what-if run: as of an instant other than the mirror's present${present}, it is stored apart and changes no finding's history, alert or compliance note`,
    );
  }
  for (const w of run.evidence?.warnings ?? []) out.push(`warning: ${w.message}`);
  if (run.evidence?.history === 'platform') {
    out.push(
      "evidence: as of before the mirror's first sync, from the platform's own timestamps; per rule:",
    );
    for (const r of run.evidence.rules) out.push(`  ${r.rule}: ${r.evidence}`);
  } else if (run.evidence?.history === 'mirror-and-platform') {
    out.push(
      "evidence: as of between syncs: an entry counts from when the mirror saw it or the platform's own timestamp for it, whichever is earlier",
    );
  }
  return out.length > 0 ? [...out, ''] : [];
}
