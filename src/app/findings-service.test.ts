import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedSchool, NOW } from '../../test/fixtures/app/checked-school.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { UsageError } from '../platform/errors.js';
import type { AppContext } from './context.js';
import { FindingsService } from './findings-service.js';

/** `ezh findings list|ack|waive|reopen|history` over three open findings (5А: two, 6Б: one). */
describe('findings service', () => {
  let m: TestMirror;
  let app: AppContext;
  let service: FindingsService;
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    ({ app } = await checkedSchool(m));
    service = new FindingsService((await app.mirror()).db);
  });
  afterAll(async () => {
    await app?.close();
    await m?.dispose();
  });

  const refused = async (p: Promise<unknown>) => {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return err as UsageError;
  };
  const states = async () => (await service.list()).map((f) => `${f.className} ${f.state}`).sort();

  it('lists the open findings with their class, teacher and state', async () => {
    const all = await service.list();
    expect(all.map((f) => [f.rule, f.className, f.teacherName, f.state]).sort()).toEqual([
      ['topic-missing', '5А', 'Петрова Анна Ивановна', 'open'],
      ['topic-missing', '5А', 'Петрова Анна Ивановна', 'open'],
      ['topic-missing', '6Б', 'Смирнов Олег Игоревич', 'open'],
    ]);
    expect((await service.list({ teachers: ['смирнов олег игоревич'] })).length).toBe(1);
  });

  it('refuses a waiver without a reason, an action by nobody, and one that names no finding', async () => {
    const noReason = await refused(service.waive({ classes: ['5А'] }, { by: 'Завуч', at: NOW }));
    expect(noReason.problems).toEqual(['--reason: a waiver needs a reason']);
    const nobody = await refused(
      service.acknowledge({ classes: ['5А'] }, { by: '  ', reason: 'x', at: NOW }),
    );
    expect(nobody.problems).toEqual(['--by: who acts must be named']);
    const nothing = await refused(service.acknowledge({}, { by: 'Завуч', at: NOW }));
    expect(nothing.problems).toEqual(['name the findings: ids, or --class/--teacher/--rule']);
    // Nothing was recorded by the refusals.
    expect(await states()).toEqual(['5А open', '5А open', '6Б open']);
  });

  it('a short or unknown id is refused, saying why', async () => {
    const short = await refused(service.acknowledge({ ids: ['abc'] }, { by: 'Завуч', at: NOW }));
    expect(short.problems).toEqual(['abc: give at least 8 characters of the id']);
    const unknown = await refused(
      service.acknowledge({ ids: ['ffffffffffff'] }, { by: 'Завуч', at: NOW }),
    );
    expect(unknown.problems).toEqual(['ffffffffffff: no such finding']);
  });

  it('acknowledge, waive with a reason, reopen: the states change and the history keeps who and why', async () => {
    const ack = await service.acknowledge({ classes: ['5А'] }, { by: 'Завуч', at: NOW });
    expect(ack.changed.map((f) => f.state)).toEqual(['acknowledged', 'acknowledged']);
    const again = await service.acknowledge({ classes: ['5А'] }, { by: 'Завуч', at: NOW + 1 });
    expect(again.changed).toEqual([]);
    expect(again.skipped.map((s) => s.why)).toEqual([
      'already acknowledged',
      'already acknowledged',
    ]);
    const [first] = ack.changed;
    const prefix = first!.id.slice(0, 10);
    const waived = await service.waive(
      { ids: [prefix] },
      { by: 'Директор', reason: '  урок перенесён  ', at: NOW + 2 },
    );
    expect(waived.changed.map((f) => f.state)).toEqual(['waived']);
    expect(await states()).toEqual(['5А acknowledged', '5А waived', '6Б open']);
    expect((await service.list({ states: ['waived'] })).map((f) => f.id)).toEqual([first!.id]);
    await service.reopen({ ids: [first!.id] }, { by: 'Завуч', at: NOW + 3 });
    const { finding, actions } = await service.history(prefix);
    expect(finding.state).toBe('open');
    expect(actions.map((a) => [a.action, a.actor, a.reason])).toEqual([
      ['acknowledge', 'Завуч', null],
      ['waive', 'Директор', 'урок перенесён'],
      ['reopen', 'Завуч', null],
    ]);
  });
});
