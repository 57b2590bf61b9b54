import { describe, expect, it } from 'vitest';
import { fetchWindowScope } from './window-scope.js';
import { WindowState } from './window-state.js';
import { FetchSink } from '../fetch-sink.js';
import type { DnevnikClient } from '../client.js';

// Class A and class B share lesson L1 (a subgroup whose parentIds name both classes: reference
// §7, "edu-groups/{g}/lessons returns the lessons of the class's subgroups too").
const LESSONS: Record<string, string[]> = { A: ['101', '102'], B: ['101', '103'] };
const ENTRIES: Record<string, { lesson_str: string; person_str: string; status: string }[]> = {
  '101': [{ lesson_str: '101', person_str: '501', status: 'Absent' }],
  '102': [{ lesson_str: '102', person_str: '501', status: 'Ill' }],
  '103': [{ lesson_str: '103', person_str: '502', status: 'Late' }],
};

function fakeClient(): DnevnikClient {
  return {
    get: async (
      path: string,
      opts: { query?: Record<string, string | readonly string[]> } = {},
    ) => {
      const m = /^edu-groups\/(\w+)\/lessons\//.exec(path);
      if (m) {
        return LESSONS[m[1]!]!.map((id) => ({
          id_str: id,
          date: '2026-11-02T00:00:00',
          subjectId: '7',
          subject: { id_str: '7' },
        }));
      }
      if (path === 'lesson-log-entries') {
        const ids = [...new Set([opts.query!.lessons!].flat())];
        return ids.flatMap((id) => ENTRIES[id] ?? []);
      }
      throw new Error(`unexpected ${path}`);
    },
  } as unknown as DnevnikClient;
}

const scope = (classId: string) => ({
  schoolId: 'S',
  classId,
  from: '2026-11-02',
  to: '2026-11-08',
  entryZone: 'UTC',
});

describe('attendance packed across classes: a lesson both classes list', () => {
  it("keeps the shared lesson's entries in the caller's own (complete) fetch", async () => {
    const client = fakeClient();
    const state = new WindowState();
    for (const c of ['A', 'B']) {
      await fetchWindowScope(
        client,
        scope(c),
        new Set(['lessons', 'works']),
        new FetchSink(),
        state,
      );
    }
    const sinkA = new FetchSink();
    const a = await fetchWindowScope(client, scope('A'), new Set(['attendance']), sinkA, state);
    const sinkB = new FetchSink();
    const b = await fetchWindowScope(client, scope('B'), new Set(['attendance']), sinkB, state);
    expect(sinkA.quarantined).toEqual([]);
    expect(sinkA.complete).toBe(true);
    // What A's own call returns when nothing rides along (the old behaviour):
    expect(a.attendance!.map((x) => x.lessonId).sort()).toEqual(['101', '102']);
    expect(b.attendance!.map((x) => x.lessonId).sort()).toEqual(['101', '103']);
  });
});
