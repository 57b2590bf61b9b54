import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/**
 * The document templates (`src/reports/templates/*.hbs`, partials in `partials/`, styles in
 * `styles/`), compiled once per process in a private Handlebars instance. Templates are
 * logic-free: view-models arrive formatted, and `{{ }}` escapes every value.
 */

export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

export type DocumentTemplate =
  'journal' | 'audit' | 'performance' | 'activity' | 'weekly' | 'student';

let instance: typeof Handlebars | undefined;
const compiled = new Map<string, Handlebars.TemplateDelegate>();
const styles = new Map<string, string>();

function handlebars(): typeof Handlebars {
  if (instance) return instance;
  const hb = Handlebars.create();
  const partialsDir = `${TEMPLATES_DIR}partials/`;
  for (const file of readdirSync(partialsDir)) {
    if (!file.endsWith('.hbs')) continue;
    hb.registerPartial(file.slice(0, -4), readFileSync(`${partialsDir}${file}`, 'utf8'));
  }
  instance = hb;
  return hb;
}

export function template(name: DocumentTemplate): Handlebars.TemplateDelegate {
  let t = compiled.get(name);
  if (!t) {
    t = handlebars().compile(readFileSync(`${TEMPLATES_DIR}${name}.hbs`, 'utf8'));
    compiled.set(name, t);
  }
  return t;
}

/** A stylesheet of `templates/styles/` (the project's own CSS, never data). */
export function stylesheet(name: string): string {
  let css = styles.get(name);
  if (css === undefined) {
    css = readFileSync(`${TEMPLATES_DIR}styles/${name}.css`, 'utf8');
    styles.set(name, css);
  }
  return css;
}
