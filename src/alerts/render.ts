import Handlebars from 'handlebars';
import type { DigestView } from './digest-model.js';
import { DIGEST_HTML, DIGEST_TEXT, DOCUMENT_TEXT } from './templates.js';

/** An isolated Handlebars instance: no helper or partial registered elsewhere can leak in. */
const hbs = Handlebars.create();
const html = hbs.compile<DigestView>(DIGEST_HTML, { strict: true });
const text = hbs.compile<DigestView>(DIGEST_TEXT, { strict: true, noEscape: true });

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
}

export function renderDigest(view: DigestView): RenderedDigest {
  return { subject: view.subject, html: html(view), text: text(view).replace(/\n{3,}/g, '\n\n') };
}

export interface DocumentLetterView {
  greeting: string;
  intro: string;
  files: string[];
  footer: string;
}

const documentText = hbs.compile<DocumentLetterView>(DOCUMENT_TEXT, {
  strict: true,
  noEscape: true,
});

export function renderDocumentLetter(view: DocumentLetterView): string {
  return documentText(view);
}
