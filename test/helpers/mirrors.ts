import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openMirror, type Mirror } from '../../src/mirror/data-source.js';

export const TEST_PG_URL = process.env.EZH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Engine = 'sqlite' | 'postgres';
/** Both engines; the unit tier (test/unit/no-services.ts) sets `EZH_TEST_ENGINES=sqlite`. */
export const ENGINES: Engine[] = (process.env.EZH_TEST_ENGINES ?? 'sqlite,postgres')
  .split(',')
  .filter((e): e is Engine => e === 'sqlite' || e === 'postgres');

export interface TestMirror extends Mirror {
  engine: Engine;
  /** Database config that opens this same mirror again (e.g. for a child process). */
  database: { type: Engine; path: string; url?: string; schema: string };
  /** Closes and removes the database (SQLite file or PostgreSQL schema). */
  dispose(): Promise<void>;
}

/** A fresh, migrated mirror: a SQLite file in a temp dir, or a PostgreSQL schema of its own. */
export async function createTestMirror(engine: Engine): Promise<TestMirror> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ezh-test-'));
    const database = {
      type: 'sqlite' as const,
      path: join(dir, 'mirror.sqlite'),
      schema: 'public',
    };
    const mirror = await openMirror(database);
    return {
      ...mirror,
      engine,
      database,
      dispose: async () => {
        await mirror.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `ezh_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const database = { type: 'postgres' as const, path: '', url: TEST_PG_URL, schema };
  const mirror = await openMirror(database);
  return {
    ...mirror,
    engine,
    database,
    dispose: async () => {
      await mirror.close();
      await dropSchema(schema);
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * The `database` section that opens the test mirror from an app's config (createAppContext's
 * overrides): the PostgreSQL one has no path, which the config's schema refuses as empty.
 */
export function appDatabase(m: TestMirror): Record<string, unknown> {
  const { type, path, url, schema } = m.database;
  return type === 'postgres' ? { type, url, schema } : { type, path, schema };
}
