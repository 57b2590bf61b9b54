// A CommonJS module whose exports Node cannot name statically: the default import is the object.
import mimeFuncs from 'nodemailer/lib/mime-funcs/index.js';

/**
 * A header text as RFC 2047 encoded words, one word of the text per encoded word (the space that
 * follows a word travels inside it, since decoders drop the whitespace between encoded words).
 * The encoding itself is the mail library's (`encodeWord`, base64); only the cut points are ours:
 * the library cuts at a byte count, in the middle of a word («Константинополь|ская»), which some
 * mail clients show with a gap. Printable ASCII text is returned as is.
 */
export function encodeHeaderWords(text: string): string | null {
  if (/^[\x20-\x7e]*$/.test(text)) return null;
  const words = text.match(/\S+\s*/g) ?? [];
  // Folded between encoded words: the folding whitespace is not part of the decoded text.
  return words.map((w) => mimeFuncs.encodeWord(w, 'B')).join('\r\n ');
}
