import Handlebars from 'handlebars';
import { documentFontCss, headerFontCss } from './fonts.js';
import { stylesheet, template, type DocumentTemplate } from './templates.js';

/**
 * A rendered document: the HTML body plus what the printer needs (orientation, margins, header
 * and footer templates). Pure apart from reading the project's own templates and fonts once.
 */
export interface HtmlDocument {
  html: string;
  title: string;
  landscape: boolean;
  /** Chromium header/footer templates; null when the document prints its own running header (journal). */
  headerTemplate: string | null;
  footerTemplate: string | null;
  margin: { top: string; bottom: string; left: string; right: string };
  /** Pages the layout promises (journal), for checks; null when the flow decides. */
  expectedPages: number | null;
  /**
   * A tagged (structured, accessible) PDF. Chromium builds the structure tree from the whole
   * accessibility tree, which more than doubles the printing time of long tables and makes the
   * file ~3.5× bigger: the journal, printed to be bound, goes without.
   */
  tagged: boolean;
}

export interface DocumentSpec {
  template: DocumentTemplate;
  /** Extra stylesheets of `templates/styles/` after `base`. */
  styles: string[];
  title: string;
  schoolName: string;
  landscape: boolean;
  expectedPages?: number | null;
  /** The document prints its own running header and footer on fixed-size pages. */
  ownRunningHeader?: boolean;
  /** A tagged PDF (default true). */
  tagged?: boolean;
  /** On every page's footer (Chromium's footer template): when the data were taken and printed. */
  footerNote?: string;
  model: Record<string, unknown>;
}

const esc = (s: string): string => Handlebars.escapeExpression(s);

/** Header and footer are separate documents: inline styles, an explicit font size, embedded font. */
export function headerFooter(
  schoolName: string,
  title: string,
  /** After «ezh: распечатка электронного журнала» on every page: «Данные на …, напечатано …». */
  footerNote?: string,
): { headerTemplate: string; footerTemplate: string } {
  const base = `font-family:'PT Sans',sans-serif;font-size:7pt;color:#444;width:100%;margin:0 10mm;display:flex;justify-content:space-between;`;
  const style = `<style>${headerFontCss()}</style>`;
  return {
    headerTemplate: `${style}<div style="${base}"><span>${esc(schoolName)}</span><span>${esc(title)}</span></div>`,
    footerTemplate:
      `${style}<div style="${base}"><span>ezh: распечатка электронного журнала${footerNote ? ` · ${esc(footerNote)}` : ''}</span>` +
      `<span>стр. <span class="pageNumber"></span> из <span class="totalPages"></span></span></div>`,
  };
}

export function renderDocument(spec: DocumentSpec): HtmlDocument {
  const css = ['base', ...spec.styles].map(stylesheet).join('\n');
  const html = template(spec.template)({
    ...spec.model,
    doc: { title: spec.title, fontCss: documentFontCss(), css },
  });
  const own = spec.ownRunningHeader ?? false;
  return {
    html,
    title: spec.title,
    landscape: spec.landscape,
    ...(own
      ? { headerTemplate: null, footerTemplate: null }
      : headerFooter(spec.schoolName, spec.title, spec.footerNote)),
    margin: own
      ? { top: '8mm', bottom: '8mm', left: '10mm', right: '10mm' }
      : { top: '12mm', bottom: '11mm', left: '10mm', right: '10mm' },
    expectedPages: spec.expectedPages ?? null,
    tagged: spec.tagged ?? true,
  };
}
