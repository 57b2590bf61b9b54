import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import {
  FindingsService,
  type ActionResult,
  type FindingFilter,
  type FindingItem,
} from '../../app/findings-service.js';
import type { FindingState } from '../../checks/finding-actions.js';
import { UsageError } from '../../platform/errors.js';
import { loadSchoolContexts } from '../../mirror/school-context.js';
import { formatLocal } from '../../platform/time.js';
import type { App } from '../app.js';
import { withApp } from '../run-action.js';

interface FilterOptions {
  school?: string;
  class?: string[];
  teacher?: string[];
  rule?: string[];
  fromJson?: string;
}

interface ListOptions extends FilterOptions {
  state?: FindingState[];
  format: 'table' | 'json';
}

interface ActOptions extends FilterOptions {
  by?: string;
  reason?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `ezh findings list|ack|waive|reopen|history`: what a deputy director does about findings, through
 * the findings service (src/app/findings-service.ts). Findings are named by id (the `id` of
 * `ezh check --format json`, or a prefix of 8+ characters), by `--from-json` of such a file, or by
 * `--class`, `--teacher` and `--rule`.
 */
export function registerFindingsCommand(program: Command): void {
  const findings = program
    .command('findings')
    .description("a finding's life: list, acknowledge, waive with a reason, reopen");
  const filters = (cmd: Command) =>
    cmd
      .option('--school <id>', 'one school only')
      .option('--class <name>', 'class name or id (repeatable)', collect)
      .option('--teacher <name>', "teacher's full name or id (repeatable)", collect)
      .option('--rule <id>', 'rule id (repeatable)', collect)
      .option('--from-json <file>', 'the ids of `ezh check --format json` output (- for stdin)');

  filters(
    findings
      .command('list')
      .description('unresolved findings with their state (open, acknowledged, waived)')
      .argument('[ids...]', 'finding ids or prefixes'),
  )
    .addOption(
      new Option('--state <state>', 'only this state (repeatable)')
        .choices(['open', 'acknowledged', 'waived'])
        .argParser(collect as never),
    )
    .addOption(new Option('--format <format>').choices(['table', 'json']).default('table'))
    .action(
      withApp(async (app, ids: string[], opts: ListOptions) => {
        const service = await serviceOf(app);
        const items = await service.list({ ...filterOf(ids, opts), states: opts.state });
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify({ findings: items }, null, 2)}\n`);
        } else {
          printTable(items, await zonesOf(app));
        }
      }),
    );

  const action = (name: string, verb: 'acknowledge' | 'waive' | 'reopen', description: string) =>
    filters(
      findings
        .command(name)
        .description(description)
        .argument('[ids...]', 'finding ids or prefixes'),
    )
      .option('--by <name>', 'who acts (default: the operating system user)')
      .option('--reason <text>', verb === 'waive' ? 'why (required)' : 'a note')
      .action(
        withApp(async (app, ids: string[], opts: ActOptions) => {
          const service = await serviceOf(app);
          const input = {
            by: opts.by ?? defaultActor(),
            reason: opts.reason,
            at: Date.now(),
          };
          const result = await service[verb](filterOf(ids, opts), input);
          printAction(verb, result);
        }),
      );
  action('ack', 'acknowledge', 'acknowledge findings (seen, being dealt with; still alerted)');
  action(
    'waive',
    'waive',
    'waive findings with a reason: no longer alerted, shown in the справка as «снято»',
  );
  action('reopen', 'reopen', 'reopen acknowledged or waived findings');

  findings
    .command('history')
    .description('everything done about one finding: who, what, when')
    .argument('<id>', 'finding id or prefix')
    .action(
      withApp(async (app, id: string) => {
        const service = await serviceOf(app);
        const { finding, actions } = await service.history(id);
        const zone = (await zonesOf(app))(finding.schoolId);
        process.stdout.write(`${finding.id} ${finding.rule}: ${finding.message}\n`);
        process.stdout.write(`state: ${finding.state}\n`);
        if (actions.length === 0) process.stdout.write('no action taken\n');
        for (const a of actions) {
          process.stdout.write(
            `  ${formatLocal(a.at, zone)}  ${a.action.padEnd(11)} ${a.actor}${a.reason ? ` — ${a.reason}` : ''}\n`,
          );
        }
      }),
    );
}

async function serviceOf(app: App): Promise<FindingsService> {
  return new FindingsService((await app.mirror()).db);
}

/**
 * Each finding's times in its own school's zone (its SchoolContext's). A school whose zone nobody
 * knows has no synced data, hence no finding; UTC keeps the listing readable all the same.
 */
async function zonesOf(app: App): Promise<(schoolId: string) => string> {
  const schools = await loadSchoolContexts((await app.mirror()).db, app.config);
  return (schoolId) => {
    try {
      return schools.get(schoolId).zone;
    } catch {
      return 'UTC';
    }
  };
}

function defaultActor(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

function filterOf(ids: string[], opts: FilterOptions): FindingFilter {
  const all = [...ids, ...(opts.fromJson ? idsFromJson(opts.fromJson) : [])];
  return {
    schoolId: opts.school,
    ids: all.length > 0 ? all : undefined,
    classes: opts.class,
    teachers: opts.teacher,
    rules: opts.rule,
  };
}

/** The `id` of every finding of an `ezh check --format json` (or `ezh findings list --format json`) output. */
function idsFromJson(file: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--from-json: cannot read ${file}`, [(err as Error).message]);
  }
  const list = (parsed as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(list)) throw new UsageError('--from-json: no "findings" list in the file');
  const ids = list.flatMap((f) =>
    typeof (f as { id?: unknown }).id === 'string' ? [(f as { id: string }).id] : [],
  );
  if (ids.length === 0) throw new UsageError('--from-json: the findings carry no "id"');
  return ids;
}

function printTable(items: FindingItem[], zoneOf: (schoolId: string) => string): void {
  const out = process.stdout;
  if (items.length === 0) {
    out.write('No unresolved finding matches.\n');
    return;
  }
  for (const f of items) {
    const who = f.lastAction
      ? ` (${f.lastAction.actor}, ${formatLocal(f.lastAction.at, zoneOf(f.schoolId))}${f.lastAction.reason ? `: ${f.lastAction.reason}` : ''})`
      : '';
    out.write(
      `${f.id.slice(0, 12)}  ${f.state.padEnd(12)} ${(f.className ?? '-').padEnd(6)} ${f.rule.padEnd(22)} ${f.message}${who}\n`,
    );
  }
  const by = (s: FindingState) => items.filter((i) => i.state === s).length;
  out.write(
    `${items.length} finding(s): open ${by('open')}, acknowledged ${by('acknowledged')}, waived ${by('waived')}\n`,
  );
}

const DONE: Record<string, string> = {
  acknowledge: 'acknowledged',
  waive: 'waived',
  reopen: 'reopened',
};

function printAction(verb: string, result: ActionResult): void {
  for (const f of result.changed) {
    process.stdout.write(`${DONE[verb] ?? verb} ${f.id.slice(0, 12)} ${f.rule}: ${f.message}\n`);
  }
  for (const s of result.skipped) process.stdout.write(`skipped ${s.id.slice(0, 12)}: ${s.why}\n`);
  process.stdout.write(`${result.changed.length} changed, ${result.skipped.length} skipped\n`);
}
