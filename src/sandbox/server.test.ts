import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxServer } from './server.js';
import { getRaw } from './test-helpers.js';

/** Served shapes against shared/reference/dnevnik-api.md, token checks and exact int64 ids. */
describe('sandbox server', () => {
  let sb: SandboxServer;
  let token: string;
  let schoolId: string;
  let groupId: string;
  const get = (path: string, t: string | undefined = token) => getRaw(sb.url, path, t);
  const json = async (path: string) => {
    const r = await get(path);
    expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(200);
    return JSON.parse(r.text) as unknown;
  };

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 1, schools: 2 });
    token = sb.schools[0]!.token;
    schoolId = sb.schools[0]!.id;
    groupId = sb.sandbox.schools[0]!.classes[1]!.id;
  });
  afterAll(() => sb.close());

  it('listens on 127.0.0.1 with a /v2/ base URL and describes each school', () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/$/);
    expect(sb.schools[0]!.finalMarkDeadlines['1 четверть']).toBe('2026-10-30');
    expect(sb.schools[1]!.timeZone).toBe('Asia/Yekaterinburg');
  });

  it('checks tokens: missing, wrong, another school', async () => {
    const missing = await get(`schools/${schoolId}`, '');
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.text)).toMatchObject({ type: 'tokenRequired' });
    const wrong = await get(`schools/${schoolId}`, 'nope');
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toMatchObject({ type: 'invalidToken' });
    const other = await get(`schools/${sb.schools[1]!.id}`);
    expect(other.status).toBe(403);
    expect(JSON.parse(other.text)).toMatchObject({ type: 'authorizationNotOwner' });
    const otherGroup = await get(`edu-groups/${sb.sandbox.schools[1]!.classes[0]!.id}/subjects`);
    expect(otherGroup.status).toBe(403);
    const unknown = await get('no/such/path');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ type: 'apiResourceUnavailable' });
  });

  it('exchanges a code or refresh token for the school token (POST authorizations)', async () => {
    const post = (body: unknown) =>
      fetch(new URL('authorizations', sb.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({
      code: sb.schools[0]!.authCode,
      client_id: 'x',
      client_secret: 'y',
      grant_type: 'AuthorizationCode',
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      accessToken: token,
      expiresIn_str: '2592000',
      refreshToken: sb.schools[0]!.refreshToken,
    });
    const bad = await post({ grant_type: 'RefreshToken', refreshToken: 'stale' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'invalid_request', error_description: '' });
  });

  it('serves school, user, groups, persons, teachers, subjects, periods and work types', async () => {
    expect(await json(`schools/${schoolId}`)).toMatchObject({
      id_str: schoolId,
      timeZone: 3,
      name: expect.stringMatching(/СОШ/),
    });
    expect(await json('users/me')).toMatchObject({
      roles: expect.arrayContaining(['EduSchoolAdministrator']),
    });
    const groups = (await json(`schools/${schoolId}/edu-groups`)) as Record<string, unknown>[];
    expect(groups.filter((g) => g.type === 'Group').map((g) => g.name)).toEqual([
      '1А',
      '2А',
      '5А',
      '10А',
    ]);
    expect(groups[1]).toMatchObject({ id_str: groupId, type: 'Group', parallel: 2, parentIds: [] });
    const withArchive = (await json(`edu-groups/${groupId}/persons?includeArchive=true`)) as Record<
      string,
      unknown
    >[];
    const current = (await json(`edu-groups/${groupId}/persons`)) as Record<string, unknown>[];
    expect(withArchive.length).toBe(current.length + 1);
    // Like the real reply (reference §7), no member carries `membershipstatus`: who has left is
    // told only by appearing with `includeArchive` and not without.
    expect(withArchive.filter((p) => 'membershipstatus' in p)).toEqual([]);
    const currentIds = new Set(current.map((p) => p.id_str));
    expect(withArchive.filter((p) => !currentIds.has(p.id_str))).toHaveLength(1);
    expect(withArchive[0]).toMatchObject({
      id_str: expect.any(String),
      userId_str: expect.any(String),
      firstName: expect.any(String),
      shortName: expect.any(String),
    });
    const teachers = (await json(`schools/${schoolId}/teachers`)) as Record<string, unknown>[];
    expect(teachers[0]).toMatchObject({
      Id: expect.any(Number),
      IdStr: expect.any(String),
      FirstName: expect.any(String),
      LastName: expect.any(String),
      Subjects: expect.any(String),
    });
    expect(await json(`edu-groups/${groupId}/classteacher`)).toMatchObject({
      id_str: expect.any(String),
      lastName: expect.any(String),
    });
    const subjects = (await json(`schools/${schoolId}/subjects`)) as Record<string, unknown>[];
    expect(subjects.map((s) => s.name)).toContain('Русский язык');
    expect(((await json(`edu-groups/${groupId}/subjects`)) as unknown[]).length).toBe(9);
    const periods = (await json(`edu-groups/${groupId}/reporting-periods`)) as Record<
      string,
      unknown
    >[];
    expect(periods[0]).toMatchObject({
      number: 0,
      type: 'Quarter',
      name: '1 четверть',
      start: '2026-09-01T00:00:00',
      finish: '2026-10-25T00:00:00',
      year: 2026,
    });
    const tenth = sb.sandbox.schools[0]!.classes[3]!.id;
    expect(
      ((await json(`edu-groups/${tenth}/reporting-periods`)) as Record<string, unknown>[]).map(
        (p) => p.type,
      ),
    ).toEqual(['HalfYear', 'HalfYear']);
    const types = (await json(`work-types/${schoolId}`)) as Record<string, unknown>[];
    expect(types).toContainEqual(
      expect.objectContaining({
        kind: 'LessonControlWork',
        title: 'Контрольная работа',
        weight: 1.5,
      }),
    );
  });

  it('serves lessons with topics and embedded works, with big ids as exact digits', async () => {
    const raw = await get(`edu-groups/${groupId}/lessons/2026-10-05/2026-10-09`);
    expect(raw.type).toContain('application/json');
    const lessons = JSON.parse(raw.text.replace(/:(\d{16,})/g, ':"$1"')) as Record<
      string,
      unknown
    >[];
    expect(lessons.length).toBeGreaterThan(15);
    const l = lessons[0]!;
    expect(l.id).toBe(l.id_str);
    expect(raw.text).toContain(`"id":${String(l.id_str)},"id_str":"${String(l.id_str)}"`);
    expect(BigInt(String(l.id_str)) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(l).toMatchObject({
      date: expect.stringMatching(/^2026-10-0\dT\d\d:\d\d:\d\d$/),
      group_str: groupId,
      subject: expect.objectContaining({ name: expect.any(String) }),
    });
    const works = lessons.flatMap((x) => x.works as Record<string, unknown>[]);
    const hw = works.find((w) => w.type === 'Homework')!;
    expect(hw).toMatchObject({
      text: expect.any(String),
      targetDate: expect.any(String),
      lesson_str: expect.any(String),
      eduGroup_str: groupId,
    });
    // Date-times in the path work like dates.
    const same = await get(`edu-groups/${groupId}/lessons/2026-10-05T00:00:00/2026-10-09T23:59:59`);
    expect(same.text).toBe(raw.text);
    expect((await get(`edu-groups/${groupId}/lessons/yesterday/today`)).status).toBe(400);
  });

  it('serves marks, attendance and final marks in both shapes', async () => {
    const marksRaw = await get(`edu-groups/${groupId}/marks/2026-09-01/2026-10-25`);
    const marks = JSON.parse(marksRaw.text.replace(/:(\d{16,})/g, ':"$1"')) as Record<
      string,
      unknown
    >[];
    expect(marks.length).toBeGreaterThan(300);
    expect(marks[0]).toMatchObject({
      type: 'mark5',
      value: expect.stringMatching(/^[1-5]$/),
      person_str: expect.any(String),
      work_str: expect.any(String),
      lesson_str: expect.any(String),
      use_avg_calc: expect.any(Boolean),
    });
    expect(marks.some((m) => m.use_avg_calc === false)).toBe(true);
    const subject = sb.sandbox.schools[0]!.classes[1]!.subjects[0]!.subjectId;
    const entries = (await json(
      `lesson-log-entries/group/${groupId}?subject=${subject}&from=2026-10-05&to=2026-10-09`,
    )) as Record<string, unknown>[];
    expect(entries[0]).toMatchObject({
      person_str: expect.any(String),
      lesson_str: expect.any(String),
      status: expect.stringMatching(/^(Attend|Absent|Ill|Late|Pass)$/),
      createdDate: expect.stringMatching(/^2026-10-0\d/),
    });
    const finals = (await json(`edu-groups/${groupId}/final-marks`)) as Record<string, unknown>[];
    expect(finals[0]).toMatchObject({
      person_str: expect.any(String),
      group_str: groupId,
      reportingPeriod_str: expect.any(String),
    });
    const per = finals[0]!['per-subject-final-marks'] as Record<string, unknown>[];
    expect(per[0]).toMatchObject({
      subject_str: expect.any(String),
      'final-mark': expect.objectContaining({ value: expect.any(String), lesson: null }),
    });

    const m = await startSandbox({ size: 'small', seed: 1, finalMarksShape: 'm' });
    try {
      const r = await getRaw(m.url, `edu-groups/${groupId}/final-marks`, m.schools[0]!.token);
      const body = JSON.parse(r.text.replace(/:(\d{16,})/g, ':"$1"')) as Record<
        string,
        Record<string, unknown>[]
      >;
      expect(Object.keys(body).sort()).toEqual(['marks', 'subjects', 'workTypes', 'works']);
      expect(body.works![0]).toMatchObject({
        type: 'PeriodMark',
        periodNumber: 0,
        periodType: 'Quarter',
      });
      expect(body.workTypes![0]).toMatchObject({
        kind: 'PeriodMark',
        isFinal: true,
        abbreviation: expect.any(String),
      });
    } finally {
      await m.close();
    }
  });

  it('answers a repeated request with the same bytes and counts requests', async () => {
    const before = sb.requestCount();
    const a = await get(`edu-groups/${groupId}/marks/2026-09-01/2026-11-08`);
    const b = await get(`edu-groups/${groupId}/marks/2026-09-01/2026-11-08`);
    expect(b.text).toBe(a.text);
    expect(sb.requestCount()).toBe(before + 2);
  });
});
