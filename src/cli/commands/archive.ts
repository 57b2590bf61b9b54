import { Option, type Command } from 'commander';
import { parseDatabaseTarget } from '../../archive/target.js';
import type { DatabaseConfig } from '../../mirror/data-source.js';
import { formatTable } from '../../mirror/stats.js';
import { UsageError } from '../../platform/errors.js';
import { reportsDocumentRenderer } from '../../app/archive-documents.js';
import {
  archiveAsOf,
  compareMirrors,
  createArchives,
  listArchivesForApp,
  pruneArchives,
  restoreArchiveFile,
  verifyArchiveFile,
  type RendererFactory,
} from '../../app/archive-service.js';
import { withApp } from '../run-action.js';

/**
 * `ezh archive create|verify|restore|compare|list|prune`: dated, verifiable archives for the
 * ICT engineer. The printed documents come from an injected renderer (src/reports); without
 * one, archives are still made and their manifest lists the documents as absent.
 */

export interface ArchiveCommandDeps {
  /** Builds the document renderer for a command run; resolves to null when none is available. */
  renderer?: RendererFactory;
}

interface CreateOpts {
  period?: string;
  year?: boolean;
  dest?: string[];
  school?: string;
  asOf?: string;
  onlyDest?: boolean;
  prune: boolean;
}

export function registerArchiveCommand(
  program: Command,
  deps: ArchiveCommandDeps = { renderer: reportsDocumentRenderer },
): void {
  const archive = program
    .command('archive')
    .description('create, verify, restore, compare, list and prune archives of the mirror');

  archive
    .command('create')
    .description(
      'snapshot + CSV/JSON export + printed documents, packed as one .tar.gz on every destination',
    )
    .option(
      '--period <name>',
      'period archive: the journals of this reporting period (e.g. "1 четверть")',
    )
    .option('--year', 'year-end archive (plus a summary-sheet archive kept 25 years)')
    .option('--dest <dir...>', 'extra destination directories (besides archive.destinations)')
    .option('--only-dest', 'write only to --dest, not to archive.destinations')
    .option(
      '--school <id>',
      'one school only (default: the only configured school, else the whole mirror)',
    )
    .option('--as-of <iso>', 'as-of time of the archive and its compliance note (default now)')
    .option('--no-prune', 'do not apply retention after creating')
    .action(
      withApp(async (app, opts: CreateOpts) => {
        if (opts.period && opts.year) {
          throw new UsageError('bad usage', ['--period and --year exclude each other']);
        }
        if (opts.onlyDest && !opts.dest?.length) {
          throw new UsageError('bad usage', ['--only-dest needs --dest']);
        }
        // A local time is read in the archive's school's zone (SchoolContext).
        const asOf = await archiveAsOf(app, opts.asOf, opts.school);
        const results = await createArchives(
          app,
          {
            kind: opts.year
              ? ('year' as const)
              : opts.period
                ? ('period' as const)
                : ('regular' as const),
            period: opts.period ?? null,
            schoolId: opts.school ?? null,
            destinations: opts.dest ?? [],
            onlyGivenDestinations: Boolean(opts.onlyDest),
            asOf,
            prune: opts.prune,
          },
          deps.renderer ?? null,
        );
        for (const a of results.archives) {
          process.stdout.write(`${a.fileName}  ${a.sha256}  ${a.size} bytes  ${a.durationMs} ms\n`);
          for (const p of a.paths) process.stdout.write(`  ${p}\n`);
          if (a.documents.status === 'absent') {
            process.stderr.write(
              `ezh: warning: printed documents not included: ${a.documents.reason}\n`,
            );
          }
        }
        for (const d of results.retention?.pruned ?? []) {
          process.stdout.write(`pruned ${d.archive.fileName}: ${d.reason}\n`);
        }
      }),
    );

  archive
    .command('verify')
    .argument('<file>', 'archive (.tar.gz)')
    .description(
      're-hash every member and re-count every export file and the snapshot; exit 1 on any mismatch',
    )
    .action(
      withApp(async (app, file: string) => {
        const report = await verifyArchiveFile(app, file);
        if (!report.ok) {
          for (const p of report.problems) process.stderr.write(`ezh: ${p.file}: ${p.message}\n`);
          const names = [...new Set(report.problems.map((p) => p.file))];
          process.stdout.write(`FAILED ${file}: ${names.join(', ')}\n`);
          return 1;
        }
        const m = report.manifest!;
        process.stdout.write(
          `OK ${file}: ${report.files} files, ${m.tables.length} tables, ${report.rows} rows, ${m.kind}${m.period ? ` ${m.period}` : ''}, as of ${m.asOf}, documents ${m.documents.status}\n`,
        );
        return 0;
      }),
    );

  archive
    .command('restore')
    .argument('<file>', 'archive (.tar.gz)')
    .requiredOption('--into <db>', 'a new SQLite file path, or a postgres:// URL')
    .option('--schema <name>', 'PostgreSQL schema to restore into', 'public')
    .description('rebuild a mirror from an archive (verified first) into a new, empty database')
    .action(
      withApp(async (app, file: string, opts: { into: string; schema: string }) => {
        const target = parseDatabaseTarget(opts.into, opts.schema);
        const result = await restoreArchiveFile(app, file, target);
        const rows = result.tables.reduce((s, t) => s + t.rows, 0);
        process.stdout.write(
          `restored ${result.tables.length} tables, ${rows} rows (from the ${result.method}) into ${describe(target)}\n`,
        );
      }),
    );

  archive
    .command('compare')
    .description(
      'prove two mirrors hold the same data: row counts and content hashes per table, history included',
    )
    .option('--a <db>', 'SQLite path or postgres:// URL (default: the configured mirror)')
    .option('--b <db>', 'SQLite path or postgres:// URL')
    .option('--a-schema <name>', 'PostgreSQL schema of A', 'public')
    .option('--b-schema <name>', 'PostgreSQL schema of B', 'public')
    .option('--school <id>', "compare only this school's rows")
    .action(
      withApp(
        async (
          app,
          opts: { a?: string; b?: string; aSchema: string; bSchema: string; school?: string },
        ) => {
          if (!opts.b) throw new UsageError('bad usage', ['--b is required']);
          const a = opts.a ? parseDatabaseTarget(opts.a, opts.aSchema) : undefined;
          const b = parseDatabaseTarget(opts.b, opts.bSchema);
          const { a: ha, b: hb, differences: diff } = await compareMirrors(app, a, b, opts.school);
          const names = [...new Set([...Object.keys(ha), ...Object.keys(hb)])].sort();
          process.stdout.write(
            `${formatTable(
              ['table', 'rows A', 'rows B', 'hash A', 'equal'],
              names.map((n) => [
                n,
                ha[n]?.rows ?? '-',
                hb[n]?.rows ?? '-',
                (ha[n]?.hash ?? '-').slice(0, 16),
                ha[n]?.hash === hb[n]?.hash ? 'yes' : 'NO',
              ]),
            )}\n`,
          );
          if (diff.length > 0) {
            for (const d of diff) process.stderr.write(`ezh: ${d}\n`);
            return 1;
          }
          process.stdout.write(`EQUAL: ${names.length} tables\n`);
          return 0;
        },
      ),
    );

  archive
    .command('list')
    .description('archives registered in the mirror, newest first')
    .option('--school <id>', 'one school only')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .action(
      withApp(async (app, opts: { school?: string; format: 'table' | 'json' }) => {
        const rows = await listArchivesForApp(app, opts.school);
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `${formatTable(
            ['created', 'kind', 'period', 'school', 'status', 'size', 'file'],
            rows.map((r) => [
              new Date(r.createdAt).toISOString(),
              r.kind,
              r.period ?? '',
              r.schoolId ?? 'all',
              r.status,
              r.size ?? 0,
              r.fileName,
            ]),
          )}\n`,
        );
      }),
    );

  archive
    .command('prune')
    .description(
      'apply retention (archive.keepLast, keepYears, keepSummaryYears) and remove leftovers of killed runs',
    )
    .option('--dry-run', 'only print what would be deleted')
    .action(
      withApp(async (app, opts: { dryRun?: boolean }) => {
        const result = await pruneArchives(app, { dryRun: Boolean(opts.dryRun) });
        const verb = opts.dryRun ? 'would prune' : 'pruned';
        for (const d of result.pruned) {
          process.stdout.write(`${verb} ${d.archive.fileName}: ${d.reason}\n`);
        }
        for (const f of result.staleFiles) {
          process.stdout.write(`${opts.dryRun ? 'would remove' : 'removed'} leftover ${f}\n`);
        }
        if (result.pruned.length === 0 && result.staleFiles.length === 0) {
          process.stdout.write('nothing to prune\n');
        }
      }),
    );
}

function describe(db: DatabaseConfig): string {
  return db.type === 'sqlite' ? db.path : `postgres schema ${db.schema}`;
}
