import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { UsageError } from '../platform/errors.js';
import { createAppContext } from './context.js';
import { syncRequestProblems, syncSchools } from './sync-service.js';

/** What `ezh sync` refuses before it touches the platform or records a run. */
describe('sync service: the request checked against the config', () => {
  const config = configSchema.parse({ schools: [{ id: '101', timeZone: 'Europe/Moscow' }] });

  it('accepts a plain, a full, a backfill and a one-class request', () => {
    expect(syncRequestProblems(config, {})).toEqual([]);
    expect(syncRequestProblems(config, { full: true, schoolId: '101' })).toEqual([]);
    expect(syncRequestProblems(config, { from: '2026-09-01', to: '2026-09-30' })).toEqual([]);
    expect(syncRequestProblems(config, { className: '5А' })).toEqual([]);
  });

  it('lists every problem of a request, each naming its option', () => {
    expect(
      syncRequestProblems(config, { from: '2026-13-01', to: '01.09.2026', schoolId: '999' }),
    ).toEqual([
      '--from: must be a date YYYY-MM-DD',
      '--to: must be a date YYYY-MM-DD',
      "--school: 999 is not in the config's schools",
    ]);
    expect(syncRequestProblems(config, { from: '2026-10-01', to: '2026-09-01' })).toEqual([
      '--from: must not be after --to',
    ]);
    expect(syncRequestProblems(config, { full: true, from: '2026-09-01' })).toEqual([
      '--full: cannot be combined with --from/--to',
    ]);
    expect(syncRequestProblems(config, { confirmDeletions: true, reconcile: true })).toEqual([
      '--confirm-deletions: reads every window itself; cannot be combined with --from/--to/--reconcile',
    ]);
    expect(syncRequestProblems(configSchema.parse({}), {})).toEqual([
      'schools: no school configured (add schools[].id to the config)',
    ]);
  });

  it('syncSchools refuses such a request with exit 2 before it opens the mirror or a connector', async () => {
    const app = createAppContext({
      overrides: { log: { level: 'silent' }, schools: [{ id: '101' }] },
    });
    let opened = false;
    const guarded = {
      ...app,
      mirror: () => {
        opened = true;
        return app.mirror();
      },
    };
    const err = await syncSchools(
      guarded,
      { schoolId: '999' },
      {
        run: () => Promise.reject(new Error('no run expected')),
        signal: new AbortController().signal,
        onSummary: () => undefined,
        onRunError: () => undefined,
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).problems).toEqual(["--school: 999 is not in the config's schools"]);
    expect(opened).toBe(false);
    await app.close();
  });
});
