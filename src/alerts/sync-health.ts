import * as archives from '../mirror/repositories/archives.js';
import * as operatorEvents from '../mirror/repositories/operator-events.js';
import * as syncRuns from '../mirror/repositories/sync-runs.js';
import type { RunRow } from '../mirror/repositories/sync-runs.js';
import type { SqlExecutor } from '../mirror/sql.js';

/**
 * The problems an ICT engineer must hear about, read from what the sync and the archive recorded
 * (`sync_runs`, `operator_events`, `quarantine`, `archives`). Each problem has a stable key that
 * names one occurrence of it (the first failing run of a streak, one event, one archive), so
 * the operator alerts send it once; `recoverable` problems end when a sync succeeds again.
 */

export type ProblemKind = 'token' | 'failed-runs' | 'mass-deletion' | 'quarantine' | 'archive';

export interface Problem {
  kind: ProblemKind;
  /** Stable per occurrence: `token:<first failing run>`, `archive:<file>`, … */
  key: string;
  /** Russian, one line: what happened. */
  what: string;
  /** Russian: what to do. */
  todo: string;
  since: number;
  /** Ends when the sync succeeds again (a recovery letter follows). */
  recoverable: boolean;
}

/** What the platform says when it no longer accepts the token (dnevnik-api.md: 401 invalidToken, authorization* types). */
const TOKEN_REFUSED = /invalidToken|tokenRequired|authorization|HTTP 401|\b401\b|access token/i;

/** The school's sync problems now, and the finished runs they were read from (newest first). */
export async function currentProblems(
  db: SqlExecutor,
  schoolId: string,
  options: { failedRuns: number },
): Promise<{ problems: Problem[]; lastRun: RunRow | null }> {
  const problems: Problem[] = [];
  const runs = await syncRuns.finishedRunsOf(db, schoolId, 50);
  // The streak of failed runs since the last run that succeeded (or was held: it read the platform).
  const streak: RunRow[] = [];
  for (const r of runs) {
    if (r.status === 'failed' || r.status === 'partial') streak.push(r);
    else break;
  }
  const first = streak.at(-1);
  if (first) {
    const tokenRuns = streak.filter((r) => r.error !== null && TOKEN_REFUSED.test(r.error));
    if (tokenRuns.length > 0 && TOKEN_REFUSED.test(streak[0]?.error ?? '')) {
      problems.push({
        kind: 'token',
        key: `token:${tokenRuns.at(-1)!.id}`,
        what: 'Платформа не принимает ключ доступа (токен) школы: синхронизация невозможна.',
        todo: 'Получите новый токен (ezh auth url / ezh auth exchange или в кабинете платформы), укажите его в EZH_DNEVNIK_TOKEN или schools[].token и проверьте: ezh auth check.',
        since: tokenRuns.at(-1)!.started_at,
        recoverable: true,
      });
    } else if (streak.length >= options.failedRuns) {
      problems.push({
        kind: 'failed-runs',
        key: `failed-runs:${first.id}`,
        what: `Синхронизация не удалась ${streak.length} раз подряд; последняя ошибка: ${streak[0]?.error ?? 'не указана'}.`,
        todo: 'Посмотрите ezh status и журнал службы; проверьте доступ к платформе (ezh auth check) и сеть; затем ezh sync.',
        since: first.started_at,
        recoverable: true,
      });
    }
  }

  for (const e of await operatorEvents.listOpen(db, {
    schoolId,
    kind: 'mass_deletion_refused',
    oldestFirst: true,
  })) {
    problems.push({
      kind: 'mass-deletion',
      key: `mass-deletion:${e.id}`,
      what: `Синхронизация не применила массовое удаление записей: ${e.message}`,
      todo: 'Проверьте на платформе, действительно ли записи удалены; если да — ezh sync --school ID --confirm-deletions.',
      since: e.at,
      recoverable: false,
    });
  }

  for (const q of await db.query<{
    sync_run_id: string | null;
    n: number | string;
    at: number | string;
  }>(
    `SELECT sync_run_id, count(*) AS n, max(observed_at) AS at FROM quarantine
      WHERE school_id = ? GROUP BY sync_run_id ORDER BY max(observed_at)`,
    [schoolId],
  )) {
    problems.push({
      kind: 'quarantine',
      key: `quarantine:${q.sync_run_id ?? 'none'}`,
      what: `Записи платформы в неожиданном виде отложены в карантин: ${Number(q.n)}.`,
      todo: 'Посмотрите ezh status (карантин) и сообщите разработчикам ezh форму ответа платформы; остальные записи синхронизированы.',
      since: Number(q.at),
      recoverable: false,
    });
  }

  for (const a of await archives.failedOf(db, schoolId)) {
    problems.push({
      kind: 'archive',
      key: `archive:${a.fileName}`,
      what: `Архив ${a.fileName} не создан или не прошёл проверку${a.note ? `: ${a.note}` : ''}.`,
      todo: 'Проверьте место и права в каталогах архива; затем ezh archive create и ezh archive verify ФАЙЛ.',
      since: a.createdAt,
      recoverable: false,
    });
  }
  return { problems, lastRun: runs[0] ?? null };
}
