import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import { seedSchool, testApp } from '../../../test/fixtures/reports/school-fixture.js';
import { seedMovement } from '../../../test/fixtures/reports/movement-fixture.js';
import type { SqlExecutor } from '../../mirror/sql.js';
import { configSchema } from '../../config/schema.js';
import { findClass } from '../data/classes.js';
import { loadJournal } from '../data/journal.js';
import { resolveSchool } from '../data/school.js';
import { createPdfRenderer } from '../documents/context.js';
import { renderJournal } from '../documents/journal.js';
import type { PdfRenderer } from '../pdf/renderer.js';
import { renderJournalHtml } from './journal-html.js';
import { layoutJournal, ruPlural } from './journal-layout.js';

/**
 * The printed journal as a bound paper copy (001 §3.2.4): spreads face when printed double-sided
 * (left pages on even numbers), every page says when its data were taken and when it was printed,
 * and the certification page is dated, names the deputy director who binds it and the electronic
 * copy it belongs to.
 */

const LAYOUT = { lessonsPerSpread: 16, studentsPerPage: 30, subjectsPerSummaryPage: 4 };
// 16.11.2026 07:00 and 04.12.2026 10:30 in Moscow (the fixture school's zone).
const SYNCED = Date.parse('2026-11-16T04:00:00Z');
const PRINTED = Date.parse('2026-12-04T07:30:00Z');

async function seedSync(db: SqlExecutor): Promise<void> {
  await db.run(
    `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
     VALUES (?, ?, 'dnevnik', 'full', 'succeeded', ?, ?, 1, 1)`,
    ['run-1', '100', SYNCED - 60_000, SYNCED],
  );
}

const pageText = (pdf: string, page: number): string =>
  execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), pdf, '-'], {
    encoding: 'utf8',
  });

describe.each(ENGINES)('journal print stamps read from the mirror (%s)', (engine) => {
  let mirror: TestMirror;
  beforeAll(async () => {
    mirror = await createTestMirror(engine);
    await seedSchool(mirror.db);
    await seedMovement(mirror.db);
  });
  afterAll(async () => mirror?.dispose());

  it('takes «данные на» from the last successful sync, and the deputy director from the config', async () => {
    const config = configSchema.parse({
      schools: [{ id: '100', director: 'Петрова А. И.', deputyDirector: 'Смирнова Е. В.' }],
    });
    const school = await resolveSchool(mirror.db, config);
    const schoolClass = await findClass(mirror.db, school.id, '5А');
    const before = await loadJournal(mirror.db, { school, schoolClass, period: '1 четверть' });
    expect(before.dataAsOf).toBeNull();
    await seedSync(mirror.db);
    const data = await loadJournal(mirror.db, {
      school,
      schoolClass,
      period: '1 четверть',
      printedAt: PRINTED,
    });
    expect(data.dataAsOf).toBe(SYNCED);
    const cert = layoutJournal(data, LAYOUT).at(-1)!.certification!;
    expect(cert).toMatchObject({
      deputyDirector: 'Смирнова Е. В.',
      date: '04.12.2026',
      dataAsOf: 'Данные на 16.11.2026 07:00',
    });
  });
});

describe('journal layout for double-sided printing', () => {
  let mirror: TestMirror;
  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedMovement(mirror.db);
  });
  afterAll(async () => mirror?.dispose());

  it('puts every left page on an even number facing its right page, blanks struck as fillers', async () => {
    const config = configSchema.parse({ schools: [{ id: '100' }] });
    const school = await resolveSchool(mirror.db, config);
    for (const name of ['5А', '5Б', '1А']) {
      const schoolClass = await findClass(mirror.db, school.id, name);
      const data = await loadJournal(mirror.db, { school, schoolClass, period: '1 четверть' });
      // Several students' pages per spread: the second left page faces a filler, not a topics page.
      for (const layout of [LAYOUT, { ...LAYOUT, studentsPerPage: 10 }]) {
        const pages = layoutJournal(data, layout);
        pages.forEach((p, i) => {
          const no = i + 1;
          if (p.marks) expect(no % 2, `${name}: marks page ${no}`).toBe(0);
          if (p.topics) expect(no % 2, `${name}: topics page ${no}`).toBe(1);
          if (p.topics) expect(pages[i - 1]!.marks ?? pages[i - 1]!.filler).toBeTruthy();
        });
        // The contents name the first page of each subject: its left page.
        for (const row of pages[1]!.contents!.rows.filter((r) => r.teacher !== '')) {
          expect(pages[row.page - 1]!.marks?.subject).toBe(row.title);
        }
        expect(pages.some((p) => p.filler)).toBe(true);
      }
    }
  });

  it('writes page counts in Russian', () => {
    expect(
      [1, 2, 5, 11, 21, 22, 112, 125].map(
        (n) => `${n} ${ruPlural(n, 'страница', 'страницы', 'страниц')}`,
      ),
    ).toEqual([
      '1 страница',
      '2 страницы',
      '5 страниц',
      '11 страниц',
      '21 страница',
      '22 страницы',
      '112 страниц',
      '125 страниц',
    ]);
  });
});

describe('printed journal PDF: stamps on every page, certification, facing spreads', () => {
  let mirror: TestMirror;
  let dir: string;
  let renderer: PdfRenderer;
  let pdf: string;
  let pages: number;

  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedMovement(mirror.db);
    await seedSync(mirror.db);
    dir = mkdtempSync(join(tmpdir(), 'ezh-journal-print-'));
    const app = { ...testApp(mirror, dir), clock: { now: () => PRINTED } };
    renderer = createPdfRenderer(app);
    pdf = await renderJournal(app, { renderer, className: '5А', period: '1 четверть' });
    pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  }, 120_000);
  afterAll(async () => {
    await renderer?.close();
    await mirror?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints «Данные на» and the print time on every page', () => {
    expect(pages).toBeGreaterThan(4);
    for (let p = 1; p <= pages; p++) {
      const flat = pageText(pdf, p).replace(/\s+/g, ' ');
      expect(flat, `page ${p}`).toContain('Данные на 16.11.2026 07:00');
      expect(flat, `page ${p}`).toContain('Напечатано 04.12.2026 10:30');
      expect(flat, `page ${p}`).toContain(`стр. ${p} из ${pages}`);
    }
  });

  it('prints left pages on even numbers and blank fillers struck through', () => {
    for (let p = 1; p <= pages; p++) {
      const flat = pageText(pdf, p).replace(/\s+/g, ' ');
      if (flat.includes('левая страница')) expect(p % 2, `page ${p}`).toBe(0);
      if (flat.includes('правая страница')) expect(p % 2, `page ${p}`).toBe(1);
    }
    const all = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(all).toContain('Страница не заполняется');
  });

  it('dates the certification page, names the deputy director and the electronic copy with its hash', () => {
    const cert = pageText(pdf, pages).replace(/\s+/g, ' ');
    expect(cert).toContain(`пронумеровано и прошнуровано ${pages} страниц`);
    expect(cert).toContain('Заместитель директора');
    expect(cert).toContain('Смирнова Е. В.');
    expect(cert).toContain('Дата: 04.12.2026');
    expect(cert).toContain('Данные на 16.11.2026 07:00. Напечатано 04.12.2026.');
    expect(cert).toContain(`«${basename(pdf)}»`);
    expect(cert).toContain(`«${basename(pdf)}.sha256»`);
    const sidecar = readFileSync(`${pdf}.sha256`, 'utf8');
    const hash = createHash('sha256').update(readFileSync(pdf)).digest('hex');
    expect(sidecar).toBe(`${hash}  ${basename(pdf)}\n`);
    expect(statSync(`${pdf}.sha256`).mode & 0o777).toBe(0o600);
    expect(statSync(pdf).mode & 0o777).toBe(0o600);
  });
});

describe('certification page inside an archive', () => {
  let mirror: TestMirror;
  beforeAll(async () => {
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
  });
  afterAll(async () => mirror?.dispose());

  it('names the archive and its data snapshot’s SHA-256, and where the archive’s own hash is', async () => {
    const config = configSchema.parse({
      schools: [{ id: '100', deputyDirector: 'Смирнова Е. В.' }],
    });
    const school = await resolveSchool(mirror.db, config);
    const schoolClass = await findClass(mirror.db, school.id, '5А');
    const sha = 'ab'.repeat(32);
    const data = await loadJournal(mirror.db, {
      school,
      schoolClass,
      period: '1 четверть',
      printedAt: PRINTED,
      copy: {
        kind: 'archive',
        fileName: 'ezh-period-100-1-четверть-20261204.tar.gz',
        dataSha256: sha,
      },
    });
    const html = renderJournalHtml(data, LAYOUT).html;
    expect(html).toContain(
      'архив электронного журнала «ezh-period-100-1-четверть-20261204.tar.gz», SHA-256 ' + sha,
    );
    expect(html).toContain('SHA-256 самого архива — в реестре архивов (ezh archive list)');
    expect(html).not.toContain('.sha256»');
  });
});
