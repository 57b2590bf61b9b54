import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { UsageError } from '../platform/errors.js';
import { registerSyncHandlers } from './handlers/sync.js';
import { HandlerRegistry } from './registry.js';
import { desiredSchedules } from './schedules.js';
import { validateJobs } from './service.js';

describe('job handler registry', () => {
  it('lists every scheduled job this build cannot run, at start-up', () => {
    const registry = new HandlerRegistry();
    registerSyncHandlers(registry);
    // Alerts are scheduled once alerts are enabled (their own section).
    const config = configSchema.parse({
      schools: [{ id: '1' }],
      alerts: { enabled: true, channels: ['file'] },
    });
    let error: unknown;
    try {
      validateJobs(config, registry);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/not available in this build/);
    expect((error as UsageError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'alerts.send',
      'archive.create',
      'checks.run',
      'reports.render',
    ]);
  });

  it('registers every job the default schedules need once the app handlers are in', async () => {
    const { registerAppHandlers } = await import('./handlers/app-handlers.js');
    const registry = new HandlerRegistry();
    registerSyncHandlers(registry);
    const config = configSchema.parse({
      schools: [{ id: '1' }],
      alerts: { enabled: true, channels: ['file'] },
    });
    registerAppHandlers(registry, { config } as never);
    expect(() => validateJobs(config, registry)).not.toThrow();
    expect(desiredSchedules(config, () => 'UTC+5').map((s) => s.id)).toEqual([
      'ezh-sync-incremental-1',
      'ezh-sync-reconcile-1',
      'ezh-alerts-1',
      'ezh-audit-report-1',
      'ezh-archive-1',
      'ezh-archive-period-end-1',
    ]);
  });

  it('accepts a config whose schedules need only what is registered', () => {
    const registry = new HandlerRegistry();
    registerSyncHandlers(registry);
    const off = { enabled: false };
    const config = configSchema.parse({
      schools: [{ id: '1', timeZone: 'Asia/Yekaterinburg' }],
      jobs: { afterSync: [], schedules: { auditReport: off, archive: off, archivePeriodEnd: off } },
    });
    expect(() => validateJobs(config, registry)).not.toThrow();
    const schedules = desiredSchedules(
      config,
      (id) => config.schools.find((s) => s.id === id)!.timeZone!,
    );
    expect(schedules.map((s) => s.id)).toEqual(['ezh-sync-incremental-1', 'ezh-sync-reconcile-1']);
    expect(schedules.every((s) => s.tz === 'Asia/Yekaterinburg')).toBe(true);
  });
});
