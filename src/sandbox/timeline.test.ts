import { describe, expect, it } from 'vitest';
import { DAY, HOUR, dateOf, localDayOf } from './local-time.js';
import { Sandbox } from './sandbox.js';
import { startSandbox } from './server.js';
import { getRaw } from './test-helpers.js';
import { viewAt } from './rows.js';

describe('sandbox timeline', () => {
  it('adds a school day of lessons, works, marks and attendance when the clock moves', () => {
    const sb = new Sandbox({ size: 'small', seed: 1 });
    const before = sb.counts();
    sb.advance(DAY); // Tuesday 07:00: Monday's lessons, marks and attendance are in
    const after = sb.counts();
    for (const s of ['lessons', 'works', 'marks', 'attendance'] as const) {
      expect(after[s], s).toBeGreaterThan(before[s]);
    }
    expect(after.classes).toBe(before.classes);
    expect(() => sb.advanceTo(sb.now() - 1)).toThrow();
  });

  it('edits and deletes marks and fills topics late, as dated events', () => {
    const sb = new Sandbox({ size: 'small', seed: 1 });
    const j = sb.journal(sb.schools[0]!.classes[2]!.id);
    const edited = j.marks.find((m) => m.edits && m.edits.length > 0)!;
    const editAt = edited.edits![0]!.at;
    expect(viewAt(edited, editAt - 1)!.value).not.toBe(viewAt(edited, editAt)!.value);
    const deleted = j.marks.find((m) => m.deletedAt !== null)!;
    expect(viewAt(deleted, deleted.deletedAt! - 1)).not.toBeNull();
    expect(viewAt(deleted, deleted.deletedAt!)).toBeNull();
    const late = j.lessons.find((l) => l.topic === null && l.edits && l.edits.length > 0)!;
    expect(viewAt(late, late.appearAt)!.topic).toBeNull();
    expect(viewAt(late, late.edits![0]!.at)!.topic).toMatch(/.{4,}/);
  });

  it('shows an edit over HTTP only after the clock passes it; content is stable otherwise', async () => {
    const sb = await startSandbox({ size: 'small', seed: 1 });
    try {
      const cls = sb.sandbox.schools[0]!.classes[1]!;
      const j = sb.sandbox.journal(cls.id);
      const offset = sb.sandbox.schools[0]!.offsetHours;
      const edited = j.marks.find((m) => m.edits?.length && m.appearAt > sb.now())!;
      const day = dateOf(edited.day);
      const path = `edu-groups/${cls.id}/marks/${day}/${day}`;
      const token = sb.schools[0]!.token;
      sb.advanceTo(edited.edits![0]!.at - HOUR);
      const a = await getRaw(sb.url, path, token);
      const b = await getRaw(sb.url, path, token);
      expect(b.text).toBe(a.text);
      expect(a.text).toContain(`"id_str":"${edited.id}","type":"mark5","value":"${edited.value}"`);
      sb.advanceTo(edited.edits![0]!.at);
      const c = await getRaw(sb.url, path, token);
      expect(c.text).toContain(
        `"id_str":"${edited.id}","type":"mark5","value":"${edited.edits![0]!.patch.value}"`,
      );
      expect(localDayOf(edited.edits![0]!.at, offset)).toBeGreaterThan(edited.day);
    } finally {
      await sb.close();
    }
  });

  it('drops half of a class’s marks on demand (mass-deletion guard) and keeps other classes', () => {
    const sb = new Sandbox({ size: 'small', seed: 1, cacheClasses: 1 });
    const [, c2, c3] = sb.schools[0]!.classes;
    const before = sb.counts().marks;
    const otherBefore = sb.journal(c3!.id).marks.filter((m) => viewAt(m, sb.now())).length;
    const dropped = sb.dropMarks(c2!.id, 0.5);
    expect(dropped).toBeGreaterThan(100);
    expect(sb.counts().marks).toBe(before - dropped);
    expect(sb.journal(c3!.id).marks.filter((m) => viewAt(m, sb.now())).length).toBe(otherBefore);
  });
});
