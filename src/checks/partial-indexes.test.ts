import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import type { SqliteDb } from '../mirror/sql.js';
import {
  ATTENDANCE_ABSENCES,
  MARKS_ENTERED_BY_LESSON,
  MARKS_TWOS,
  MARKS_WITH_ENTRY_TIME,
} from '../mirror/tables.js';
import { isAbsent } from './common.js';
import { RULES } from './registry.js';
import type { RuleContextBase } from './rule.js';

/**
 * SQLite uses a partial index only when the query's own text implies the index's condition.
 * These guard the pairs that must stay in step: without them a check run scans every mark or
 * every attendance entry again (bench/checks), with the same findings, so no rule test notices.
 */
describe('partial indexes the checks rely on (SQLite query plans)', () => {
  let m: TestMirror;
  const plan = (query: string) =>
    (m.db as SqliteDb).raw
      .prepare(`EXPLAIN QUERY PLAN ${query}`)
      .all('880077', 0)
      .map((row) => (row as { detail: string }).detail)
      .join('\n');

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('exist as the table definitions declare them (TypeORM compares names and columns, not WHERE)', () => {
    for (const def of [
      MARKS_WITH_ENTRY_TIME,
      ATTENDANCE_ABSENCES,
      MARKS_ENTERED_BY_LESSON,
      MARKS_TWOS,
    ]) {
      const row = (m.db as SqliteDb).raw
        .prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`)
        .get(def.name) as { sql: string } | undefined;
      expect(row?.sql).toContain(`WHERE ${def.where}`);
    }
  });

  it('the entry-time probe reads the marks that carry an entry moment, not every mark', () => {
    expect(
      plan(
        `SELECT 1 AS x FROM marks WHERE school_id = ? AND entered_at IS NOT NULL AND first_seen_at <= ? LIMIT 1`,
      ),
    ).toContain(`USING INDEX ${MARKS_WITH_ENTRY_TIME.name}`);
  });

  it("mark-late reads a lesson's marks entered late through their index; a probe by lesson and student keeps its own", () => {
    const late = `SELECT m.id FROM lessons l CROSS JOIN marks m WHERE l.school_id = ? AND m.source = l.source
      AND m.lesson_id = l.id AND m.entered_at > l.day_start_at + ? AND m.entered_at IS NOT NULL`;
    expect(plan(late)).toContain(`USING INDEX ${MARKS_ENTERED_BY_LESSON.name}`);
    const probe = `SELECT a.id FROM attendance a JOIN marks m ON m.source = a.source AND m.lesson_id = a.lesson_id
      AND m.student_id = a.student_id WHERE a.school_id = ? AND m.first_seen_at <= ?`;
    expect(plan(probe)).toContain('USING INDEX idx_marks_lesson_id_student_id');
  });

  it('absences are read through their own index, not by scanning attendance', () => {
    const query = `SELECT a.id FROM attendance a WHERE a.school_id = ? AND a.first_seen_at >= ? AND ${isAbsent('a').text}`;
    expect(plan(query)).toContain(`USING INDEX ${ATTENDANCE_ABSENCES.name}`);
  });

  /** The plan of a rule's own query, as the rule builds it for a run. */
  async function rulePlan(
    ruleId: string,
    periodTotals: boolean,
    params: Record<string, unknown> = {},
  ): Promise<string> {
    const rule = RULES.get(ruleId)!;
    let captured: { text: string; params: readonly unknown[] } | undefined;
    const db = {
      dialect: 'sqlite' as const,
      // The rule's last query is planned; a control work type is there to find (control-work-unmarked
      // reads the types first and asks nothing more without one).
      query: async (text: string, params: readonly unknown[] = []) => {
        captured = { text, params };
        return /SELECT DISTINCT id FROM work_types/.test(text) ? [{ id: '70103' }] : [];
      },
    };
    const ctx = {
      db,
      schoolId: '880077',
      zone: 'Europe/Moscow',
      asOf: Date.now(),
      classIds: null,
      exemptions: [],
      finalMarkDeadlines: {},
      periodTotals,
    } as unknown as RuleContextBase;
    await rule.evaluate(ctx, params);
    return (m.db as SqliteDb).raw
      .prepare(`EXPLAIN QUERY PLAN ${captured!.text}`)
      .all(...captured!.params)
      .map((row) => (row as { detail: string }).detail)
      .join('\n');
  }

  it('two-not-corrected starts from the «2»s alone, both with the lesson order and without', async () => {
    const derived = await rulePlan('two-not-corrected', true);
    expect(derived).toContain(`SCAN m USING COVERING INDEX ${MARKS_TWOS.name}`);
    expect(derived).toContain('USING COVERING INDEX idx_lesson_order_series');
    expect(derived).not.toMatch(/SCAN (l|lessons)\b/);
    const numbered = await rulePlan('two-not-corrected', false);
    expect(numbered).toContain(`USING COVERING INDEX ${MARKS_TWOS.name}`);
    expect(numbered).not.toMatch(/SCAN m$/m);
  });

  it('mark-late decides from the index of marks entered by lesson, without looking up work types', async () => {
    for (const derived of [true, false]) {
      const late = await rulePlan('mark-late', derived);
      expect(late).toContain(`SEARCH m USING INDEX ${MARKS_ENTERED_BY_LESSON.name}`);
      expect(late).not.toContain('work_types');
    }
    expect(MARKS_ENTERED_BY_LESSON.columns).toEqual(
      expect.arrayContaining(['work_type_id', 'source', 'deleted_at']),
    );
  });

  it('the per-lesson and per-student probes are answered from their indexes', async () => {
    // (Told that the platform keeps every student's entry: else its first query asks that.)
    expect(await rulePlan('attendance-not-kept', false, { storage: 'everyStudent' })).toContain(
      'USING COVERING INDEX idx_attendance_lesson_id_source_first_seen_at_deleted_at',
    );
    for (const derived of [true, false]) {
      const unmarked = await rulePlan('control-work-unmarked', derived);
      expect(unmarked).toContain(
        'USING COVERING INDEX idx_marks_work_id_student_id_source_first_seen_at_deleted_at',
      );
      expect(unmarked).toContain(`SEARCH a USING INDEX ${ATTENDANCE_ABSENCES.name}`);
      expect(unmarked).toContain('AUTOMATIC COVERING INDEX');
    }
    // Without the per-lesson totals, every absence, from their own index.
    expect(await rulePlan('absent-with-mark', false)).toContain(
      `SCAN a USING INDEX ${ATTENDANCE_ABSENCES.name}`,
    );
  });

  it('with the derived tables, the cell rules read the lessons that can be findings first', async () => {
    const starts = {
      'absent-with-mark':
        'SEARCH t USING INDEX idx_lesson_entry_totals_absent_marked (school_id=? AND absent_marked>?)',
      'control-work-unmarked':
        'SEARCH t USING INDEX idx_lesson_entry_totals_control_unmarked (school_id=? AND control_unmarked>?)',
    };
    for (const [rule, start] of Object.entries(starts)) {
      const plan = (await rulePlan(rule, true)).split('\n');
      // Before any of the lessons' rows (attendance, works) is read, the totals' index.
      const first = plan.findIndex((line) => /^(SEARCH|SCAN) (a|w)\b/.test(line));
      expect(plan.indexOf(start)).toBeGreaterThanOrEqual(0);
      expect(plan.indexOf(start)).toBeLessThan(first);
      expect(plan.join('\n')).not.toMatch(/SCAN (a|w|attendance|works)\b/);
    }
  });

  it('with the derived tables, the lesson rules start from the lessons that can be findings', async () => {
    const starts = {
      'attendance-not-kept':
        'SEARCH t USING INDEX idx_lesson_entry_totals_attendance (school_id=? AND attendance=?)',
      'homework-missing':
        'SEARCH t USING INDEX idx_lesson_entry_totals_homework_len (school_id=? AND homework_len<?)',
      // Marks of control works and the others, each by its own index.
      'mark-late': [
        'MULTI-INDEX OR',
        'INDEX 1',
        'SEARCH t USING INDEX idx_lesson_entry_totals_entry_lag (school_id=? AND entry_lag>?)',
        'INDEX 2',
        'SEARCH t USING INDEX idx_lesson_entry_totals_control_entry_lag (school_id=? AND control_entry_lag>?)',
      ].join('\n'),
    };
    for (const [rule, start] of Object.entries(starts)) {
      const plan = await rulePlan(
        rule,
        true,
        rule === 'attendance-not-kept' ? { storage: 'everyStudent' } : {},
      );
      // The totals come first (the first lines of the plan), and no lesson is scanned.
      expect(plan.slice(0, start.length)).toBe(start);
      expect(plan).not.toMatch(/SCAN (l|lessons)\b/);
    }
  });
});
