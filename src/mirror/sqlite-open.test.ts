import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMirror } from './data-source.js';
import { openSqlite } from './sqlite-open.js';

/** Every SQLite connection of ezh gets its pragmas in one place: the mirror's, a rule worker's, an archive's. */
describe('opening SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ezh-sqlite-open-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the mirror writes in WAL; a reader beside it waits for locks and refuses to write', async () => {
    const path = join(dir, 'mirror.sqlite');
    const mirror = await openMirror({
      type: 'sqlite',
      path,
      url: undefined,
      schema: 'public',
    } as never);
    try {
      const raw = (mirror.db as unknown as { raw: import('better-sqlite3').Database }).raw;
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(raw.pragma('busy_timeout', { simple: true })).toBe(10000);

      const reader = openSqlite(path, 'reader', { fileMustExist: true });
      try {
        expect(reader.pragma('busy_timeout', { simple: true })).toBe(10000);
        expect(reader.prepare('SELECT count(*) AS n FROM sync_runs').get()).toEqual({ n: 0 });
        expect(() => reader.exec(`DELETE FROM sync_runs`)).toThrow(/readonly|query_only/i);
      } finally {
        reader.close();
      }
    } finally {
      await mirror.close();
    }
  });

  it('an archive snapshot file keeps its own journal mode, and a missing file is an error when asked', () => {
    const path = join(dir, 'snapshot.sqlite');
    const file = openSqlite(path, 'file');
    try {
      expect(file.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(file.pragma('busy_timeout', { simple: true })).toBe(10000);
    } finally {
      file.close();
    }
    expect(() =>
      openSqlite(join(dir, 'missing.sqlite'), 'file', { fileMustExist: true }),
    ).toThrow();
  });
});
