import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from '../../src/archive/create.js';
import { diffMirrorHashes, hashMirror } from '../../src/archive/hash-mirror.js';
import { listArchives } from '../../src/archive/registry.js';
import { restoreArchive } from '../../src/archive/restore.js';
import { buildArchiveFixture, OTHER_SCHOOL, SCHOOL } from '../../src/archive/testing/fixture.js';
import { fakeRenderer, testArchiveDeps } from '../../src/archive/testing/deps.js';
import { verifyArchive } from '../../src/archive/verify.js';
import { openMirror } from '../../src/mirror/data-source.js';
import { refreshPeriodTotals } from '../../src/mirror/projections/index.js';
import {
  createTestMirror,
  dropSchema,
  TEST_PG_URL,
  type Engine,
  type TestMirror,
} from '../helpers/mirrors.js';

const dir = mkdtempSync(join(tmpdir(), 'ezh-archive-rt-'));
const sources = new Map<Engine, TestMirror>();
const schemas: string[] = [];

beforeAll(async () => {
  for (const engine of ['sqlite', 'postgres'] as const) {
    const m = await createTestMirror(engine);
    await buildArchiveFixture(m.db, { marks: 400 });
    sources.set(engine, m);
  }
});

afterAll(async () => {
  for (const m of sources.values()) await m.dispose();
  for (const s of schemas) await dropSchema(s);
  rmSync(dir, { recursive: true, force: true });
});

const pgTarget = () => {
  const schema = `ezh_restore_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  schemas.push(schema);
  return { type: 'postgres' as const, url: TEST_PG_URL, schema, path: './unused.sqlite' };
};

async function hashOf(target: Parameters<typeof openMirror>[0], schoolId: string | null = null) {
  const m = await openMirror(target, { migrate: false });
  try {
    return await hashMirror(m.db, { schoolId });
  } finally {
    await m.close();
  }
}

describe.each(['sqlite', 'postgres'] as const)('archive from a %s mirror', (engine) => {
  let file: string;
  let copies: string[];

  it('writes identical 0600 archives to two destinations and registers them', async () => {
    const src = sources.get(engine)!;
    const dests = [join(dir, engine, 'disk'), join(dir, engine, 'nas')];
    const deps = testArchiveDeps(
      src,
      { destinations: dests, workDir: join(dir, 'work') },
      { renderer: fakeRenderer() },
    );
    const result = await createArchive(deps, { kind: 'period', period: '1 четверть' });
    copies = result.paths;
    file = copies[0]!;
    expect(copies).toHaveLength(2);
    for (const p of copies) {
      expect(statSync(p).mode & 0o777).toBe(0o600);
      expect(statSync(`${p}.sha256`).mode & 0o777).toBe(0o600);
    }
    const { createHash } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    const hashes = copies.map((p) => createHash('sha256').update(readFileSync(p)).digest('hex'));
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[0]).toBe(result.sha256);
    for (const d of dests) expect(readdirSync(d).filter((n) => n.endsWith('.partial'))).toEqual([]);
    expect(readdirSync(join(dir, 'work'))).toEqual([]);

    const rows = await listArchives(src.db);
    expect(rows[0]).toMatchObject({
      fileName: result.fileName,
      status: 'complete',
      sha256: result.sha256,
      kind: 'period',
      period: '1 четверть',
    });
    expect(result.documents.status).toBe('included');
    expect(result.documents.files).toContain('documents/audit.pdf');
    const marks = result.entities.find((e) => e.entity === 'marks')!;
    // 400 inserts, 38 real changes (12 of the 50 already were a 5), 2 deletions.
    expect(marks).toMatchObject({ live: 398, deleted: 2, versions: 440 });
  });

  it('verifies OK', async () => {
    const report = await verifyArchive(file);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.manifest?.snapshot.file).toBe(
      engine === 'sqlite' ? 'snapshot/mirror.sqlite' : null,
    );
  });

  it('restores into SQLite and compares equal, history included', async () => {
    const target = {
      type: 'sqlite' as const,
      path: join(dir, engine, 'restored.sqlite'),
      schema: 'public',
    };
    const result = await restoreArchive(file, target);
    expect(result.method).toBe(engine === 'sqlite' ? 'snapshot' : 'export');
    expect(statSync(target.path).mode & 0o777).toBe(0o600);
    const a = await hashMirror(sources.get(engine)!.db);
    const b = await hashOf(target);
    expect(diffMirrorHashes(a, b)).toEqual([]);
    expect(a.record_versions!.rows).toBeGreaterThan(450);
  });

  it('restores into PostgreSQL and compares equal', async () => {
    const target = pgTarget();
    const result = await restoreArchive(file, target);
    expect(result.method).toBe('export');
    const a = await hashMirror(sources.get(engine)!.db);
    const b = await hashOf(target);
    expect(diffMirrorHashes(a, b)).toEqual([]);
    // Generated keys continue after the restored ones.
    const m = await openMirror(target);
    try {
      await m.db.run(
        `INSERT INTO operator_events (at, kind, severity, message) VALUES (1, 'test', 'info', 'after restore')`,
      );
      const ids = await m.db.query<{ id: number }>(`SELECT id FROM operator_events ORDER BY id`);
      expect(new Set(ids.map((r) => r.id)).size).toBe(ids.length);
    } finally {
      await m.close();
    }
  });

  it('refuses to restore over an existing database', async () => {
    await expect(
      restoreArchive(file, {
        type: 'sqlite',
        path: join(dir, engine, 'restored.sqlite'),
        schema: 'public',
      }),
    ).rejects.toThrow(/exists/);
  });
});

describe('one-school archive', () => {
  it('carries only that school and restores equal to the school slice', async () => {
    const src = sources.get('sqlite')!;
    const deps = testArchiveDeps(src, {
      destinations: [join(dir, 'school')],
      workDir: join(dir, 'work'),
    });
    const before = await hashMirror(src.db, { schoolId: SCHOOL });
    const result = await createArchive(deps, { kind: 'regular', schoolId: SCHOOL });
    expect(result.documents.status).toBe('absent');
    const target = {
      type: 'sqlite' as const,
      path: join(dir, 'school-restored.sqlite'),
      schema: 'public',
    };
    await restoreArchive(result.paths[0]!, target);
    const restored = await hashOf(target);
    expect(diffMirrorHashes(before, restored)).toEqual([]);
    const m = await openMirror(target, { migrate: false });
    try {
      expect(await m.db.query(`SELECT id FROM schools WHERE id = ?`, [OTHER_SCHOOL])).toEqual([]);
      expect(await m.db.query(`SELECT file_name FROM archives`)).toEqual([]);
    } finally {
      await m.close();
    }
    // No renderer: the source records that the documents are missing, for the ICT engineer.
    const events = await src.db.query<{ kind: string }>(
      `SELECT kind FROM operator_events WHERE kind = 'archive_documents_missing'`,
    );
    expect(events.length).toBeGreaterThan(0);
  });

  it('restores a PostgreSQL one-school archive into SQLite equal to the slice', async () => {
    const src = sources.get('postgres')!;
    const deps = testArchiveDeps(src, {
      destinations: [join(dir, 'pg-school')],
      workDir: join(dir, 'work'),
    });
    const before = await hashMirror(src.db, { schoolId: SCHOOL });
    const result = await createArchive(deps, { kind: 'regular', schoolId: SCHOOL });
    const target = {
      type: 'sqlite' as const,
      path: join(dir, 'pg-school-restored.sqlite'),
      schema: 'public',
    };
    await restoreArchive(result.paths[0]!, target);
    expect(diffMirrorHashes(before, await hashOf(target))).toEqual([]);
    expect(existsSync(`${target.path}.partial`)).toBe(false);
  });
});

describe('an archive from an older schema', () => {
  /**
   * A mirror with its derived tables built, then made older by `olden` (as ezh left it before a
   * migration), archived and restored into PostgreSQL: the restored mirror, open.
   */
  async function restoredOlder(
    name: string,
    olden: (db: TestMirror['db']) => Promise<unknown>,
  ): Promise<Awaited<ReturnType<typeof openMirror>>> {
    const src = await createTestMirror('sqlite');
    try {
      await buildArchiveFixture(src.db, { marks: 60 });
      await refreshPeriodTotals(src.db, SCHOOL, Date.now());
      await olden(src.db);
      const deps = testArchiveDeps(src, {
        destinations: [join(dir, name)],
        workDir: join(dir, 'work'),
      });
      const result = await createArchive(deps, { kind: 'regular', schoolId: SCHOOL });
      const target = pgTarget();
      expect((await restoreArchive(result.paths[0]!, target)).method).toBe('export');
      return await openMirror(target);
    } finally {
      await src.dispose();
    }
  }

  it('restores with its derived state forgotten: the next refresh rebuilds the derived tables whole', async () => {
    // Before migration 0030: derived tables built, no per-lesson totals.
    const m = await restoredOlder('older', (db) => db.run(`DROP TABLE lesson_entry_totals`));
    try {
      expect(await m.db.query(`SELECT name FROM derived_state`)).toEqual([]);
      expect((await refreshPeriodTotals(m.db, SCHOOL, Date.now())).mode).toBe('full');
      const [lessons] = await m.db.query<{ n: unknown }>(
        `SELECT count(*) AS n FROM lessons WHERE school_id = ?`,
        [SCHOOL],
      );
      const [totals] = await m.db.query<{ n: unknown }>(
        `SELECT count(*) AS n FROM lesson_entry_totals WHERE school_id = ?`,
        [SCHOOL],
      );
      expect(Number(totals?.n)).toBe(Number(lessons?.n));
      expect(Number(lessons?.n)).toBeGreaterThan(0);
    } finally {
      await m.close();
    }
  });

  it('an archive whose derived table lacks figures added since: its derived state forgotten too', async () => {
    // Before migration 0031: per-lesson totals without the cell figures.
    const m = await restoredOlder('older-columns', async (db) => {
      for (const column of ['absent_marked', 'control_unmarked']) {
        await db.run(`DROP INDEX idx_lesson_entry_totals_${column}`);
        await db.run(`ALTER TABLE lesson_entry_totals DROP COLUMN ${column}`);
      }
    });
    try {
      // Kept, the state would have said the restored figures (all 0) were current.
      expect(await m.db.query(`SELECT name FROM derived_state`)).toEqual([]);
      expect((await refreshPeriodTotals(m.db, SCHOOL, Date.now())).mode).toBe('full');
    } finally {
      await m.close();
    }
  });
});
