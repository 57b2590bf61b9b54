import { UsageError } from '../../../platform/errors.js';
import type { Config, SchoolConfig } from '../../../config/schema.js';
import { addDays } from '../../../platform/time.js';
import { createDnevnikClient } from '../dnevnik.connector.js';
import { dnevnikClientSettings, dnevnikSettings } from '../settings.js';
import { dnevnikTokenProvider } from '../token-from-config.js';
import { PlatformError } from '../../_shared/http-error.js';
import type { DnevnikClient } from '../client.js';
import { paths } from '../resources/paths.js';
import { LESSONS_PER_CALL } from '../resources/window-scope.js';
import { eduGroupSchema } from '../schemas/edu-group.js';
import { lessonSchema, type RawLesson } from '../schemas/lesson.js';
import { logEntrySchema } from '../schemas/log-entry.js';
import { markSchema } from '../schemas/mark.js';
import { twin } from '../schemas/common.js';
import { subgroupLabel } from '../../../platform/class-names.js';
import { lessonSubjectId } from '../mappers/to-lesson.js';
import { toStartTime } from '../dates.js';
import { utcOffsetZone } from '../mappers/to-school.js';
import {
  attendanceVerdict,
  entryZoneVerdict,
  windowVerdict,
  type AttendanceVerdict,
  type EntryZoneVerdict,
  type MarkSample,
  type WindowVerdict,
} from './verdicts.js';

/**
 * `ezh probe` on Dnevnik: reads a few classes and weeks of one school (read only) and tells what
 * this platform actually does where public clients disagree or say nothing (reference §7), with
 * the evidence and the settings it recommends.
 */

export interface ProbeOptions {
  schoolId: string;
  /** The school's zone as configured; omitted: the platform's (lesson times are read in it). */
  zone?: string;
  /** Today's local date (the sample ends here). */
  today: string;
  classes: number;
  weeks: number;
}

export interface EndpointOutcome {
  endpoint: string;
  outcome: 'ok' | 'denied' | 'error';
  detail: string | null;
  calls: number;
  maxMs: number;
}

export interface ProbeReport {
  school: {
    id: string;
    name: string | null;
    platformZone: string | null;
    configuredZone: string | null;
    /** The zone lesson times were read in: the configured one, else the platform's, else UTC (said in the text). */
    zone: string;
  };
  sample: { from: string; to: string; classes: string[] };
  endpoints: EndpointOutcome[];
  groups: Record<string, number>;
  subgroupLessons: number;
  /**
   * The subgroups whose lessons came back with a sampled class's (reference §7), named as the
   * platform lists them with their class («5А / Английский язык, гр. 1»), with their lessons in
   * the sample; `listed` false: the lessons named a group `edu-groups` did not list.
   */
  subgroups: { id: string; label: string; lessons: number; listed: boolean }[];
  periodTypes: Record<string, number>;
  marks: {
    systems: Record<string, number>;
    severalPerWork: number;
    textDiffers: number;
    entryZone: EntryZoneVerdict;
    window: WindowVerdict;
  };
  attendance: AttendanceVerdict;
  /**
   * Attendance by lesson ids (`lesson-log-entries?lessons=…`, row 61, what the sync asks first)
   * against one call per subject (row 62) for the same lessons: `same` entries, `differs`,
   * `refused` (the sync then reads per subject), `unknown` (no entry in the sample).
   */
  attendanceByLessons: {
    verdict: 'same' | 'differs' | 'refused' | 'unknown';
    perSubject: number;
    byLessons: number;
  };
  requests: { total: number; retries: number; medianMs: number | null; maxMs: number | null };
  recommended: {
    platform?: { entryTimeZone: string };
    checks?: { rules: { 'attendance-not-kept': { storage: 'everyStudent' | 'exceptionsOnly' } } };
  };
}

export async function probeDnevnik(client: DnevnikClient, o: ProbeOptions): Promise<ProbeReport> {
  const stats = { requests: 0, retries: 0 };
  const endpoints = new Map<string, EndpointOutcome>();
  const durations: number[] = [];
  /** One call, recorded under its endpoint template; null when it failed. */
  const call = async (
    template: string,
    path: string,
    query?: Record<string, string | readonly string[]>,
  ) => {
    const row = endpoints.get(template) ?? {
      endpoint: template,
      outcome: 'ok' as const,
      detail: null,
      calls: 0,
      maxMs: 0,
    };
    endpoints.set(template, row);
    const started = Date.now();
    try {
      const reply = await client.get(path, { stats, query });
      return reply;
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      row.outcome = err.kind === 'auth' ? 'denied' : 'error';
      row.detail = `${err.status ?? '-'} ${err.type}`;
      return null;
    } finally {
      const ms = Date.now() - started;
      row.calls++;
      row.maxMs = Math.max(row.maxMs, ms);
      durations.push(ms);
    }
  };
  const list = (reply: unknown): unknown[] => (Array.isArray(reply) ? reply : []);

  await call('users/me', paths.me());
  const school = (await call('schools/{id}', paths.school(o.schoolId))) as {
    name?: string;
    timeZone?: number;
  } | null;
  const platformZone = typeof school?.timeZone === 'number' ? utcOffsetZone(school.timeZone) : null;
  // As every other door decides it (mirror/school-context.ts): the config's, else the platform's.
  const zone = o.zone ?? platformZone ?? 'UTC';

  const groups: Record<string, number> = {};
  const classes: string[] = [];
  const names = new Map<string, { name: string; parent: string | null }>();
  for (const raw of list(
    await call('schools/{id}/edu-groups', paths.schoolEduGroups(o.schoolId)),
  )) {
    const g = eduGroupSchema.safeParse(raw);
    if (!g.success) continue;
    const type = g.data.type ?? 'Group';
    groups[type] = (groups[type] ?? 0) + 1;
    names.set(twin(g.data.id_str, g.data.id) as string, {
      name: g.data.name,
      parent: (g.data.parentIds_str ?? g.data.parentIds ?? [])[0] ?? null,
    });
    if (type === 'Group') classes.push(twin(g.data.id_str, g.data.id) as string);
  }
  // Classes spread over the school (first, middle, last …), not the first few of one parallel.
  const picked = spread(classes, o.classes);
  const from = addDays(o.today, -7 * o.weeks + 1);
  const to = o.today;

  const periodTypes: Record<string, number> = {};
  const samples: MarkSample[] = [];
  const statuses: string[] = [];
  const systems: Record<string, number> = {};
  let severalPerWork = 0;
  let textDiffers = 0;
  let subgroupLessons = 0;
  const subgroupSeen = new Map<string, number>();
  const entryLessons = new Set<string>();
  let window: WindowVerdict | null = null;
  const byLessons: ProbeReport['attendanceByLessons'] = {
    verdict: 'unknown',
    perSubject: 0,
    byLessons: 0,
  };

  for (const classId of picked) {
    for (const raw of list(
      await call('edu-groups/{g}/reporting-periods', paths.reportingPeriods(classId)),
    )) {
      const type = (raw as { type?: string }).type ?? '?';
      periodTypes[type] = (periodTypes[type] ?? 0) + 1;
    }
    const lessons = new Map<string, RawLesson>();
    for (const raw of list(
      await call('edu-groups/{g}/lessons/{from}/{to}', paths.lessons(classId, from, to)),
    )) {
      const l = lessonSchema.safeParse(raw);
      if (!l.success) continue;
      lessons.set(twin(l.data.id_str, l.data.id) as string, l.data);
      const group = twin(l.data.group_str, l.data.group);
      if (group && group !== classId) {
        subgroupLessons++;
        subgroupSeen.set(group, (subgroupSeen.get(group) ?? 0) + 1);
      }
    }
    const perWork = new Map<string, number>();
    for (const raw of list(
      await call('edu-groups/{g}/marks/{from}/{to}', paths.marks(classId, from, to)),
    )) {
      const m = markSchema.safeParse(raw);
      if (!m.success) continue;
      const system = m.data.type ?? '?';
      systems[system] = (systems[system] ?? 0) + 1;
      const text = (raw as { textValue?: unknown }).textValue;
      if (typeof text === 'string' && text !== m.data.value) textDiffers++;
      const work = twin(m.data.work_str, m.data.work);
      const person = twin(m.data.person_str, m.data.person);
      if (work) {
        const key = `${work}|${person}`;
        perWork.set(key, (perWork.get(key) ?? 0) + 1);
      }
      const lesson = lessons.get(twin(m.data.lesson_str, m.data.lesson) ?? '');
      // Only lessons with a start time tell when a mark could be set at the earliest.
      if (lesson && m.data.date && toStartTime(lesson.date)) {
        samples.push({ markDate: m.data.date, lessonStart: lesson.date });
      }
    }
    severalPerWork += [...perWork.values()].filter((n) => n > 1).length;

    const subjects = [...new Set([...lessons.values()].map(lessonSubjectId))].slice(0, 3);
    const entryKey = (e: {
      lesson?: unknown;
      lesson_str?: unknown;
      person?: unknown;
      person_str?: unknown;
    }) => `${String(e.lesson_str ?? e.lesson)}:${String(e.person_str ?? e.person)}`;
    const perSubject = new Set<string>();
    for (const subject of subjects) {
      const reply = await call('lesson-log-entries/group/{g}', paths.groupLogEntries(classId), {
        subject,
        from,
        to,
      });
      for (const raw of list(reply)) {
        const e = logEntrySchema.safeParse(raw);
        if (!e.success) continue;
        statuses.push(e.data.status);
        entryLessons.add(twin(e.data.lesson_str, e.data.lesson) ?? '');
        perSubject.add(entryKey(e.data));
      }
    }
    // The same lessons' attendance in one call by their ids, as the sync asks it.
    const ids = [...lessons]
      .filter(([, l]) => subjects.includes(lessonSubjectId(l)))
      .map(([id]) => id)
      .sort()
      .slice(0, LESSONS_PER_CALL);
    if (ids.length > 0 && byLessons.verdict !== 'refused') {
      const reply = await call('lesson-log-entries?lessons', paths.lessonsLogEntries(), {
        lessons: ids,
      });
      if (!Array.isArray(reply)) byLessons.verdict = 'refused';
      else {
        const asked = new Set(ids);
        const wanted = [...perSubject].filter((k) => asked.has(k.split(':')[0]!));
        const got = new Set(
          reply
            .map((raw) => logEntrySchema.safeParse(raw))
            .filter((e) => e.success)
            .map((e) => entryKey(e.data)),
        );
        byLessons.perSubject += wanted.length;
        byLessons.byLessons += got.size;
        const same = wanted.length === got.size && wanted.every((k) => got.has(k));
        if (!same) byLessons.verdict = 'differs';
        else if (byLessons.verdict === 'unknown' && got.size > 0) byLessons.verdict = 'same';
      }
    }

    // A class without marks (grade 1) tells nothing, nor a day whose marks were all set on their
    // lesson's day: the next class is asked until one day tells.
    if (!window || window.verdict === 'unknown') {
      const found = await probeWindow(call, classId, lessons, o.today);
      if (found && (!window || found.verdict !== 'unknown' || window.returned === 0)) {
        window = found;
      }
    }
  }

  const sorted = [...durations].sort((a, b) => a - b);
  const report: ProbeReport = {
    school: {
      id: o.schoolId,
      name: school?.name ?? null,
      platformZone,
      configuredZone: o.zone ?? null,
      zone,
    },
    sample: { from, to, classes: picked },
    endpoints: [...endpoints.values()],
    groups,
    subgroupLessons,
    subgroups: [...subgroupSeen].map(([id, lessons]) => {
      const g = names.get(id);
      const parent = g?.parent ? names.get(g.parent)?.name : undefined;
      return {
        id,
        label: g ? (parent ? subgroupLabel(parent, g.name) : g.name) : id,
        lessons,
        listed: g !== undefined,
      };
    }),
    periodTypes,
    marks: {
      systems,
      severalPerWork,
      textDiffers,
      entryZone: entryZoneVerdict(samples, zone),
      window: window ?? windowVerdict(o.today, []),
    },
    attendance: attendanceVerdict(entryLessons.size, statuses),
    attendanceByLessons: byLessons,
    requests: {
      total: stats.requests,
      retries: stats.retries,
      medianMs: sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)]! : null,
      maxMs: sorted.at(-1) ?? null,
    },
    recommended: {},
  };
  const entry = report.marks.entryZone.verdict;
  if (entry !== 'unknown') report.recommended.platform = { entryTimeZone: entry };
  const att = report.attendance.verdict;
  if (att !== 'unknown') {
    report.recommended.checks = {
      rules: {
        'attendance-not-kept': {
          storage: att === 'every-student' ? 'everyStudent' : 'exceptionsOnly',
        },
      },
    };
  }
  return report;
}

/** Past days of a class asked at most, one request each, until one tells the windows apart. */
const WINDOW_DAYS = 3;

/**
 * Asks for the marks of one past day with lessons and compares what comes back with that day: by
 * the lessons' dates, or by the marks' own. A day whose marks were all set on their lesson's day
 * cannot tell the two apart: up to `WINDOW_DAYS` days are asked, latest first.
 */
async function probeWindow(
  call: (template: string, path: string) => Promise<unknown>,
  classId: string,
  lessons: ReadonlyMap<string, RawLesson>,
  today: string,
): Promise<WindowVerdict | null> {
  const days = [...new Set([...lessons.values()].map((l) => l.date.slice(0, 10)))]
    .filter((d) => d < today)
    .sort();
  // The latest day may still be filling in: start with the one before.
  const tried = (days.length > 1 ? days.slice(0, -1) : days).reverse().slice(0, WINDOW_DAYS);
  let best: WindowVerdict | null = null;
  for (const day of tried) {
    const reply = await call('edu-groups/{g}/marks/{from}/{to}', paths.marks(classId, day, day));
    const returned = (Array.isArray(reply) ? reply : []).flatMap((raw) => {
      const m = markSchema.safeParse(raw);
      if (!m.success) return [];
      const lesson = lessons.get(twin(m.data.lesson_str, m.data.lesson) ?? '');
      return [{ markDate: m.data.date ?? null, lessonDate: lesson?.date.slice(0, 10) ?? null }];
    });
    const verdict = windowVerdict(day, returned);
    if (verdict.verdict !== 'unknown') return verdict;
    if (!best || verdict.returned > best.returned) best = verdict;
  }
  return best;
}

/** `n` items spread evenly over `items` (all of them when there are no more than `n`). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

/** The probe of one configured school, with the token source its config describes. */
export async function probeConfiguredSchool(
  config: Config,
  school: SchoolConfig,
  options: Omit<ProbeOptions, 'schoolId' | 'zone'>,
): Promise<ProbeReport> {
  // The config knows only `kind`; Dnevnik reads its own settings with its schema.
  const { kind, ...given } = config.platform;
  if (kind !== 'dnevnik') {
    throw new UsageError(`\`ezh probe\` knows Dnevnik.ru only, not platform "${kind}"`, [
      'the probe asks Dnevnik-specific questions of the API (reference §7)',
    ]);
  }
  const platform = dnevnikSettings.parse(given);
  const settings = dnevnikClientSettings(platform, school);
  const client = createDnevnikClient(settings, {
    tokens: dnevnikTokenProvider(platform, school, settings),
  });
  return probeDnevnik(client, { ...options, schoolId: school.id, zone: school.timeZone });
}
