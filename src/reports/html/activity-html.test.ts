import { describe, expect, it } from 'vitest';
import type { ActivityData } from '../data/activity.js';
import { renderActivityHtml, sizeClass } from './activity-html.js';

/** A large school's month: five-digit counts in day cells, days off, the first sync's load. */
export function bigMonth(): ActivityData {
  return {
    school: {
      id: '1',
      name: 'Школа № 1',
      zone: 'Europe/Moscow',
      director: null,
      deputyDirector: 'Смирнова Е. В.',
    },
    month: '2026-11',
    daysInMonth: 30,
    teachers: [
      {
        id: 't1',
        name: 'Константинопольская Александра Владимировна',
        days: { 2: { attendance: 12345 }, 3: { marks: 1234, topics: 5 } },
        backfill: { marks: 54321 },
      },
      { id: 't2', name: 'Ли Ян', days: { 2: { marks: 3 } }, backfill: {} },
    ],
    dayKinds: { 1: 'weekend', 4: 'holiday', 7: 'weekend', 8: 'weekend' },
    backfillAt: Date.UTC(2026, 10, 1, 9, 0),
    dataAsOf: Date.UTC(2026, 10, 30, 18, 0),
  };
}

describe('activity HTML', () => {
  it('long numbers get a smaller font, never a clipped cell', () => {
    expect([sizeClass(7), sizeClass(1234), sizeClass(12345)]).toEqual(['c', 'c d4', 'c d5']);
    const html = renderActivityHtml(bigMonth()).html;
    expect(html).toContain('<td class="c d5">12348</td>');
    expect(html).toContain('<td class="c d4">1239</td>');
  });

  it('days off shaded down the column; the load of the first sync apart; «Данные на»', () => {
    const html = renderActivityHtml(bigMonth()).html;
    expect(html).toContain('<th class="day off weekend">1</th>');
    expect(html).toContain('<th class="day off holiday">4</th>');
    expect(html).toContain('Загружено первой синхронизацией (01.11.2026 12:00)');
    expect(html).toMatch(
      /Константинопольская Александра Владимировна<\/td><td class="num">54321<\/td>/,
    );
    expect(html).toContain('Данные на:</td><td>30.11.2026 21:00');
  });
});
