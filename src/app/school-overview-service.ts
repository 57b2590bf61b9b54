import { loadDirectory, type Directory } from '../alerts/directory.js';
import { fixWindow } from '../alerts/digest-model.js';
import { loadOpenFindings, responsibleTeachers } from '../alerts/open-findings.js';
import { ruleTitle } from '../alerts/rules.js';
import {
  latestFindingActions,
  type FindingActionRecord,
  type FindingState,
} from '../checks/finding-actions.js';
import type { FindingEventKind } from '../mirror/repositories/findings.js';
import * as findingsRepo from '../mirror/repositories/findings.js';
import { loadSchoolContexts } from '../mirror/school-context.js';
import { listAuditNotes, type AuditNote } from '../reports/data/audit-notes.js';
import { UsageError } from '../platform/errors.js';
import { scopeHasClass, scopeKey, type AccessScope } from './access-scope.js';
import type { AppContext } from './context.js';
import { FindingsService, type ActionResult, type FindingItem } from './findings-service.js';
import { readCacheOf, type ReadCache } from './read-cache.js';

/**
 * What the web's administration and teacher pages read about findings, scoped to the viewer
 * (AccessScope): the dashboard's counts and trend, the drill-down rows, one finding with its
 * history, a teacher's and a class's open findings, a subject teacher's own ones with the day
 * they can still be fixed, the справки issued. It composes the findings service, the alerts'
 * directory and open findings and the repositories' history queries; it holds no SQL of its own.
 * What every page view repeats (the directory, the dashboard, a class's rows and summary) is read
 * through the process's read cache, keyed by the scope and the schools' data version: the same
 * answer as a fresh read, computed once per change of the data (read-cache.ts).
 */

export type { FindingItem, FindingState };

export interface FindingsQuery {
  rule?: string;
  teacherId?: string;
  classId?: string;
  /** `active` (default): open or acknowledged; `waived`; `all`. */
  states?: 'active' | 'waived' | 'all';
}

export interface Count {
  key: string;
  label: string;
  count: number;
}

export interface TrendWeek {
  /** Epoch ms the week ends (exclusive of the next). */
  end: number;
  /** Unresolved findings in the journal at the week's end, those waived as of then left out. */
  open: number;
  /** Opened or reopened by the checks during the week. */
  detected: number;
  resolved: number;
}

export interface Dashboard {
  total: number;
  byRule: Count[];
  byTeacher: Count[];
  byClass: Count[];
  trend: TrendWeek[];
}

export interface FindingDetail {
  finding: FindingItem;
  /** The checks no longer find it (the journal was fixed). */
  resolved: boolean;
  events: { kind: FindingEventKind; at: number }[];
  actions: FindingActionRecord[];
}

export interface TeacherFinding {
  finding: FindingItem;
  subjectName: string | null;
  deadline: number | null;
  /** «Можно исправить до …» or that the editing period is over (null: not a lesson's entry). */
  fixNote: string | null;
  fixExpired: boolean;
}

export interface ClassSummary {
  id: string;
  schoolId: string;
  name: string;
  classTeachers: string[];
  open: number;
}

const ACTIVE: readonly FindingState[] = ['open', 'acknowledged'];
const WEEK = 7 * 24 * 60 * 60 * 1000;

export class SchoolOverviewService {
  private readonly cache: ReadCache;

  constructor(private readonly app: Pick<AppContext, 'config' | 'mirror' | 'clock'>) {
    this.cache = readCacheOf(app);
  }

  /** Unresolved findings the scope may see, with the query's filters, in the service's order. */
  async findings(scope: AccessScope, query: FindingsQuery = {}): Promise<FindingItem[]> {
    // A class's rows are what its page reads on every view; the drill-down's many filter
    // combinations are read fresh (each is asked for rarely, and the school's rows are large).
    if (!query.classId) return this.readFindings(scope, query);
    return this.cache.read(
      `findings:${scopeKey(scope)}:${JSON.stringify(query)}`,
      scope.schoolIds,
      () => this.readFindings(scope, query),
    );
  }

  private async readFindings(scope: AccessScope, query: FindingsQuery): Promise<FindingItem[]> {
    const service = await this.service();
    const states =
      query.states === 'all' ? undefined : query.states === 'waived' ? ['waived' as const] : ACTIVE;
    const out: FindingItem[] = [];
    for (const schoolId of scope.schoolIds) {
      const dir = await this.directory(schoolId);
      // The scope first: a class teacher's list is read for their classes only.
      let classes: string[] | undefined;
      if (scope.kind === 'classes') {
        classes = [...dir.classes.keys()].filter((id) =>
          scopeHasClass(scope, id, dir.classes.get(id)?.parentIds),
        );
        // No class: nothing (an empty filter would mean "every class").
        if (classes.length === 0) continue;
      }
      // A subject teacher's rows are those addressed to them: co-taught lessons' included, as
      // «мои замечания» (teacherFindings) and the alerts address them, not the main teacher's only.
      const addressed = await this.addressedKeys(scope, schoolId);
      // One class's rows are selected in SQL (the class and its subgroups), not the school's.
      const classIds = query.classId
        ? [
            query.classId,
            ...[...dir.classes]
              .filter(([, c]) => c.parentIds.includes(query.classId!))
              .map(([id]) => id),
          ]
        : undefined;
      const rows = await service.list({
        schoolId,
        ...(classIds ? { classIds } : {}),
        ...(classes ? { classes } : {}),
        ...(query.rule ? { rules: [query.rule] } : {}),
        ...(states ? { states } : {}),
      });
      out.push(
        ...rows.filter(
          (f) =>
            this.inScope(scope, f, dir, addressed) &&
            (!query.teacherId || f.teacherId === query.teacherId) &&
            (!query.classId ||
              f.classId === query.classId ||
              parentOf(dir, f.classId, query.classId)),
        ),
      );
    }
    return out;
  }

  /** The administration's dashboard: active findings by rule, teacher and class, and the trend. */
  async dashboard(scope: AccessScope, weeks = 8): Promise<Dashboard> {
    if (scope.kind !== 'school') throw new UsageError('the dashboard is the administration’s');
    return this.cache.read(`dashboard:${scopeKey(scope)}:${weeks}`, scope.schoolIds, () =>
      this.readDashboard(scope, weeks),
    );
  }

  private async readDashboard(scope: AccessScope, weeks: number): Promise<Dashboard> {
    const rows = await this.findings(scope);
    const count = (key: (f: FindingItem) => [string, string]): Count[] => {
      const m = new Map<string, Count>();
      for (const f of rows) {
        const [k, label] = key(f);
        const c = m.get(k) ?? { key: k, label, count: 0 };
        c.count++;
        m.set(k, c);
      }
      return [...m.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
    };
    return {
      total: rows.length,
      byRule: count((f) => [f.rule, ruleTitle(f.rule)]),
      byTeacher: count((f) => [f.teacherId ?? '', f.teacherName ?? 'без учителя']),
      byClass: count((f) => [f.classId ?? '', f.className ?? 'без класса']),
      trend: await this.trend(scope, weeks),
    };
  }

  /**
   * Week by week, ending now: the findings unresolved at each week's end and those the checks
   * opened and resolved during it, from the findings' history (`finding_events`).
   */
  async trend(scope: AccessScope, weeks: number): Promise<TrendWeek[]> {
    if (scope.kind !== 'school') throw new UsageError('the trend is the administration’s');
    const { db } = await this.app.mirror();
    const now = this.app.clock.now();
    const out: TrendWeek[] = [];
    for (let k = weeks - 1; k >= 0; k--) {
      const end = now - k * WEEK;
      const week: TrendWeek = { end, open: 0, detected: 0, resolved: 0 };
      for (const schoolId of scope.schoolIds) {
        week.open += await findingsRepo.unwaivedOpenAt(db, schoolId, end);
        for (const e of await findingsRepo.eventCountsBetween(db, schoolId, end - WEEK, end)) {
          if (e.kind === 'resolved') week.resolved += e.count;
          else week.detected += e.count;
        }
      }
      out.push(week);
    }
    return out;
  }

  /** One finding, resolved or not, with its history; null: unknown, or not the scope's. */
  async finding(scope: AccessScope, id: string): Promise<FindingDetail | null> {
    const service = await this.service();
    let found: Awaited<ReturnType<FindingsService['history']>>;
    try {
      found = await service.history(id);
    } catch (e) {
      if (e instanceof UsageError) return null;
      throw e;
    }
    // Only the exact id: a prefix is the CLI's convenience, a URL names one finding.
    if (found.finding.id !== id || !scope.schoolIds.includes(found.finding.schoolId)) return null;
    const dir = await this.directory(found.finding.schoolId);
    // Still unresolved: the list's row has every name; a resolved one: the directory's.
    const [listed] = await service
      .list({ schoolId: found.finding.schoolId, ids: [id] })
      .catch((e: unknown) => (e instanceof UsageError ? [] : Promise.reject(e)));
    const finding = listed ?? named(found.finding, dir);
    const addressed = await this.addressedKeys(scope, finding.schoolId);
    if (!this.inScope(scope, finding, dir, addressed)) return null;
    const { db } = await this.app.mirror();
    const events = await findingsRepo.eventsOf(db, id);
    return {
      finding,
      resolved: listed === undefined,
      events: events.map(({ kind, at }) => ({ kind, at })),
      actions: found.actions,
    };
  }

  /**
   * Acknowledges, waives (a reason required) or reopens one finding the scope may see; the
   * action is recorded with who and when by the findings service. Null: not the scope's.
   */
  async act(
    scope: AccessScope,
    id: string,
    action: 'acknowledge' | 'waive' | 'reopen',
    input: { by: string; reason?: string },
  ): Promise<ActionResult | null> {
    const detail = await this.finding(scope, id);
    if (!detail) return null;
    const service = await this.service();
    const filter = { schoolId: detail.finding.schoolId, ids: [detail.finding.id] };
    const at = this.app.clock.now();
    const args = {
      by: input.by,
      at,
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
    };
    if (action === 'acknowledge') return service.acknowledge(filter, args);
    if (action === 'waive') return service.waive(filter, args);
    return service.reopen(filter, args);
  }

  /** A teacher's name in the scope's schools (null: unknown). */
  async teacherName(scope: AccessScope, teacherId: string): Promise<string | null> {
    for (const schoolId of scope.schoolIds) {
      const p = (await this.directory(schoolId)).persons.get(teacherId);
      if (p) return p.fullName;
    }
    return null;
  }

  /** Classes the scope may see (not subgroups), with their class teachers and active findings. */
  async classes(scope: AccessScope): Promise<ClassSummary[]> {
    if (scope.kind === 'teacher') return [];
    const open = await this.findings(scope);
    const out: ClassSummary[] = [];
    for (const schoolId of scope.schoolIds) {
      const dir = await this.directory(schoolId);
      for (const [id, c] of dir.classes) {
        if (c.parentIds.length > 0 || !scopeHasClass(scope, id)) continue;
        out.push({
          id,
          schoolId,
          name: c.name,
          classTeachers: (dir.classTeachers.get(id) ?? []).map(
            (t) => dir.persons.get(t)?.fullName ?? t,
          ),
          open: open.filter((f) => f.classId === id || parentOf(dir, f.classId, id)).length,
        });
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name, 'ru', { numeric: true }));
  }

  /** One class the scope may see; null: unknown or not the scope's (a refusal reveals nothing). */
  async klass(scope: AccessScope, classId: string): Promise<ClassSummary | null> {
    if (scope.kind === 'teacher') return null;
    // Boxed: the cache keeps objects, and "not the scope's class" is an answer worth keeping too.
    const { summary } = await this.cache.read(
      `klass:${scopeKey(scope)}:${classId}`,
      scope.schoolIds,
      async () => ({ summary: await this.readKlass(scope, classId) }),
    );
    return summary;
  }

  private async readKlass(scope: AccessScope, classId: string): Promise<ClassSummary | null> {
    for (const schoolId of scope.schoolIds) {
      const dir = await this.directory(schoolId);
      const c = dir.classes.get(classId);
      if (!c || c.parentIds.length > 0 || !scopeHasClass(scope, classId)) continue;
      // The class's own rows only: counting it through `classes` listed the whole school's.
      const open = (await this.findings(scope, { classId })).filter(
        (f) => f.schoolId === schoolId,
      ).length;
      return {
        id: classId,
        schoolId,
        name: c.name,
        classTeachers: (dir.classTeachers.get(classId) ?? []).map(
          (t) => dir.persons.get(t)?.fullName ?? t,
        ),
        open,
      };
    }
    return null;
  }

  /**
   * A subject teacher's findings: those addressed to them (their lessons' entries, co-taught ones
   * included, as the alerts address them), with «можно исправить до …» as the digests give it.
   */
  async teacherFindings(scope: AccessScope): Promise<TeacherFinding[]> {
    if (scope.kind !== 'teacher') return [];
    const { db } = await this.app.mirror();
    const service = await this.service();
    const contexts = await loadSchoolContexts(db, this.app.config);
    const now = this.app.clock.now();
    const out: TeacherFinding[] = [];
    for (const schoolId of scope.schoolIds) {
      const zone = contexts.get(schoolId).zone;
      const mine = (await loadOpenFindings(db, schoolId, now)).filter((f) =>
        responsibleTeachers(f).includes(scope.teacherId),
      );
      if (mine.length === 0) continue;
      const listed = new Map(
        (await service.list({ schoolId, ids: mine.map((f) => f.key) })).map((f) => [f.id, f]),
      );
      const latest = await latestFindingActions(
        db,
        mine.map((f) => f.key),
      );
      const dir = await this.directory(schoolId);
      for (const f of mine) {
        const item = listed.get(f.key);
        if (!item || latest.get(f.key)?.action === 'waive') continue;
        const fix = fixWindow(f, this.app.config.alerts.editingPeriodDays, zone, now);
        out.push({
          finding: item,
          subjectName: f.subjectId ? (dir.subjects.get(f.subjectId) ?? null) : null,
          deadline: f.deadline,
          fixNote: fix.note,
          fixExpired: fix.expired,
        });
      }
    }
    return out;
  }

  /** The справки issued in the scope's schools, newest first (the administration's). */
  async auditNotes(scope: AccessScope): Promise<AuditNote[]> {
    if (scope.kind !== 'school') return [];
    const { db } = await this.app.mirror();
    return listAuditNotes(db, scope.schoolIds);
  }

  /**
   * For a subject teacher: the keys of the school's open findings addressed to them (the lesson's
   * main teacher or a co-teacher, `responsibleTeachers`); for other scopes: none needed.
   */
  private async addressedKeys(scope: AccessScope, schoolId: string): Promise<Set<string>> {
    if (scope.kind !== 'teacher') return new Set();
    const { db } = await this.app.mirror();
    const open = await loadOpenFindings(db, schoolId, this.app.clock.now());
    return new Set(
      open.filter((f) => responsibleTeachers(f).includes(scope.teacherId)).map((f) => f.key),
    );
  }

  private inScope(
    scope: AccessScope,
    f: FindingItem,
    dir: Directory,
    addressed: ReadonlySet<string>,
  ): boolean {
    if (!scope.schoolIds.includes(f.schoolId)) return false;
    if (scope.kind === 'school') return true;
    if (scope.kind === 'teacher') return f.teacherId === scope.teacherId || addressed.has(f.id);
    return scopeHasClass(scope, f.classId, f.classId ? dir.classes.get(f.classId)?.parentIds : []);
  }

  private async service(): Promise<FindingsService> {
    return new FindingsService((await this.app.mirror()).db);
  }

  private directory(schoolId: string): Promise<Directory> {
    return this.cache.read(
      'directory',
      [schoolId],
      async () => loadDirectory((await this.app.mirror()).db, schoolId),
      { timeless: true },
    );
  }
}

/** Whether `classId` is a subgroup of `parent`. */
function parentOf(dir: Directory, classId: string | null, parent: string): boolean {
  return classId !== null && (dir.classes.get(classId)?.parentIds.includes(parent) ?? false);
}

/** A finding read by id carries no names: the directory's. */
function named(f: FindingItem, dir: Directory): FindingItem {
  return {
    ...f,
    className: f.className ?? (f.classId ? (dir.classes.get(f.classId)?.name ?? null) : null),
    teacherName:
      f.teacherName ?? (f.teacherId ? (dir.persons.get(f.teacherId)?.fullName ?? null) : null),
  };
}
