/**
 * Text as a reader sees it. The platform stores what a teacher's browser sent, which can be a
 * topic made of zero-width spaces, a placeholder with an invisible character appended, or text
 * wrapped in bidirectional overrides that reorder what a report prints. Rules judge the
 * normalised text; documents print the text without the overrides.
 */

/** Format characters (zero-width spaces and joiners, soft hyphens, bidi controls, BOM) and other code points that render as nothing (Hangul fillers, variation selectors). */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
/** Bidirectional embeddings, overrides and isolates: U+202A–U+202E, U+2066–U+2069. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * What a rule judges a free text by: NFKC (full-width and compatibility forms folded, NBSP to
 * space), invisible characters removed, whitespace runs collapsed to one space, trimmed; a text
 * without a letter or digit (dashes, dots, symbols only) is empty. Kept by the mirror writer in
 * `lessons.topic_norm`; the same function judges a row whose column is not filled.
 */
export function normalizeText(text: string): string {
  const s = text.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
  return LETTER_OR_DIGIT.test(s) ? s : '';
}

/** `normalizeText` of a nullable column value. */
export function normalizeNullable(text: string | null): string | null {
  return text === null ? null : normalizeText(text);
}

/** Length in characters (code points), as SQL's `length()` counts on SQLite and PostgreSQL. */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A text to print: bidirectional overrides removed (they would reorder the line around it). */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** A text to quote in a message: nothing invisible, whitespace collapsed, trimmed. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}
