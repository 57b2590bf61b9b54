import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { probeConfiguredSchool, type ProbeReport } from '../../connectors/dnevnik/probe/probe.js';
import { UsageError } from '../../platform/errors.js';
import { instantToLocalDate } from '../../platform/time.js';
import { withApp } from '../run-action.js';

interface ProbeFlags {
  school?: string;
  classes: string;
  weeks: string;
  out?: string;
  format: string;
  until?: string;
}

/**
 * `ezh probe`: first contact with a real platform, read only. Samples a few classes and weeks of
 * a configured school, prints what the platform does (with the evidence) and writes the settings
 * it recommends as a YAML fragment to merge into ezh.yaml before the first full sync.
 */
export function registerProbeCommand(program: Command): void {
  program
    .command('probe')
    .description(
      "read a sample of a school's journal (read only) and tell how this platform behaves: entry moments, windows, attendance, subgroups, mark systems, endpoints",
    )
    .option('--school <id>', 'the school (default: the first configured)')
    .option('--classes <n>', 'classes to sample', '3')
    .option('--weeks <n>', 'weeks before today to sample', '3')
    .option('--out <file>', 'write the recommended settings here (default probe-<school>.yaml)')
    .option('--until <date>', 'last day of the sample, YYYY-MM-DD (default today)')
    .option('--format <format>', 'text or json', 'text')
    .action(
      withApp(async (app, flags: ProbeFlags) => {
        const classes = Number(flags.classes);
        const weeks = Number(flags.weeks);
        const problems: string[] = [];
        if (!Number.isInteger(classes) || classes < 1 || classes > 20) {
          problems.push(`--classes: expected 1..20, got "${flags.classes}"`);
        }
        if (!Number.isInteger(weeks) || weeks < 1 || weeks > 12) {
          problems.push(`--weeks: expected 1..12, got "${flags.weeks}"`);
        }
        if (flags.format !== 'text' && flags.format !== 'json') {
          problems.push(`--format: expected text or json, got "${flags.format}"`);
        }
        const configured = app.config.schools;
        // The probe reads the platform with a school's token: a configured school, never silently the first of several.
        const school = flags.school
          ? configured.find((s) => s.id === flags.school)
          : configured.length === 1
            ? configured[0]
            : undefined;
        if (!school) {
          problems.push(
            flags.school
              ? `--school: ${flags.school} is not in the config's schools`
              : configured.length === 0
                ? 'schools: no school configured (add schools[].id to the config)'
                : `--school: several schools configured (${configured.map((s) => s.id).join(', ')}): name one`,
          );
        }
        if (flags.until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.until)) {
          problems.push(`--until: expected a date YYYY-MM-DD, got "${flags.until}"`);
        }
        if (problems.length > 0) throw new UsageError('bad probe options', problems);

        // The sampled weeks end today: before the first sync the zone may be unknown here, and a
        // day either way changes no verdict (the probe reads the platform's zone itself).
        const today = flags.until ?? instantToLocalDate(Date.now(), school!.timeZone ?? 'UTC');
        const report = await probeConfiguredSchool(app.config, school!, { today, classes, weeks });
        const out = flags.out ?? `probe-${school!.id}.yaml`;
        writeFileSync(out, recommendationsYaml(report, today), { mode: 0o600 });
        process.stdout.write(
          flags.format === 'json'
            ? `${JSON.stringify(report, null, 2)}\n`
            : `${describe(report)}\nRecommended settings written to ${out}\n`,
        );
      }),
    );
}

function recommendationsYaml(r: ProbeReport, today: string): string {
  const head = `# ezh probe of school ${r.school.id} on ${today} (${r.sample.classes.length} classes, ${r.sample.from}..${r.sample.to}).\n# Merge into ezh.yaml; a setting the sample could not decide is left out.\n`;
  const body = Object.keys(r.recommended).length > 0 ? stringify(r.recommended) : '{}\n';
  return head + body;
}

function describe(r: ProbeReport): string {
  const lines: string[] = [];
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  const z = r.marks.entryZone;
  const w = r.marks.window;
  const a = r.attendance;
  lines.push(
    `School ${r.school.id}${r.school.name ? ` (${r.school.name})` : ''}: platform zone ${r.school.platformZone ?? 'not given'}, configured ${r.school.configuredZone ?? 'none'}${r.school.configuredZone === null && r.school.platformZone === null ? ' (set schools[].timeZone: lesson times below are read in UTC)' : ''}`,
    `Sample: ${r.sample.classes.length} classes, ${r.sample.from}..${r.sample.to}`,
    '',
    `Mark.date (entry moment): zone ${z.verdict}; ${z.sampled} marks, ${z.sameAsLesson} equal to their lesson's start; set before their lesson under each reading: ${kv(z.beforeLesson)}; median ${z.medianHoursAfterLesson ?? '—'} h after the lesson`,
    `Marks windows select by: ${w.verdict} (a one-day window returned ${w.returned} marks: ${w.lessonInWindow} with the lesson on that day, ${w.markDateInWindow} with their own date on it)`,
    `Attendance: ${a.verdict} (${a.entries} entries of ${a.lessons} lessons, ${a.present} "Attend"; statuses ${kv(a.statuses)})`,
    `Attendance by lesson ids (one call per window, what the sync asks first): ${r.attendanceByLessons.verdict} (${r.attendanceByLessons.byLessons} entries against ${r.attendanceByLessons.perSubject} per subject)${r.attendanceByLessons.verdict === 'differs' ? ': the sync would miss entries; report it before syncing' : ''}`,
    `Groups: ${kv(r.groups)}; lessons of subgroups in the sample: ${r.subgroupLessons}`,
    ...r.subgroups.map(
      (g) =>
        `  subgroup ${g.label}: ${g.lessons} lessons${g.listed ? '' : ' (not listed by edu-groups)'}`,
    ),
    `Mark systems: ${kv(r.marks.systems)}; several marks per work and student: ${r.marks.severalPerWork}; textValue differs from value: ${r.marks.textDiffers}`,
    `Reporting periods: ${kv(r.periodTypes)}`,
    `Requests: ${r.requests.total} (retries ${r.requests.retries}), median ${r.requests.medianMs ?? '—'} ms, slowest ${r.requests.maxMs ?? '—'} ms`,
    '',
    'Endpoints:',
    ...r.endpoints.map(
      (e) =>
        `  ${e.outcome.padEnd(6)} ${e.endpoint} (${e.calls} call${e.calls === 1 ? '' : 's'}, slowest ${e.maxMs} ms)${e.detail ? `: ${e.detail}` : ''}`,
    ),
  );
  return lines.join('\n');
}
