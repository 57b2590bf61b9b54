import type { JournalData, JournalLayout } from '../data/journal-types.js';
import { renderDocument, type HtmlDocument } from './document.js';
import { ruDateTime } from '../format.js';
import { dataAsOfText, layoutJournal } from './journal-layout.js';

/**
 * The printed class journal as HTML: landscape A4, pages laid out by `layoutJournal`. Its pages
 * are fixed-size sheets with known numbers, so each prints its own running header and footer
 * («стр. N из M») in the page's fonts: Chromium's header/footer templates (a separate document per
 * page) cost more than the page itself on long journals. Untagged: see `HtmlDocument.tagged`. Pure.
 */
export function renderJournalHtml(data: JournalData, layout: JournalLayout): HtmlDocument {
  const pages = layoutJournal(data, layout);
  const title = `Классный журнал ${data.classTitle} класса, ${data.scopeTitle}`;
  return renderDocument({
    template: 'journal',
    styles: ['journal'],
    title,
    schoolName: data.schoolName,
    landscape: true,
    expectedPages: pages.length,
    ownRunningHeader: true,
    tagged: false,
    model: {
      pages: pages.map((page, i) => ({ ...page, no: i + 1 })),
      running: {
        school: data.schoolName,
        title,
        total: pages.length,
        // On every page (an inspector reads any sheet alone): the mirror's data instant and the print time.
        dataAsOf: dataAsOfText(data),
        printedAt: ruDateTime(data.printedAt, data.zone),
      },
    },
  });
}
