import Handlebars from 'handlebars';
import { DateTime } from 'luxon';

/**
 * The site's own Handlebars (not the documents' instance: their helpers stay theirs) with the few
 * helpers the pages share. Every helper returns plain text that Handlebars escapes; none returns
 * a SafeString, so nothing from the platform can become markup.
 */
export function siteHandlebars(zone: string): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('dateTime', (ms: unknown) =>
    typeof ms === 'number' ? DateTime.fromMillis(ms, { zone }).toFormat('dd.MM.yyyy HH:mm') : '',
  );
  hb.registerHelper('date', (ms: unknown) =>
    typeof ms === 'number' ? DateTime.fromMillis(ms, { zone }).toFormat('dd.MM.yyyy') : '',
  );
  hb.registerHelper('duration', (ms: unknown) =>
    typeof ms === 'number' ? formatDuration(ms) : '',
  );
  hb.registerHelper('number', (n: unknown) =>
    typeof n === 'number' ? n.toLocaleString('ru-RU') : '',
  );
  return hb;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} мс`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} с`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} мин ${Math.round(s - m * 60)} с`;
  return `${Math.floor(m / 60)} ч ${m % 60} мин`;
}
