import { systemClock } from '../../src/platform/clock.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { EmbeddedScheduler } from '../../src/jobs/embedded-scheduler.js';
import { jobRegistry } from '../../src/jobs/host.js';
import { InProcessRunner } from '../../src/jobs/in-process-runner.js';
import type { JobRegistry } from '../../src/jobs/registry.js';
import { desiredSchedules, installSchedules } from '../../src/jobs/schedules.js';
import { ServiceQueues } from '../../src/jobs/service-queues.js';
import { startWorkers } from '../../src/jobs/worker.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { deletePrefixKeys, testPrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp.js';
import {
  EMAIL_CT5,
  SCHOOL,
  seedFindings,
  seedSchool,
  silentLogger,
  T_CT5,
} from './alerts-fixture.js';

/**
 * Issue 20: every subscription the config accepts fires, in both modes, in the school's zone,
 * once per occurrence. The school is in Yekaterinburg (UTC+5): a schedule read in Moscow time
 * would fire two hours late.
 */
const ZONE = 'Asia/Yekaterinburg';
const DEPUTY = 'deputy@school5.example.ru';
const ICT = 'ict@school5.example.ru';
const at = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toMillis();

function scheduleConfig(extra: {
  smtpPort: number;
  outDir: string;
  prefix?: string;
  /** No `timeZone` in the config: the school's zone is the platform's, from the mirror. */
  platformZone?: boolean;
}): Config {
  const off = { enabled: false };
  return configSchema.parse({
    outDir: extra.outDir,
    schools: [
      extra.platformZone
        ? { id: SCHOOL, deputyDirector: 'Смирнова Е. В.' }
        : { id: SCHOOL, timeZone: ZONE, deputyDirector: 'Смирнова Е. В.' },
    ],
    redis: { prefix: extra.prefix ?? 'ezh' },
    jobs: {
      attempts: 1,
      backoffMs: 10,
      afterSync: [],
      schedules: {
        incrementalSync: off,
        reconcileSync: off,
        archive: off,
        archivePeriodEnd: off,
        // The справка every 10 days (004 §5.2): the default pattern.
      },
    },
    alerts: {
      enabled: true,
      recipients: { [T_CT5]: EMAIL_CT5 },
      smtp: {
        host: '127.0.0.1',
        port: extra.smtpPort,
        starttls: 'off',
        from: '"ЭЖ школы № 5" <ezh@school5.example.ru>',
      },
      retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
      subscriptions: [
        { document: 'audit', to: [DEPUTY] },
        { document: 'sync-health', to: [ICT], schedule: '0 9 * * 1' },
        { document: 'archive', to: [ICT], schedule: '0 10 * * 0' },
        { document: 'activity', to: [DEPUTY] },
      ],
    },
  });
}

function testApp(config: Config, m: TestMirror): App {
  return {
    config,
    configSource: null,
    clock: systemClock,
    logger: silentLogger,
    mirror: async () => m,
    close: async () => undefined,
  };
}

async function seed(m: TestMirror): Promise<void> {
  await seedSchool(m.db);
  await seedFindings(m.db);
  await m.db.run(
    `INSERT INTO check_runs (id, school_id, as_of, started_at, finished_at, status, rules, finding_count, new_count, resolved_count, entry_time_precision, kind)
     VALUES ('run-1', ?, ?, ?, ?, 'succeeded', '{}', 6, 6, 0, 'platform', 'current')`,
    [SCHOOL, at('2026-12-10T06:00'), at('2026-12-10T06:00'), at('2026-12-10T06:01')],
  );
}

const subjects = (mails: ReceivedMail[], to: string) =>
  mails.filter((r) => r.to.includes(to)).map((r) => r.mail.subject);

describe('schedules of every subscription (issue 20)', () => {
  it('are installed from the config: each subscription, the monthly activity report, operator alerts, in the school zone', () => {
    const specs = desiredSchedules(scheduleConfig({ smtpPort: 25, outDir: '/tmp' }), () => ZONE);
    const view = specs.map((s) => [s.job.name, s.pattern, s.tz]);
    expect(view).toEqual(
      expect.arrayContaining([
        ['alerts.send', '0 13 * * 1-5', ZONE],
        ['reports.render', '0 7 1,11,21 * *', ZONE],
        ['alerts.document', '0 9 * * 1', ZONE],
        ['alerts.document', '0 10 * * 0', ZONE],
        ['alerts.document', '0 7 1 * *', ZONE],
        ['alerts.operator', '*/15 * * * *', ZONE],
      ]),
    );
    const docs = specs.flatMap((s) =>
      s.job.name === 'alerts.document' ? [s.job.payload.document] : [],
    );
    expect(docs.sort()).toEqual(['activity', 'archive', 'sync-health']);
  });
});

describe('embedded scheduler, advancing the clock (sqlite, real SMTP)', () => {
  let m: TestMirror;
  let smtp: TestSmtpServer;
  let dir: string;
  let config: Config;
  let registry: JobRegistry;
  let clock: ManualClock;

  const scheduler = () =>
    new EmbeddedScheduler({
      specs: desiredSchedules(config, () => ZONE),
      db: m.db,
      clock,
      logger: silentLogger,
      run: (job) =>
        new InProcessRunner(
          registry,
          {
            db: m.db,
            clock,
            logger: silentLogger,
            config,
            connectorFor: () => {
              throw new Error('no platform in this test');
            },
          },
          { attempts: 1, backoffMs: 1 },
        ).run(job),
    });

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seed(m);
    smtp = await startSmtpServer();
    dir = mkdtempSync(join(tmpdir(), 'ezh-schedules-'));
    config = scheduleConfig({ smtpPort: smtp.port, outDir: dir });
    registry = jobRegistry(testApp(config, m));
    clock = new ManualClock(at('2026-12-10T15:00'));
  });
  afterAll(async () => {
    await smtp?.close();
    await m?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires each occurrence once, in the school zone, and a restart does not fire it again', async () => {
    const s = scheduler();
    expect(await s.tick()).toEqual([]);

    // 07:00 in Yekaterinburg on the 11th: the справка for the 10 days since the 1st.
    clock.set(at('2026-12-11T07:00') + 30_000);
    const fired = await s.tick();
    expect(fired.map((f) => [f.id.replace(`-${SCHOOL}`, ''), f.ok])).toEqual(
      expect.arrayContaining([['ezh-audit-report', true]]),
    );
    expect(subjects(smtp.received, DEPUTY)).toEqual([
      'Справка по итогам проверки электронного журнала за период с 01.12.2026 по 11.12.2026',
    ]);
    const pdf = smtp.received.find((r) => r.to.includes(DEPUTY))!.mail.attachments[0]!;
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');

    // Again, and after a restart: nothing fires twice.
    expect(await s.tick()).toEqual([]);
    expect(await scheduler().tick()).toEqual([]);
    expect(smtp.received).toHaveLength(1);

    // 13:00 school time: the digest to the class teacher.
    clock.set(at('2026-12-11T13:00') + 30_000);
    await s.tick();
    expect(subjects(smtp.received, EMAIL_CT5)).toHaveLength(1);

    // Sunday 10:00: the archive letter; Monday 09:00: the sync-health letter, to the ICT engineer.
    clock.set(at('2026-12-13T10:00') + 30_000);
    await s.tick();
    clock.set(at('2026-12-14T09:00') + 30_000);
    await s.tick();
    const ict = smtp.received.filter((r) => r.to.includes(ICT));
    expect(ict.map((r) => r.mail.subject)).toEqual([
      'Состояние архива электронного журнала с 06.12.2026 по 13.12.2026',
      'Состояние синхронизации электронного журнала с 07.12.2026 по 14.12.2026',
    ]);
    expect(ict[1]!.mail.text).toContain('Последняя успешная синхронизация');

    // The 1st of the month, 07:00: last month's activity report.
    clock.set(at('2027-01-01T07:00') + 30_000);
    await s.tick();
    expect(subjects(smtp.received, DEPUTY)).toContain(
      'Отчёт об активности в электронном журнале за декабрь 2026',
    );
    const fires = await m.db.query<{ n: number }>(
      `SELECT count(*) AS n FROM schedule_fires GROUP BY schedule_id, occurrence HAVING count(*) > 1`,
    );
    expect(fires).toEqual([]);
  }, 240_000);
});

describe('embedded scheduler, a school whose zone only the platform gives (sqlite, real SMTP)', () => {
  let m: TestMirror;
  let smtp: TestSmtpServer;
  let dir: string;

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seed(m);
    // As the first roster sync mirrors Dnevnik's `School.timeZone` (hours from UTC).
    await m.db.run('UPDATE schools SET time_zone = ? WHERE id = ?', ['UTC+5', SCHOOL]);
    smtp = await startSmtpServer();
    dir = mkdtempSync(join(tmpdir(), 'ezh-schedules-platform-zone-'));
  });
  afterAll(async () => {
    await smtp?.close();
    await m?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mails the справка for the 10 days before, read in the school zone, not Moscow', async () => {
    const config = scheduleConfig({ smtpPort: smtp.port, outDir: dir, platformZone: true });
    const registry = jobRegistry(testApp(config, m));
    // The scheduler starts at 06:59 school time; 07:00 in UTC+5 on the 11th fires the справка.
    const clock = new ManualClock(at('2026-12-11T06:59'));
    const deps = {
      db: m.db,
      clock,
      logger: silentLogger,
      config,
      connectorFor: () => {
        throw new Error('no platform in this test');
      },
    };
    const s = new EmbeddedScheduler({
      specs: desiredSchedules(config, () => 'UTC+5'),
      db: m.db,
      clock,
      logger: silentLogger,
      run: (job) => new InProcessRunner(registry, deps, { attempts: 1, backoffMs: 1 }).run(job),
    });
    expect(await s.tick()).toEqual([]);
    clock.set(at('2026-12-11T07:00') + 30_000);
    await s.tick();
    expect(subjects(smtp.received, DEPUTY)).toEqual([
      'Справка по итогам проверки электронного журнала за период с 01.12.2026 по 11.12.2026',
    ]);
  }, 120_000);
});

describe('BullMQ job schedulers (real Redis, own prefix)', () => {
  let m: TestMirror;
  let smtp: TestSmtpServer;
  let dir: string;
  let prefix: string;
  let config: Config;
  let connection: Redis;
  let queues: ServiceQueues;

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seed(m);
    smtp = await startSmtpServer();
    dir = mkdtempSync(join(tmpdir(), 'ezh-schedules-bull-'));
    prefix = testPrefix();
    config = scheduleConfig({ smtpPort: smtp.port, outDir: dir, prefix });
    connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = new ServiceQueues(connection, config);
  });
  afterAll(async () => {
    await queues?.close();
    connection?.disconnect();
    await deletePrefixKeys(prefix).catch(() => undefined);
    await smtp?.close();
    await m?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs every subscription idempotently in the school zone, and a fired occurrence delivers', async () => {
    const first = await installSchedules(queues, config, () => ZONE);
    const again = await installSchedules(queues, config, () => ZONE);
    expect(again.installed.sort()).toEqual(first.installed.sort());
    const alerts = queues.queue('alerts');
    const schedulers = await alerts.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => [s.name, s.pattern, s.tz]).sort()).toEqual(
      [
        ['alerts.document', '0 10 * * 0', ZONE],
        ['alerts.document', '0 7 1 * *', ZONE],
        ['alerts.document', '0 9 * * 1', ZONE],
        ['alerts.operator', '*/15 * * * *', ZONE],
        ['alerts.send', '0 13 * * 1-5', ZONE],
      ].sort(),
    );

    // The next sync-health letter is due on Monday at 09:00 in Yekaterinburg.
    const delayed = await alerts.getDelayed();
    const health = delayed.find(
      (j) => j.name === 'alerts.document' && j.data.document === 'sync-health',
    )!;
    expect(health).toBeDefined();
    const due = health.timestamp + (health.opts.delay ?? 0);
    const local = DateTime.fromMillis(due, { zone: ZONE });
    expect([local.weekday, local.hour, local.minute]).toEqual([1, 9, 0]);
    expect(delayed.filter((j) => j.data.document === 'sync-health')).toHaveLength(1);

    // Its time comes (the job is promoted), and a worker delivers it.
    const registry = jobRegistry(testApp(config, m));
    const workers = startWorkers({
      config,
      registry,
      deps: {
        db: m.db,
        clock: { now: () => due + 60_000 },
        logger: silentLogger,
        config,
        connectorFor: () => {
          throw new Error('no platform in this test');
        },
      },
      queues,
      logger: silentLogger,
      kinds: ['alerts'],
    });
    try {
      await health.promote();
      const deadline = Date.now() + 60_000;
      while (!smtp.received.some((r) => r.to.includes(ICT)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      const letter = smtp.received.find((r) => r.to.includes(ICT));
      expect(letter?.mail.subject).toMatch(
        /^Состояние синхронизации электронного журнала с \d\d\.\d\d\.\d{4} по \d\d\.\d\d\.\d{4}$/,
      );
    } finally {
      await workers.close();
    }
  }, 120_000);
});
