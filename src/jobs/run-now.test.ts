import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { UsageError } from '../platform/errors.js';
import { Command } from 'commander';
import { registerJobsCommand } from '../cli/commands/jobs.js';
import { createDocumentRegistry } from '../reports/define-document.js';
import { DOCUMENT_DEFINITIONS } from '../reports/registry.js';
import { sampleDocument } from '../../test/fixtures/documents/sample.document.js';
import { manualJobs, reportParamOptions } from './run-now.js';

/** `ezh jobs run`: the jobs it queues, the same payloads the schedules use, ids of their own. */
describe('jobs queued by hand', () => {
  const config = configSchema.parse({
    schools: [
      { id: '101', timeZone: 'Europe/Moscow' },
      { id: '202', timeZone: 'Asia/Yekaterinburg' },
    ],
    jobs: { afterSync: ['checks.run'] },
  });
  const now = Date.UTC(2026, 11, 4, 9, 0);

  it('syncs one school, or each configured school, with the follow-ups of a scheduled sync', () => {
    const one = manualJobs(config, 'sync', { school: '202', full: true }, now);
    expect(one).toEqual([
      {
        name: 'sync.school',
        id: `manual-sync-202-${now.toString(36)}`,
        payload: { schoolId: '202', request: { mode: 'full' }, followUps: ['checks.run'] },
      },
    ]);
    const all = manualJobs(config, 'sync', {}, now);
    expect(all.map((j) => j.payload)).toEqual([
      { schoolId: '101', request: { mode: 'incremental' }, followUps: ['checks.run'] },
      { schoolId: '202', request: { mode: 'incremental' }, followUps: ['checks.run'] },
    ]);
    // No id a scheduler (or BullMQ: no ':') would use.
    expect(all.every((j) => j.id.startsWith('manual-') && !j.id.includes(':'))).toBe(true);
  });

  it('accepts the aliases and builds checks, alerts, documents and archive payloads', () => {
    expect(manualJobs(config, 'check', { school: '101', asOf: now }, now)[0]).toMatchObject({
      name: 'checks.run',
      payload: { schoolId: '101', asOf: now },
    });
    expect(manualJobs(config, 'alerts', { dryRun: true }, now)[0]).toMatchObject({
      name: 'alerts.send',
      payload: { dryRun: true },
    });
    expect(
      manualJobs(config, 'documents', { report: 'activity', params: { month: '2026-11' } }, now)[0],
    ).toMatchObject({
      name: 'reports.render',
      payload: { report: 'activity', params: { month: '2026-11' } },
    });
    expect(manualJobs(config, 'archive', { trigger: 'period-end' }, now)[0]).toMatchObject({
      name: 'archive.create',
      payload: { trigger: 'period-end' },
    });
  });

  it('refuses unknown jobs, schools, documents and missing parameters as usage errors', () => {
    const usage = (f: () => unknown) => expect(f).toThrow(UsageError);
    usage(() => manualJobs(config, 'frobnicate', {}, now));
    usage(() => manualJobs(config, 'sync', { school: '999' }, now));
    usage(() => manualJobs(config, 'report', { report: 'novel' }, now));
    usage(() => manualJobs(config, 'report', { report: 'performance' }, now));
    usage(() => manualJobs(config, 'archive', { trigger: 'hourly' }, now));
  });

  it("passes each document's own params, as its job reads them (the student's extract, the weekly sheet)", () => {
    const student = manualJobs(
      config,
      'report',
      { report: 'student', params: { student: 'p-17', week: '2026-11-30' } },
      now,
    )[0];
    expect(student).toMatchObject({
      name: 'reports.render',
      payload: { report: 'student', params: { student: 'p-17', week: '2026-11-30' } },
    });
    const weekly = manualJobs(
      config,
      'report',
      { report: 'weekly', className: '5А', params: { week: '2026-11-30' } },
      now,
    )[0];
    expect(weekly?.payload).toMatchObject({ params: { class: '5А', week: '2026-11-30' } });
  });

  it('refuses a param the document does not read, rather than print another document', () => {
    expect(() => manualJobs(config, 'report', { report: 'audit', className: '5А' }, now)).toThrow(
      /report audit takes no --class/,
    );
    expect(() =>
      manualJobs(
        config,
        'report',
        { report: 'activity', params: { month: '2026-11', week: '2026-11-30' } },
        now,
      ),
    ).toThrow(/report activity takes no --week/);
    expect(() => manualJobs(config, 'report', { report: 'student' }, now)).toThrow(
      /report student needs --student/,
    );
  });
});

describe('ezh jobs run report: the options derive from the document registry', () => {
  const longNames = () => {
    const program = new Command();
    registerJobsCommand(program);
    const run = program.commands
      .find((c) => c.name() === 'jobs')!
      .commands.find((c) => c.name() === 'run')!;
    return run.options.map((o) => o.long);
  };

  it("offers every document's job params: --student and --week as well as --period, --month, --class", () => {
    expect(longNames()).toEqual(
      expect.arrayContaining(['--class', '--period', '--month', '--week', '--student']),
    );
  });

  it('a new document brings its params, described by its own CLI option', () => {
    const registry = createDocumentRegistry([...DOCUMENT_DEFINITIONS, sampleDocument]);
    expect(reportParamOptions(registry).find((o) => o.key === 'grade')).toEqual({
      key: 'grade',
      flags: '--grade <value>',
      description: 'report sample: only this grade, e.g. 5',
    });
    expect(reportParamOptions(registry).find((o) => o.key === 'week')?.description).toMatch(
      /^report weekly, student: any day of the week/,
    );
  });
});
