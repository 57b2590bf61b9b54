import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FindingsService } from '../../src/app/findings-service.js';
import { ProgressService } from '../../src/app/progress-service.js';
import { startWebHarness, type WebClient, type WebHarness } from './harness.js';

/**
 * The access matrix of the administration's and teachers' pages, over HTTP against a real server
 * on the sandbox school: every route × every role (administration, ICT engineer, the class teacher
 * of class A, a subject teacher, the class teacher of class B) with objects of class B and of
 * another teacher. Allowed: 200 (or a redirect into the site); refused: 403 for a role that has
 * no business on the page, 404 for an object that is not the viewer's. And no body a class
 * teacher of A or the ICT engineer receives names a student of class B (nor the reverse).
 */

type Who = 'admin' | 'ict' | 'ctA' | 'subject' | 'ctB';
const WHO: Who[] = ['admin', 'ict', 'ctA', 'subject', 'ctB'];

interface World {
  classA: string;
  classB: string;
  findingB: string;
  teacher: string;
  studentB: string;
  studentsA: string[];
  studentsB: string[];
  /** Whether each class teacher also teaches (then /my/findings is theirs too). */
  teaches: Record<'ctA' | 'ctB', boolean>;
}

describe('web pages: the access matrix', () => {
  let h: WebHarness;
  let w: World;
  const clients = {} as Record<Who, WebClient>;

  beforeAll(async () => {
    h = await startWebHarness({ checks: true });
    const db = h.mirror.db;
    const ctA = h.accounts.classTeacher.personId!;
    const assignments = await db.query<{ class_id: string; teacher_id: string }>(
      `SELECT class_id, teacher_id FROM teacher_assignments
        WHERE role = 'class_teacher' AND deleted_at IS NULL ORDER BY class_id, teacher_id`,
    );
    const classA = assignments.find((a) => a.teacher_id === ctA)!.class_id;
    const open = await new FindingsService(db).list({});
    const progress = new ProgressService(h.app);
    const names = async (classId: string) =>
      (await progress.classSheet({ class: classId, asOf: h.app.clock.now() })).students.map(
        (s) => s.name,
      );
    // Class B: another teacher's class with findings and students.
    const other = assignments.find(
      (a) =>
        a.teacher_id !== ctA && a.class_id !== classA && open.some((f) => f.classId === a.class_id),
    )!;
    const studentsA = await names(classA);
    const studentsB = (await names(other.class_id)).filter((n) => !studentsA.includes(n));
    await h.addUser('classteacher-b', { personId: other.teacher_id });
    for (const who of WHO) {
      clients[who] =
        who === 'ctA'
          ? await h.loginAs('classTeacher')
          : who === 'subject'
            ? await h.loginAs('subjectTeacher')
            : who === 'ctB'
              ? await loginB(h)
              : await h.loginAs(who);
    }
    const teachesText = async (c: WebClient) =>
      (await c.get('/')).text.includes('учитель-предметник');
    w = {
      classA,
      classB: other.class_id,
      findingB: open.find((f) => f.classId === other.class_id)!.id,
      teacher: h.accounts.subjectTeacher.personId!,
      studentB: '',
      studentsA,
      studentsB,
      teaches: { ctA: await teachesText(clients.ctA), ctB: await teachesText(clients.ctB) },
    };
    const sheet = await progress.classSheet({ class: other.class_id, asOf: h.app.clock.now() });
    w.studentB = sheet.students[0]!.id;
    expect(studentsB.length).toBeGreaterThan(0);
  }, 240_000);
  afterAll(async () => {
    await h?.close();
  });

  /** What each viewer must get: 'ok' (200 or a redirect inside the site), 403 or 404. */
  function expected(who: Who, route: string): 'ok' | 403 | 404 {
    const admin = who === 'admin';
    const ct = who === 'ctA' || who === 'ctB';
    const subject = who === 'subject' || (ct && w.teaches[who]);
    if (route === '/') return 'ok';
    if (route.startsWith('/my/')) return subject ? 'ok' : 403;
    if (route === '/classes') return admin || ct ? 'ok' : 403;
    if (route.startsWith('/classes/')) {
      if (!admin && !ct) return 403;
      if (admin) return 'ok';
      const own = who === 'ctA' ? w.classA : w.classB;
      return route.startsWith(`/classes/${own}`) ? 'ok' : 404;
    }
    if (route.startsWith('/renders/')) return admin || ct ? 404 : 403;
    return admin ? 'ok' : 403;
  }

  const routes = (): string[] => [
    '/',
    '/admin',
    '/admin/findings',
    `/admin/findings?class=${w.classB}`,
    `/admin/findings?teacher=${w.teacher}&state=all`,
    `/findings/${w.findingB}`,
    `/teachers/${w.teacher}`,
    '/documents',
    '/admin/audit-notes',
    '/classes',
    `/classes/${w.classA}`,
    `/classes/${w.classB}`,
    '/my/findings',
    '/renders/00000000-0000-0000-0000-000000000000',
    '/renders/00000000-0000-0000-0000-000000000000/file',
  ];

  it('every page × every role: allowed 200, refused 403/404, no other class’s student named', async () => {
    const problems: string[] = [];
    for (const who of WHO) {
      for (const route of routes()) {
        const r = await clients[who].get(route);
        const want = expected(who, route);
        const ok =
          r.status === 200 ||
          (r.status === 302 && r.location?.startsWith('/') && !r.location.startsWith('/login'));
        if (want === 'ok' ? !ok : r.status !== want) {
          problems.push(
            `${who} GET ${route}: ${r.status}${r.location ? ` → ${r.location}` : ''}, want ${want}`,
          );
        }
        const foreign =
          who === 'ctA' || who === 'ict'
            ? w.studentsB
            : who === 'ctB'
              ? w.studentsA.filter((n) => !w.studentsB.includes(n))
              : [];
        for (const name of foreign) {
          if (r.text.includes(name)) {
            problems.push(`${who} GET ${route}: names a student of the other class`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // The name check can see a name: the pages that may show class B's students do show them.
    expect((await clients.admin.get(`/classes/${w.classB}`)).text).toContain(w.studentsB[0]);
    expect((await clients.ctB.get(`/classes/${w.classB}`)).text).toContain(w.studentsB[0]);
    expect((await clients.ctA.get(`/classes/${w.classA}`)).text).toContain(w.studentsA[0]);
  }, 120_000);

  it('actions on another class or another role’s objects are refused', async () => {
    const cases: [Who, string, 403 | 404][] = [
      ['ctA', `/classes/${w.classB}/weekly`, 404],
      ['ctA', `/classes/${w.classB}/students/${w.studentB}/extract`, 404],
      // A class B student through class A's page: still not A's.
      ['ctA', `/classes/${w.classA}/students/${w.studentB}/extract`, 404],
      ['ctA', `/findings/${w.findingB}/waive`, 403],
      ['subject', `/findings/${w.findingB}/acknowledge`, 403],
      ['ict', `/findings/${w.findingB}/reopen`, 403],
      ['ict', `/classes/${w.classB}/weekly`, 403],
      ['subject', '/documents/audit', 403],
      ['admin', '/documents/no-such-document', 404],
    ];
    const problems: string[] = [];
    for (const [who, path, want] of cases) {
      const r = await clients[who].post(path, { reason: 'проверка' });
      if (r.status !== want) problems.push(`${who} POST ${path}: ${r.status}, want ${want}`);
    }
    expect(problems).toEqual([]);
    // Nothing was done to the finding.
    const [f] = await new FindingsService(h.mirror.db).list({ ids: [w.findingB] });
    expect(f!.state).toBe('open');
  });

  it('a document form its own rule refuses (a journal with neither a period nor the year) comes back with the reason', async () => {
    const r = await clients.admin.post(
      '/documents/journal',
      { class: w.classA },
      { from: '/documents' },
    );
    expect(r.status, r.text).toBe(200);
    expect(r.text).toContain('«Классный журнал» не заказан: неверные параметры');
    expect(r.text).toContain('give exactly one of --period NAME or --year');
  });

  it('the administration acknowledges a finding; the server records who and from where', async () => {
    const r = await clients.admin.post(
      `/findings/${w.findingB}/acknowledge`,
      {},
      { from: `/findings/${w.findingB}` },
    );
    expect([r.status, r.location]).toEqual([302, `/findings/${w.findingB}`]);
    const page = await clients.admin.get(`/findings/${w.findingB}`);
    expect(page.text).toContain('принято к сведению');
    expect(page.text).toContain('Тест admin');
    const audit = await h.mirror.db.query<{ kind: string; actor: string; ip: string }>(
      `SELECT kind, actor, ip FROM web_audit WHERE kind = 'finding_action'`,
    );
    expect(audit).toEqual([expect.objectContaining({ actor: 'local:admin', ip: '127.0.0.1' })]);
    // Waiving without a reason: refused, the page says why, the state is unchanged.
    const refused = await clients.admin.post(
      `/findings/${w.findingB}/waive`,
      { reason: ' ' },
      { from: `/findings/${w.findingB}` },
    );
    expect(refused.text).toContain('укажите причину');
    const [f] = await new FindingsService(h.mirror.db).list({ ids: [w.findingB] });
    expect(f!.state).toBe('acknowledged');
  });
});

async function loginB(h: WebHarness): Promise<WebClient> {
  const c = h.client();
  const r = await c.login('classteacher-b', 'correct horse battery staple');
  if (r.status !== 302) throw new Error(`login of class B's teacher failed: ${r.status}`);
  return c;
}
