/**
 * One-off measurement behind the driver choice (issue 2): the mirror's own upsert path
 * (`upsertRecords`, hashing + history) on better-sqlite3 and on node-sqlite3, same rows, same
 * schema, same run. ezh ships better-sqlite3 only, so sqlite3 is loaded from a scratch install:
 *
 *   mkdir /tmp/sqlite3-compare && cd /tmp/sqlite3-compare && npm init -y && npm i sqlite3@6.0.1
 *   SQLITE3_DIR=/tmp/sqlite3-compare node --import tsx bench/drivers/compare-sqlite-drivers.ts
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMirror } from '../../src/mirror/data-source.js';
import { upsertRecords, type WriteContext } from '../../src/mirror/mirror-writer.js';
import type { SqlDb, SqlExecutor } from '../../src/mirror/sql.js';
import { syntheticMarks } from '../lib/marks.js';
import { round } from '../lib/measure.js';
import { writeResult } from '../lib/results.js';

interface Sqlite3Db {
  all(sql: string, params: unknown[], cb: (err: Error | null, rows: unknown[]) => void): void;
  run(
    sql: string,
    params: unknown[],
    cb: (this: { changes: number }, err: Error | null) => void,
  ): void;
  exec(sql: string, cb: (err: Error | null) => void): void;
  close(cb: (err: Error | null) => void): void;
}

const require = createRequire(
  join(process.env.SQLITE3_DIR ?? '/tmp/sqlite3-compare', 'package.json'),
);
const sqlite3 = require('sqlite3') as {
  Database: new (file: string, cb: (err: Error | null) => void) => Sqlite3Db;
};

class Sqlite3SqlDb implements SqlDb {
  readonly dialect = 'sqlite' as const;
  constructor(private readonly db: Sqlite3Db) {}
  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return new Promise((res, rej) =>
      this.db.all(sql, bind(params), (err, rows) => (err ? rej(err) : res(rows as T[]))),
    );
  }
  run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    return new Promise((res, rej) =>
      this.db.run(sql, bind(params), function (err) {
        if (err) rej(err);
        else res({ changes: this.changes });
      }),
    );
  }
  private exec(sql: string): Promise<void> {
    return new Promise((res, rej) => this.db.exec(sql, (err) => (err ? rej(err) : res())));
  }
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    await this.exec('BEGIN IMMEDIATE');
    try {
      const out = await fn(this);
      await this.exec('COMMIT');
      return out;
    } catch (err) {
      await this.exec('ROLLBACK');
      throw err;
    }
  }
}

function bind(params: readonly unknown[]): unknown[] {
  return params.map((v) => (v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v));
}

const ctx: WriteContext = {
  source: 'dnevnik',
  schoolId: '1',
  zone: 'Europe/Moscow',
  observedAt: 1,
  syncRunId: 'cmp',
};
const N = Number(process.env.N ?? 100_000);
const marks = syntheticMarks(N);
const dir = mkdtempSync(join(tmpdir(), 'ezh-drivers-'));

async function timeUpsert(db: SqlDb): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < marks.length; i += 10_000) {
    const part = marks.slice(i, i + 10_000);
    await db.transaction((tx) => upsertRecords(tx, 'marks', part, ctx));
  }
  return performance.now() - t;
}

try {
  // An empty, migrated schema, copied for each driver.
  const template = await openMirror({
    type: 'sqlite',
    path: join(dir, 'template.sqlite'),
    schema: 'public',
  });
  await template.close();
  const results: Record<string, number[]> = { 'better-sqlite3': [], sqlite3: [] };
  for (let round = 0; round < 2; round++) {
    copyFileSync(join(dir, 'template.sqlite'), join(dir, `b${round}.sqlite`));
    const b = await openMirror({
      type: 'sqlite',
      path: join(dir, `b${round}.sqlite`),
      schema: 'public',
    });
    results['better-sqlite3']!.push(await timeUpsert(b.db));
    await b.close();

    copyFileSync(join(dir, 'template.sqlite'), join(dir, `s${round}.sqlite`));
    const raw = await new Promise<Sqlite3Db>((res, rej) => {
      const db: Sqlite3Db = new sqlite3.Database(join(dir, `s${round}.sqlite`), (err) =>
        err ? rej(err) : res(db),
      );
    });
    await new Promise<void>((res, rej) =>
      raw.exec(
        'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;',
        (e) => (e ? rej(e) : res()),
      ),
    );
    results.sqlite3!.push(await timeUpsert(new Sqlite3SqlDb(raw)));
    await new Promise<void>((res) => raw.close(() => res()));
  }
  for (const [driver, times] of Object.entries(results)) {
    const best = Math.min(...times);
    process.stdout.write(
      `${driver}: ${N} marks upserted with history, best of ${times.length}: ${best.toFixed(0)} ms (${Math.round(N / (best / 1000))} rows/s)\n`,
    );
  }
  const ratio = Math.min(...results.sqlite3!) / Math.min(...results['better-sqlite3']!);
  process.stdout.write(
    `better-sqlite3 is ${ratio.toFixed(2)}x as fast as sqlite3 on the mirror's upsert path\n`,
  );
  const rate = (times: number[]) => round(N / (Math.min(...times) / 1000), 0);
  writeResult({
    name: 'sqlite-drivers',
    description: `the driver choice: ${N} marks through upsertRecords (hashing + history) on each SQLite driver, same schema, same run (one-off; ezh ships better-sqlite3 only)`,
    figures: [
      { name: 'better-sqlite3', value: rate(results['better-sqlite3']!), unit: 'marks/s' },
      { name: 'sqlite3 (node-sqlite3 6.0.1)', value: rate(results.sqlite3!), unit: 'marks/s' },
      { name: 'better-sqlite3 / sqlite3', value: round(ratio, 2), unit: 'ratio' },
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
