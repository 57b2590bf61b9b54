import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxServer } from './server.js';
import { getRaw } from './test-helpers.js';

type R = Record<string, unknown>;

/**
 * Subgroups as the platform serves them (reference §7): `edu-groups` lists them as `Subgroup`
 * with `parentIds`; the class's lessons include theirs, each naming the subgroup in `group`; a
 * subgroup's persons are its members.
 */
describe('sandbox subgroups', () => {
  let sb: SandboxServer;
  const json = async (path: string) => {
    const r = await getRaw(sb.url, path, sb.schools[0]!.token);
    expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(200);
    return JSON.parse(r.text) as unknown;
  };

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 1 });
  });
  afterAll(() => sb.close());

  it('lists split subjects (English, informatics) as subgroups of their class from grade 5', async () => {
    const groups = (await json(`schools/${sb.schools[0]!.id}/edu-groups`)) as R[];
    const byId = new Map(groups.map((g) => [g.id_str as string, g]));
    const subs = groups.filter((g) => g.type === 'Subgroup');
    const label = (g: R) =>
      `${byId.get((g.parentIds_str as string[])[0]!)!.name as string} / ${g.name as string}`;
    expect(subs.map(label)).toEqual([
      '5А / Английский язык, гр. 1',
      '5А / Английский язык, гр. 2',
      '10А / Английский язык, гр. 1',
      '10А / Английский язык, гр. 2',
      '10А / Информатика, гр. 1',
      '10А / Информатика, гр. 2',
    ]);
    expect(subs[0]).toMatchObject({ parallel: 5, parentIds: [expect.any(Number)] });
  });

  it('returns the subgroups’ lessons with the class’s, naming the subgroup; members split the class', async () => {
    const cls = sb.sandbox.schools[0]!.classes.find((c) => c.name === '5А')!;
    const [g1, g2] = cls.groups;
    const lessons = (await json(`edu-groups/${cls.id}/lessons/2026-09-07/2026-09-13`)) as R[];
    const english = lessons.filter((l) => (l.subject as R).name === 'Английский язык');
    expect(english.length).toBeGreaterThan(0);
    expect(new Set(english.map((l) => l.group_str))).toEqual(new Set([g1!.id, g2!.id]));
    expect(lessons.filter((l) => l.group_str === cls.id).length).toBe(
      lessons.length - english.length,
    );
    const own = (await json(`edu-groups/${g1!.id}/lessons/2026-09-07/2026-09-13`)) as R[];
    expect(own.map((l) => l.id_str)).toEqual(
      english.filter((l) => l.group_str === g1!.id).map((l) => l.id_str),
    );

    const members = async (id: string) =>
      ((await json(`edu-groups/${id}/persons?includeArchive=true`)) as R[]).map(
        (p) => p.id_str as string,
      );
    const all = await members(cls.id);
    const first = await members(g1!.id);
    const second = await members(g2!.id);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect([...first, ...second].sort()).toEqual([...all].sort());
  });
});
