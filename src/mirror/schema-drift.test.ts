import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';

describe.each(ENGINES)('schema on %s', (engine) => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror(engine);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('is built by migrations only, and the entities agree with it exactly', async () => {
    expect(m.dataSource.options.synchronize).toBe(false);
    const pending = await m.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has the school indexes of a municipality mirror on PostgreSQL only (migrations 0028, 0029)', async () => {
    const names = [
      ...['lessons', 'works', 'final_marks', 'lesson_order'].map((t) => `idx_${t}_school_id`),
      'idx_marks_school_id_twos',
      'idx_attendance_school_id_absent',
    ];
    const rows =
      engine === 'postgres'
        ? await m.db.query<{ name: string }>(
            'SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()',
          )
        : await m.db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'");
    const present = names.filter((n) => rows.some((r) => r.name === n));
    expect(present).toEqual(engine === 'postgres' ? names : []);
  });

  it('has run every migration once, and a second open changes nothing', async () => {
    expect(await m.dataSource.showMigrations()).toBe(false);
    const applied = await m.db.query<{ name: string }>('SELECT name FROM ezh_migrations');
    expect(applied.length).toBe(m.dataSource.migrations.length);
  });
});

describe('SQLite mirror file', () => {
  it('is created with mode 0600 (it holds personal data)', async () => {
    const m = await createTestMirror('sqlite');
    try {
      const { statSync } = await import('node:fs');
      expect(statSync(m.database.path).mode & 0o777).toBe(0o600);
    } finally {
      await m.dispose();
    }
  });
});
