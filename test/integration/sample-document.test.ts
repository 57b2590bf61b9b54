import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  checkSubscribedDocuments,
  renderAllDemoDocuments,
} from '../../src/app/documents-service.js';
import type { AppContext } from '../../src/app/context.js';
import { registerReportCommand } from '../../src/cli/commands/report.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import type { JobContext } from '../../src/jobs/define-job.js';
import { jobRegistry } from '../../src/jobs/host.js';
import { manualJobs } from '../../src/jobs/run-now.js';
import { desiredSchedules } from '../../src/jobs/schedules.js';
import { systemClock } from '../../src/platform/clock.js';
import { SCHOOL_ID, seedSchool, ZONE } from '../fixtures/reports/school-fixture.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';

/**
 * Issue 18: a new document is its own file (test/fixtures/documents/sample.document.ts) plus one
 * line in the registry. The mock below is that line: the real registry module with the sample
 * appended, so every door reads it as it would read a committed line. Nothing else is told about
 * the sample, yet it is an `ezh report` subcommand, a `reports.render` job, a subscription the
 * config accepts and the scheduler fires, and a demo document, each printed to PDF.
 */
vi.mock('../../src/reports/registry.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/reports/registry.js')>();
  const { createDocumentRegistry } = await import('../../src/reports/define-document.js');
  const { sampleDocument } = await import('../fixtures/documents/sample.document.js');
  const DOCUMENT_DEFINITIONS = [...real.DOCUMENT_DEFINITIONS, sampleDocument];
  return { DOCUMENT_DEFINITIONS, DOCUMENTS: createDocumentRegistry(DOCUMENT_DEFINITIONS) };
});

const DEPUTY = 'deputy@school.example.ru';
const text = (pdf: string): string =>
  execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });

describe('a sample document added with one registry line', () => {
  let mirror: TestMirror;
  let dir: string;
  let config: Config;
  let app: AppContext;
  const raw = (): Record<string, unknown> => ({
    database: mirror.database,
    schools: [{ id: SCHOOL_ID, timeZone: ZONE }],
    outDir: join(dir, 'out'),
    log: { level: 'silent' },
    alerts: {
      enabled: true,
      channels: ['file'],
      fileDir: join(dir, 'mail'),
      subscriptions: [{ document: 'sample', to: [DEPUTY], schedule: '0 7 * * 1' }],
    },
  });

  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    dir = mkdtempSync(join(tmpdir(), 'ezh-sample-doc-'));
    config = configSchema.parse(raw());
    app = {
      config,
      configSource: null,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      mirror: async () => mirror,
      close: async () => undefined,
    };
  });
  afterAll(async () => {
    await mirror?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is an `ezh report` subcommand with its own options, printing a PDF', async () => {
    const program = new Command('ezh').option('--config <file>').exitOverride();
    registerReportCommand(program);
    const report = program.commands.find((c) => c.name() === 'report')!;
    expect(report.commands.map((c) => c.name())).toEqual([
      'journal',
      'audit',
      'performance',
      'activity',
      'weekly',
      'student',
      'sample',
    ]);
    expect(report.helpInformation()).toContain('list of the school classes (a sample document)');
    const sample = report.commands.find((c) => c.name() === 'sample')!;
    expect(sample.options.map((o) => o.long)).toEqual(['--grade', '--out', '--school']);

    const file = join(dir, 'ezh.yaml');
    writeFileSync(file, JSON.stringify(raw()));
    const out = join(dir, 'cli.pdf');
    const written: string[] = [];
    const write = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((s: string | Uint8Array) => written.push(String(s)) > 0);
    try {
      await program.parseAsync(
        ['--config', file, 'report', 'sample', '--grade', '5', '--out', out],
        {
          from: 'user',
        },
      );
    } finally {
      write.mockRestore();
    }
    expect(process.exitCode ?? 0).toBe(0);
    process.exitCode = undefined;
    expect(written).toEqual([`${out}\n`]);
    expect(text(out)).toContain('Список классов (5 класс)');
    expect(text(out)).toContain('5А');
  });

  it('is a `reports.render` job, from `ezh jobs run report --report sample` to the PDF', async () => {
    const [job] = manualJobs(config, 'report', { report: 'sample', school: SCHOOL_ID }, Date.now());
    expect(job).toMatchObject({ name: 'reports.render', payload: { report: 'sample' } });
    const path = (await jobRegistry(app).run(
      'reports.render',
      job!.payload,
      jobContext(mirror),
    )) as string;
    expect(path).toBe(join(config.outDir, `sample-${SCHOOL_ID}-все.pdf`));
    expect(text(path)).toContain('Список классов');
  });

  it('is a document people subscribe to: the config accepts it, the scheduler fires it, the letter carries the PDF', async () => {
    expect(() => checkSubscribedDocuments(config)).not.toThrow();
    const typo = configSchema.parse({
      ...raw(),
      alerts: { subscriptions: [{ document: 'sampel', to: [DEPUTY] }] },
    });
    expect(() => checkSubscribedDocuments(typo)).toThrow(
      expect.objectContaining({
        problems: [expect.stringMatching(/unknown document "sampel" \(did you mean `sample`\?\)/)],
      }),
    );

    const scheduled = desiredSchedules(config, () => ZONE).filter(
      (s) => s.job.name === 'alerts.document',
    );
    expect(scheduled.map((s) => [s.pattern, s.job.payload])).toEqual([
      ['0 7 * * 1', expect.objectContaining({ document: 'sample', schoolId: SCHOOL_ID })],
    ]);
    const result = await jobRegistry(app).run(
      'alerts.document',
      scheduled[0]!.job.payload,
      jobContext(mirror),
    );
    expect(result).toMatchObject({ sent: 1, failed: 0 });
    const mails = readdirSync(join(dir, 'mail')).filter((f) => f.endsWith('.eml'));
    expect(mails).toHaveLength(1);
    const eml = readFileSync(join(dir, 'mail', mails[0]!), 'utf8');
    expect(eml).toContain('application/pdf');
    expect(eml).toMatch(/sample-100-/);
  });

  it('is printed by the demo with the others', async () => {
    const outDir = join(dir, 'demo');
    const files = await renderAllDemoDocuments(app, { outDir });
    expect(files.map((f) => f.slice(outDir.length + 1).split('-')[0])).toEqual([
      'journal',
      'audit',
      'performance',
      'activity',
      'weekly',
      'student',
      'sample',
    ]);
    for (const f of files) expect(existsSync(f)).toBe(true);
  });
});

function jobContext(mirror: TestMirror): JobContext {
  return {
    deps: { db: mirror.db, clock: systemClock } as unknown as JobContext['deps'],
    jobId: 'test',
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    spawn: async () => undefined,
  };
}
