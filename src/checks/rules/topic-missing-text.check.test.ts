import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, JournalBuilder, ZONE } from '../../../test/fixtures/checks/builder.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../../test/helpers/mirrors.js';
import { fillTopicNorm } from '../../mirror/migrations/0012-findings-truth.js';
import { runChecks } from '../engine.js';

/**
 * `topic-missing` on texts a browser can send but a reader cannot see: the message quotes the
 * topic without bidirectional overrides, and the judgement holds for a lesson whose normalised
 * topic column is not filled (a mirror before migration 0012, a row restored from an older
 * archive) and after the migration fills it.
 */
describe.each(ENGINES)('topic-missing: invisible and bidirectional text on %s', (engine) => {
  let m: TestMirror;
  const school = { id: '881001', timeZone: ZONE };
  const b = new JournalBuilder(school.id);
  const cls = b.klass('6Б', 6);
  const subject = b.subject('История');
  const teacher = b.teacher();
  const reversed = b.lesson(cls, subject, '2026-10-12', {
    teacherId: teacher,
    topic: '\u202eурок\u202c',
  });
  const padded = b.lesson(cls, subject, '2026-10-13', { teacherId: teacher, topic: 'тема\u200b' });
  const real = b.lesson(cls, subject, '2026-10-14', {
    teacherId: teacher,
    topic: '\u200bДревний\u00a0Египет',
  });
  const run = () =>
    runChecks(m.db, {
      school,
      asOf: at('2026-11-20T12:00:00'),
      rules: ['topic-missing'],
      persist: false,
    });

  beforeAll(async () => {
    m = await createTestMirror(engine);
    await b.write(m.db);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('quotes the topic without bidirectional overrides or invisible characters', async () => {
    const { findings } = await run();
    const message = findings.find((f) => f.lessonId === reversed)!.message;
    expect(message).toContain('тема «урок» не содержательна');
    expect(message).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
    expect(findings.find((f) => f.lessonId === padded)!.message).toContain('тема «тема»');
  });

  it('the mirror writer keeps the normalised topic', async () => {
    const rows = await m.db.query<{ id: string; topic_norm: string | null }>(
      `SELECT id, topic_norm FROM lessons WHERE school_id = ? ORDER BY id`,
      [school.id],
    );
    expect(rows.map((r) => r.topic_norm)).toEqual(['урок', 'тема', 'Древний Египет']);
  });

  it('judges lessons whose column is not filled, and migration 0012 fills it', async () => {
    await m.db.run(`UPDATE lessons SET topic_norm = NULL WHERE school_id = ?`, [school.id]);
    expect((await run()).findings.map((f) => f.lessonId).sort()).toEqual([reversed, padded].sort());
    const qr = m.dataSource.createQueryRunner();
    try {
      await fillTopicNorm(qr);
    } finally {
      await qr.release();
    }
    const rows = await m.db.query<{ id: string; topic_norm: string | null }>(
      `SELECT id, topic_norm FROM lessons WHERE school_id = ? ORDER BY id`,
      [school.id],
    );
    expect(rows.map((r) => [r.id, r.topic_norm])).toEqual([
      [reversed, 'урок'],
      [padded, 'тема'],
      [real, 'Древний Египет'],
    ]);
    expect((await run()).findings.map((f) => f.lessonId).sort()).toEqual([reversed, padded].sort());
  });
});
