import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JournalBuilder } from '../../../test/fixtures/checks/builder.js';
import { createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import { registerCheckCommand } from './check.js';

async function runCli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((c) => (out.push(String(c)), true));
  const se = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((c) => (err.push(String(c)), true));
  const before = process.exitCode;
  try {
    const program = new Command('ezh')
      .option('-c, --config <file>')
      .option('--log-level <level>')
      .exitOverride();
    registerCheckCommand(program);
    await program.parseAsync(['node', 'ezh', ...args]);
    return { stdout: out.join(''), stderr: err.join(''), code: Number(process.exitCode ?? 0) };
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = before;
  }
}

describe('ezh check', () => {
  let m: TestMirror;
  let dir: string;
  let config: string;
  let lesson: string;
  let ids: { cls: string; subject: string; teacher: string };

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    const b = new JournalBuilder('1000002283077');
    b.school('UTC+3');
    const cls = b.klass('5А', 5);
    const subject = b.subject('Математика');
    const teacher = b.teacher('Петрова Анна Ивановна');
    ids = { cls, subject, teacher };
    lesson = b.lesson(cls, subject, '2026-10-12', { topic: null, teacherId: teacher });
    b.work(lesson, cls);
    b.attendance(lesson, cls, b.student(cls), 'Attend');
    await b.write(m.db);
    dir = mkdtempSync(join(tmpdir(), 'ezh-check-'));
    config = join(dir, 'ezh.yaml');
    writeFileSync(
      config,
      `database: { type: sqlite, path: ${JSON.stringify(m.database.path)} }\nlog: { level: silent }\nschools:\n  - id: "1000002283077"\n    timeZone: Europe/Moscow\n`,
    );
  });
  afterAll(async () => {
    await m?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON object of the design shape: ids as strings, names resolved, absent fields null', async () => {
    const r = await runCli([
      '-c',
      config,
      'check',
      '--as-of',
      '2026-10-20T12:00:00+03:00',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { asOf: string; findings: Record<string, unknown>[] };
    expect(report.asOf).toBe('2026-10-20T09:00:00.000Z');
    expect(report.findings).toEqual([
      {
        // The finding's stable id, what `ezh findings ack|waive|reopen` take.
        id: expect.stringMatching(/^[0-9a-f]{40}$/),
        rule: 'topic-missing',
        severity: 'warning',
        school: '1000002283077',
        class: ids.cls,
        subject: ids.subject,
        teacher: ids.teacher,
        student: null,
        lesson,
        date: '2026-10-12',
        deadline: '2026-10-13T09:00:00.000Z',
        message:
          'Не заполнена тема урока: 5А, Математика, урок 12.10.2026, срок 13.10.2026 12:00: тема не указана',
        names: {
          class: '5А',
          subject: 'Математика',
          teacher: 'Петрова Анна Ивановна',
          student: null,
        },
      },
    ]);
    // The fields above are unchanged; `evidence` was added after them (what the mirror can know).
    expect(Object.keys(report)).toEqual(['asOf', 'findings', 'evidence']);
  });

  it("without configured schools, checks the mirror's schools in the zone the platform gave (UTC+3)", async () => {
    const bare = join(dir, 'bare.yaml');
    writeFileSync(
      bare,
      `database: { type: sqlite, path: ${JSON.stringify(m.database.path)} }\nlog: { level: silent }\n`,
    );
    const r = await runCli([
      '-c',
      bare,
      'check',
      '--as-of',
      '2026-10-20T12:00:00+03:00',
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { deadline: string; message: string }[] };
    expect(report.findings.map((f) => [f.deadline, f.message])).toEqual([
      [
        '2026-10-13T09:00:00.000Z',
        'Не заполнена тема урока: 5А, Математика, урок 12.10.2026, срок 13.10.2026 12:00: тема не указана',
      ],
    ]);
  });

  it('--fail-on warning exits 1 on a warning; --fail-on critical does not', async () => {
    const base = [
      '-c',
      config,
      'check',
      '--as-of',
      '2026-10-20T12:00:00+03:00',
      '--format',
      'json',
    ];
    expect((await runCli([...base, '--fail-on', 'warning'])).code).toBe(1);
    expect((await runCli([...base, '--fail-on', 'critical'])).code).toBe(0);
  });

  it('a deadline not yet passed as of the run is no finding', async () => {
    const r = await runCli([
      '-c',
      config,
      'check',
      '--as-of',
      '2026-10-13T11:00:00',
      '--format',
      'json',
    ]);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });

  it('an unknown --rule exits 2 and lists the valid ids', async () => {
    const r = await runCli(['-c', config, 'check', '--rule', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown rule "nope"');
    expect(r.stderr).toContain('mark-late, topic-missing, homework-missing');
  });

  it('prints a table grouped by class and teacher on a terminal', async () => {
    const r = await runCli([
      '-c',
      config,
      'check',
      '--as-of',
      '2026-10-20T12:00:00+03:00',
      '--class',
      '5А',
    ]);
    expect(r.stdout).toContain(
      'Класс 5А\n  Учитель: Петрова Анна Ивановна\n    [предупр.] topic-missing: Не заполнена тема урока',
    );
  });

  it('without --as-of, checks as of the last successful sync, not the wall clock', async () => {
    const synced = Date.parse('2026-10-13T11:00:00+03:00'); // before the topic's 12:00 deadline
    await m.db.run(
      `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
       VALUES ('run-old', '1000002283077', 'dnevnik', 'incremental', 'succeeded', ?, ?, 1, 1)`,
      [synced - 60_000, synced],
    );
    try {
      const r = await runCli(['-c', config, 'check', '--format', 'json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as { asOf: string; findings: unknown[] };
      expect(report.asOf).toBe(new Date(synced).toISOString());
      expect(report.findings).toEqual([]);
    } finally {
      await m.db.run(`DELETE FROM sync_runs WHERE id = 'run-old'`);
    }
  });

  it('--as-of after the last sync: a what-if run, said in the table and JSON, exit code as before', async () => {
    const synced = Date.parse('2026-10-13T11:00:00+03:00');
    await m.db.run(
      `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
       VALUES ('run-what-if', '1000002283077', 'dnevnik', 'incremental', 'succeeded', ?, ?, 1, 1)`,
      [synced - 60_000, synced],
    );
    try {
      const args = ['-c', config, 'check', '--as-of', '2026-10-20T12:00:00+03:00'];
      const table = await runCli(args);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain('note: a what-if run');
      expect(table.stdout).toContain(
        'warning: as of 2026-10-20T09:00:00.000Z is after the last successful sync (2026-10-13T08:00:00.000Z): the mirror has data only up to then',
      );
      const json = await runCli([...args, '--format', 'json']);
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout) as {
        findings: unknown[];
        evidence: { run: string; lastSync: string; warnings: { code: string }[] }[];
      };
      expect(report.findings).toHaveLength(1);
      expect(report.evidence).toMatchObject([
        {
          run: 'what-if',
          lastSync: '2026-10-13T08:00:00.000Z',
          warnings: [{ code: 'after-last-sync' }],
        },
      ]);
      expect((await runCli([...args, '--fail-on', 'warning'])).code).toBe(1);
      const open = await m.db.query(`SELECT key FROM findings WHERE school_id = '1000002283077'`);
      expect(open).toEqual([]);
    } finally {
      await m.db.run(`DELETE FROM sync_runs WHERE id = 'run-what-if'`);
    }
  });
});
