import { UsageError } from '../platform/errors.js';
import { DateTime } from 'luxon';
import type { SubscriptionDocument } from '../config/sections/alerts.js';
import { systemClock } from '../platform/clock.js';
import { formatLocal, instantToLocalDate } from '../platform/time.js';
import { schoolZone, type AlertDeps } from './deps.js';
import { deliverDocument, type DocumentRunResult } from './send-documents.js';
import { currentProblems } from './sync-health.js';

/**
 * A printed document people subscribe to, as the reports module's registry offers it (injected:
 * alerts know no document): one edition per occurrence, with its title, and the PDF.
 */
export interface SubscribedDocument {
  /**
   * This occurrence's edition, or one per class (`classId`: that class's document, also for its
   * class teachers); null: nothing to send yet (no period has ended).
   */
  edition(o: {
    schoolId: string;
    asOf: number;
    from: number | null;
    zone: string;
    range: string;
    lastEndedPeriod(): Promise<string | null>;
  }): Promise<ScheduledEdition | readonly ScheduledEdition[] | null>;
  /** Prints the edition's PDF; returns its path. */
  render(schoolId: string, params: unknown): Promise<string>;
}

export interface ScheduledEdition {
  edition: string;
  title: string;
  params: unknown;
  /** One class's document: mailed to that class's class teachers too, never to another's. */
  classId?: string;
}

/** The registry's documents by subscription name; undefined: not a printed document. */
export type SubscribedDocuments = (document: string) => SubscribedDocument | undefined;

export interface ScheduledDocumentOptions {
  schoolId: string;
  document: SubscriptionDocument;
  /** The occurrence that fired (default now). */
  asOf?: number;
  /** Where the document's range starts: the schedule's previous occurrence. */
  from?: number | null;
  /** Print who would receive it; render, send and record nothing (`ezh alerts reports --dry-run`). */
  dryRun?: boolean;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * One scheduled edition of a subscription's document, made and mailed once per subscriber:
 * the справка for the range since the previous occurrence (every 10 days: 004 §5.2), last month's
 * activity, the results of the latest period that ended, the weekly sheets (one per class, each
 * also to its class teachers), and two letters without a PDF: the archive's state and the sync's
 * health over the range. One result per edition mailed (none: nothing to send yet).
 */
export async function sendScheduledDocument(
  deps: AlertDeps & { documents: SubscribedDocuments },
  opts: ScheduledDocumentOptions,
): Promise<DocumentRunResult[]> {
  const asOf = opts.asOf ?? (deps.clock ?? systemClock).now();
  const zone = await schoolZone(deps, opts.schoolId);
  const from = opts.from ?? null;
  const day = (t: number) => instantToLocalDate(t, zone);
  // An edition per occurrence: a schedule may fire more than once a day.
  const minute = (t: number) => DateTime.fromMillis(t, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
  const range = from !== null ? `${minute(from)}..${minute(asOf)}` : minute(asOf);
  const base = {
    schoolId: opts.schoolId,
    document: opts.document,
    asOf,
    ...(opts.dryRun ? { dryRun: true } : {}),
  };
  if (opts.document === 'archive') {
    return deliverOne(deps, {
      ...base,
      edition: range,
      title: `Состояние архива электронного журнала${from !== null ? ` с ${formatLocal(from, zone, false)}` : ''} по ${formatLocal(asOf, zone, false)}`,
      files: async () => [],
      lines: () => archiveLines(deps, opts.schoolId, from ?? asOf - WEEK_MS, asOf, zone),
    });
  }
  if (opts.document === 'sync-health') {
    return deliverOne(deps, {
      ...base,
      edition: range,
      title: `Состояние синхронизации электронного журнала${from !== null ? ` с ${formatLocal(from, zone, false)}` : ''} по ${formatLocal(asOf, zone, false)}`,
      files: async () => [],
      lines: () => healthLines(deps, opts.schoolId, from ?? asOf - WEEK_MS, asOf, zone),
    });
  }
  // Every other subscription is a printed document of the registry.
  const document = deps.documents(opts.document);
  if (!document) throw new UsageError(`no printed document ${opts.document} to subscribe to`);
  const edition = await document.edition({
    schoolId: opts.schoolId,
    asOf,
    from,
    zone,
    range,
    lastEndedPeriod: () => lastEndedPeriod(deps, opts.schoolId, day(asOf)),
  });
  if (edition === null) return [];
  const editions: readonly ScheduledEdition[] = Array.isArray(edition)
    ? edition
    : [edition as ScheduledEdition];
  const out: DocumentRunResult[] = [];
  // One at a time: each renders its PDF only when someone is still to receive it.
  for (const e of editions) {
    out.push(
      await deliverDocument(deps, {
        ...base,
        edition: e.edition,
        title: e.title,
        ...(e.classId !== undefined ? { classTeachersOf: e.classId } : {}),
        files: async () => [await document.render(opts.schoolId, e.params)],
      }),
    );
  }
  return out;
}

async function deliverOne(
  deps: AlertDeps,
  opts: Parameters<typeof deliverDocument>[1],
): Promise<DocumentRunResult[]> {
  return [await deliverDocument(deps, opts)];
}

async function lastEndedPeriod(
  deps: AlertDeps,
  schoolId: string,
  today: string,
): Promise<string | null> {
  const rows = await deps.db.query<{ name: string }>(
    `SELECT p.name FROM reporting_periods p JOIN classes c ON c.id = p.class_id
      WHERE c.school_id = ? AND p.deleted_at IS NULL AND p.finish_date < ?
      ORDER BY p.finish_date DESC, p.name LIMIT 1`,
    [schoolId, today],
  );
  return rows[0]?.name ?? null;
}

async function archiveLines(
  deps: AlertDeps,
  schoolId: string,
  from: number,
  to: number,
  zone: string,
): Promise<string[]> {
  const rows = await deps.db.query<{
    file_name: string;
    status: string;
    size: number | string | null;
    created_at: number | string;
    note: string | null;
  }>(
    `SELECT file_name, status, size, created_at, note FROM archives
      WHERE (school_id = ? OR school_id IS NULL) AND created_at > ? AND created_at <= ?
      ORDER BY created_at`,
    [schoolId, from, to],
  );
  if (rows.length === 0) return ['За этот период архивы не создавались.'];
  const status: Record<string, string> = {
    complete: 'создан',
    failed: 'ОШИБКА',
    creating: 'не завершён',
    pruned: 'удалён по сроку хранения',
  };
  return rows.map(
    (r) =>
      `- ${formatLocal(Number(r.created_at), zone)} ${r.file_name}: ${status[r.status] ?? r.status}` +
      `${r.size !== null ? `, ${(Number(r.size) / 1024 / 1024).toFixed(1)} МБ` : ''}${r.note ? ` (${r.note})` : ''}`,
  );
}

async function healthLines(
  deps: AlertDeps,
  schoolId: string,
  from: number,
  to: number,
  zone: string,
): Promise<string[]> {
  const runs = await deps.db.query<{ status: string; n: number | string }>(
    `SELECT status, count(*) AS n FROM sync_runs
      WHERE school_id = ? AND started_at > ? AND started_at <= ? GROUP BY status ORDER BY status`,
    [schoolId, from, to],
  );
  const last = await deps.db.query<{ finished_at: number | string }>(
    `SELECT max(finished_at) AS finished_at FROM sync_runs
      WHERE school_id = ? AND status IN ('succeeded', 'held')`,
    [schoolId],
  );
  const { problems } = await currentProblems(deps.db, schoolId, {
    failedRuns: deps.config.alerts.failedSyncRuns,
  });
  const lastAt = last[0]?.finished_at;
  return [
    `Запуски синхронизации: ${runs.length === 0 ? 'не было' : runs.map((r) => `${r.status} ${Number(r.n)}`).join(', ')}.`,
    `Последняя успешная синхронизация: ${lastAt ? formatLocal(Number(lastAt), zone) : 'не было'}.`,
    problems.length === 0 ? 'Нерешённых проблем нет.' : `Нерешённые проблемы (${problems.length}):`,
    ...problems.map((p) => `- ${p.what} Что сделать: ${p.todo}`),
  ];
}
