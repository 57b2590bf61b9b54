import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import { VERSION_COLUMNS } from './mirror-writer.js';
import { insertRows, padIds, type SqlExecutor } from './sql.js';

describe('padIds', () => {
  it('rounds the count up to a power of two with the last id', () => {
    expect(padIds([])).toEqual([]);
    expect(padIds(['a'])).toEqual(['a']);
    expect(padIds(['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'c']);
    expect(padIds(Array.from({ length: 300 }, (_, i) => i)).length).toBe(512);
  });
});

describe.each(ENGINES)('insertRows on %s', (engine) => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror(engine);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  const rows = (entity: string, n: number) =>
    Array.from({ length: n }, (_, i) => [
      entity,
      'dnevnik',
      `${i}`,
      1,
      '1',
      'insert',
      1000,
      'h',
      i % 2 ? '{"x":true}' : '{}',
      null,
    ]);
  const count = async (entity: string) =>
    Number(
      (
        await m.db.query<{ n: number }>(
          'SELECT count(*) AS n FROM record_versions WHERE entity = ?',
          [entity],
        )
      )[0]!.n,
    );
  const shape = { table: 'record_versions', columns: VERSION_COLUMNS };

  it('writes every row, with or without row-by-row execution', async () => {
    await m.db.transaction((tx) => insertRows(tx, shape, rows('a', 2500)));
    // Without `runEach`: multi-row statements, several of them for 2,500 rows of 10 columns.
    await m.db.transaction((tx) => {
      const plain: SqlExecutor = {
        dialect: tx.dialect,
        query: tx.query.bind(tx),
        run: tx.run.bind(tx),
      };
      return insertRows(plain, shape, rows('b', 2500));
    });
    expect(await count('a')).toBe(2500);
    expect(await count('b')).toBe(2500);
  });

  it('rolls back with the transaction', async () => {
    await expect(
      m.db.transaction(async (tx) => {
        await insertRows(tx, shape, rows('c', 10));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await count('c')).toBe(0);
  });
});
