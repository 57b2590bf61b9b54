import { describe, expect, it } from 'vitest';
import { alertsSection } from './alerts.js';

describe('alerts config', () => {
  it('has working defaults', () => {
    const a = alertsSection([]).parse(undefined);
    expect(a).toMatchObject({
      enabled: false,
      channels: ['smtp'],
      schedule: '0 13 * * 1-5',
      reminderDays: 3,
      editingPeriodDays: 7,
    });
  });

  it('lists everything an enabled channel lacks', () => {
    const r = alertsSection([]).safeParse({
      enabled: true,
      channels: ['smtp', 'webhook'],
      recipients: { '1': 'not-an-address' },
    });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(
      ['recipients.1', 'smtp.from', 'smtp.host', 'webhook.secret', 'webhook.url'].sort(),
    );
  });
});
