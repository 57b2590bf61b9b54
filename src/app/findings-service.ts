import {
  findingHistory,
  latestFindingActions,
  recordFindingActions,
  stateAfter,
  type FindingAction,
  type FindingActionRecord,
  type FindingState,
} from '../checks/finding-actions.js';
import { normalizeName } from '../alerts/recipients.js';
import * as findings from '../mirror/repositories/findings.js';
import type { UnresolvedFinding } from '../mirror/repositories/findings.js';
import type { SqlDb } from '../mirror/sql.js';
import { UsageError } from '../platform/errors.js';

/**
 * A finding's life as a deputy director sees it: list the findings still unresolved, acknowledge
 * them, waive them with a reason, reopen them; each action is kept with who did it and when. The
 * service every door calls (the CLI now, a web page later): it validates, it does not print.
 */

export interface FindingFilter {
  schoolId?: string;
  /** Finding ids (the `id` of `ezh check --format json`), or unique prefixes of 8+ characters. */
  ids?: readonly string[];
  /** Class names («5А») or ids. */
  classes?: readonly string[];
  /**
   * Exact class ids, selected in the query itself (a class and its subgroups: the web's class
   * page reads its class's rows, not the school's).
   */
  classIds?: readonly string[];
  /** Teachers' full names or person ids. */
  teachers?: readonly string[];
  rules?: readonly string[];
  /** Default: every unresolved finding, whatever people did about it. */
  states?: readonly FindingState[];
}

/** An unresolved finding as the mirror lists it, with its id and what people did about it. */
export interface FindingItem extends Omit<UnresolvedFinding, 'key'> {
  /** The finding's key (the `id` of `ezh check --format json`). */
  id: string;
  state: FindingState;
  /** The latest action, if anyone acted. */
  lastAction: FindingActionRecord | null;
}

export interface ActionInput {
  /** Who acts, as they give their name. */
  by: string;
  /** Required to waive; optional otherwise. */
  reason?: string;
  at: number;
}

export interface ActionResult {
  changed: FindingItem[];
  /** Findings the action does not apply to, with why (already waived, not waived, …). */
  skipped: { id: string; why: string }[];
}

const MIN_PREFIX = 8;

export class FindingsService {
  constructor(private readonly db: SqlDb) {}

  /** Unresolved findings matching the filter, with their state. */
  async list(filter: FindingFilter = {}): Promise<FindingItem[]> {
    const rows = await findings.listUnresolved(this.db, {
      schoolId: filter.schoolId,
      rules: filter.rules,
      ...(filter.classIds ? { classIds: filter.classIds } : {}),
    });
    let items = rows.filter((r) => matches(r, filter));
    if (filter.ids && filter.ids.length > 0) items = selectIds(items, filter.ids);
    const latest = await latestFindingActions(
      this.db,
      items.map((r) => r.key),
    );
    const out = items.map((r) => toItem(r, latest.get(r.key) ?? null));
    return filter.states ? out.filter((i) => filter.states!.includes(i.state)) : out;
  }

  acknowledge(filter: FindingFilter, input: ActionInput): Promise<ActionResult> {
    return this.act('acknowledge', filter, input);
  }

  waive(filter: FindingFilter, input: ActionInput): Promise<ActionResult> {
    return this.act('waive', filter, input);
  }

  reopen(filter: FindingFilter, input: ActionInput): Promise<ActionResult> {
    return this.act('reopen', filter, input);
  }

  /** Every action on one finding, oldest first. */
  async history(id: string): Promise<{ finding: FindingItem; actions: FindingActionRecord[] }> {
    const [finding] = await this.resolveOne(id);
    return { finding: finding!, actions: await findingHistory(this.db, finding!.id) };
  }

  /** One finding by id or prefix, resolved or not (its history stays readable). */
  private async resolveOne(id: string): Promise<FindingItem[]> {
    const wanted = id.trim().toLowerCase();
    if (!/^[0-9a-z-]+$/.test(wanted)) throw new UsageError(`no finding "${id}"`);
    const rows = await findings.findByKeyPrefix(this.db, wanted);
    const items = selectIds(rows, [wanted]);
    const latest = await latestFindingActions(
      this.db,
      items.map((r) => r.key),
    );
    return items.map((r) => toItem(r, latest.get(r.key) ?? null));
  }

  private async act(
    action: FindingAction,
    filter: FindingFilter,
    input: ActionInput,
  ): Promise<ActionResult> {
    const problems: string[] = [];
    const by = input.by.trim();
    const reason = input.reason?.trim() || null;
    if (!by) problems.push('--by: who acts must be named');
    if (action === 'waive' && !reason) problems.push('--reason: a waiver needs a reason');
    const selects =
      (filter.ids?.length ?? 0) +
      (filter.classes?.length ?? 0) +
      (filter.teachers?.length ?? 0) +
      (filter.rules?.length ?? 0);
    if (selects === 0) problems.push('name the findings: ids, or --class/--teacher/--rule');
    if (problems.length > 0) throw new UsageError(`cannot ${action} findings`, problems);

    const targets = await this.list({ ...filter, states: undefined });
    if (targets.length === 0) throw new UsageError('no unresolved finding matches');
    const skipped: ActionResult['skipped'] = [];
    const todo = targets.filter((f) => {
      const why = notApplicable(action, f.state);
      if (why) skipped.push({ id: f.id, why });
      return why === null;
    });
    const written = await recordFindingActions(
      this.db,
      todo.map((f) => ({
        findingKey: f.id,
        schoolId: f.schoolId,
        action,
        reason,
        actor: by,
        at: input.at,
      })),
    );
    const changed = todo.map((f, i) => ({
      ...f,
      state: stateAfter(action),
      lastAction: written[i] ?? null,
    }));
    return { changed, skipped };
  }
}

function notApplicable(action: FindingAction, state: FindingState): string | null {
  if (action === 'acknowledge' && state !== 'open') return `already ${state}`;
  if (action === 'waive' && state === 'waived') return 'already waived';
  if (action === 'reopen' && state === 'open') return 'not acknowledged or waived';
  return null;
}

function matches(r: UnresolvedFinding, filter: FindingFilter): boolean {
  const names = (wanted: readonly string[] | undefined, id: string | null, name: string | null) =>
    !wanted ||
    wanted.length === 0 ||
    wanted.some(
      (w) => w === id || (name !== null && normalizeName(w) === normalizeName(name ?? '')),
    );
  return (
    names(filter.classes, r.classId, r.className) &&
    names(filter.teachers, r.teacherId, r.teacherName)
  );
}

/** Findings named by id or by a prefix that names exactly one of them. */
function selectIds<T extends { key: string }>(rows: readonly T[], ids: readonly string[]): T[] {
  const out = new Map<string, T>();
  const problems: string[] = [];
  for (const raw of ids) {
    const id = raw.trim().toLowerCase();
    const exact = rows.find((r) => r.key === id);
    if (exact) {
      out.set(exact.key, exact);
      continue;
    }
    if (id.length < MIN_PREFIX) {
      problems.push(`${raw}: give at least ${MIN_PREFIX} characters of the id`);
      continue;
    }
    const hits = rows.filter((r) => r.key.startsWith(id));
    if (hits.length === 1) out.set(hits[0]!.key, hits[0]!);
    else problems.push(`${raw}: ${hits.length === 0 ? 'no such finding' : 'ambiguous prefix'}`);
  }
  if (problems.length > 0) throw new UsageError('unknown finding ids', problems);
  return [...out.values()];
}

function toItem({ key, ...r }: UnresolvedFinding, last: FindingActionRecord | null): FindingItem {
  return { id: key, ...r, state: stateAfter(last?.action ?? null), lastAction: last };
}
