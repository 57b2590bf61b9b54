import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedSchool, NOW, SCHOOL } from '../../test/fixtures/app/checked-school.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { UsageError } from '../platform/errors.js';
import { alertsAsOf, sendSubscribedReports } from './alerts-service.js';
import { createAppContext, type AppContext } from './context.js';

/** `ezh alerts reports` (dry runs: nothing rendered, sent or recorded) and its `--as-of`. */
describe('alerts service', () => {
  let m: TestMirror;
  let checked: AppContext;
  let app: AppContext;
  const ZAVUCH = 'zavuch@school.example.ru';
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    ({ app: checked } = await checkedSchool(m));
    app = createAppContext({
      overrides: {
        log: { level: 'silent' },
        database: m.database,
        schools: [{ id: SCHOOL }],
        alerts: {
          subscriptions: [
            { document: 'activity', to: [ZAVUCH] },
            { document: 'audit', to: [ZAVUCH] },
          ],
        },
      },
      clock: { now: () => NOW },
    });
  });
  afterAll(async () => {
    await app?.close();
    await checked?.close();
    await m?.dispose();
  });

  it("reads a local --as-of in the school's zone; none: the clock's now", async () => {
    expect(await alertsAsOf(app, '2026-10-21T13:00', undefined)).toBe(
      Date.parse('2026-10-21T10:00:00Z'),
    );
    expect(await alertsAsOf(app, undefined, undefined)).toBe(NOW);
  });

  it('sends any subscribed document of the registry: the activity report of the month before', async () => {
    const [result] = await sendSubscribedReports(app, {
      kind: 'activity',
      asOf: NOW,
      dryRun: true,
    });
    expect(result).toMatchObject({ schoolId: SCHOOL, document: 'activity', edition: '2026-09' });
    expect(result!.deliveries.map((d) => [d.recipient.email, d.status])).toEqual([
      [ZAVUCH, 'dry-run'],
    ]);
  });

  it("the audit note keeps the day's edition it always had", async () => {
    const [result] = await sendSubscribedReports(app, { kind: 'audit', asOf: NOW, dryRun: true });
    expect(result).toMatchObject({ document: 'audit', edition: '2026-10-21' });
    expect(result!.deliveries.map((d) => d.status)).toEqual(['dry-run']);
  });

  it('a document nobody can subscribe to is exit 2, listing those one can', async () => {
    const err = await sendSubscribedReports(app, { kind: 'journal', asOf: NOW }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).problems.join('\n')).toMatch(/expected one of .*activity/);
  });
});
