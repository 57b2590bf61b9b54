import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { UsageError } from '../platform/errors.js';
import { manualJobs } from './run-now.js';

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
      manualJobs(config, 'documents', { report: 'activity', month: '2026-11' }, now)[0],
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
});
