import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The project's fonts (PT Sans, PT Serif from @fontsource), embedded as base64 `@font-face`
 * rules so that no document depends on fonts of the system or on file access from the page.
 * Read once per process.
 */

const require = createRequire(import.meta.url);

interface Face {
  family: 'PT Sans' | 'PT Serif';
  pkg: 'pt-sans' | 'pt-serif';
  weight: 400 | 700;
  style: 'normal' | 'italic';
}

// Unicode ranges of the fontsource subsets (as in their CSS).
const SUBSETS = {
  cyrillic: 'U+0301,U+0400-045F,U+0490-0491,U+04B0-04B1,U+2116',
  latin:
    'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD',
} as const;

// Only the faces the documents use (no italic anywhere): the renderer loads every declared face.
const DOCUMENT_FACES: Face[] = [
  { family: 'PT Sans', pkg: 'pt-sans', weight: 400, style: 'normal' },
  { family: 'PT Sans', pkg: 'pt-sans', weight: 700, style: 'normal' },
  { family: 'PT Serif', pkg: 'pt-serif', weight: 400, style: 'normal' },
  { family: 'PT Serif', pkg: 'pt-serif', weight: 700, style: 'normal' },
];

const cache = new Map<string, string>();

function fontFile(face: Face, subset: keyof typeof SUBSETS): string {
  return require.resolve(
    `@fontsource/${face.pkg}/files/${face.pkg}-${subset}-${face.weight}-${face.style}.woff2`,
  );
}

function faceCss(face: Face): string {
  return (Object.keys(SUBSETS) as (keyof typeof SUBSETS)[])
    .map((subset) => {
      const data = readFileSync(fontFile(face, subset)).toString('base64');
      return (
        `@font-face{font-family:'${face.family}';font-style:${face.style};font-weight:${face.weight};` +
        `font-display:block;src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${SUBSETS[subset]};}`
      );
    })
    .join('\n');
}

function cached(key: string, build: () => string): string {
  let css = cache.get(key);
  if (css === undefined) {
    css = build();
    cache.set(key, css);
  }
  return css;
}

/** `@font-face` rules for document bodies. */
export function documentFontCss(): string {
  return cached('document', () => DOCUMENT_FACES.map(faceCss).join('\n'));
}

/** `@font-face` rules for header and footer templates (separate documents: regular PT Sans only). */
export function headerFontCss(): string {
  return cached('header', () => faceCss(DOCUMENT_FACES[0]!));
}
