/**
 * `npm run graph`: regenerates the folder-level import graph in docs/architecture.md from the code
 * (dependency-cruiser's mermaid output, one node per folder of src/), between the two markers.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const DOC = 'docs/architecture.md';
const START = '<!-- import-graph:start (npm run graph) -->';
const END = '<!-- import-graph:end -->';

const mermaid = execFileSync(
  'depcruise',
  [
    'src',
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    'mermaid',
    '--collapse',
    '^src/[^/]+',
  ],
  { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
).trim();

const doc = readFileSync(DOC, 'utf8');
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from < 0 || to < from) throw new Error(`${DOC}: markers ${START} … ${END} not found`);
const block = `${START}\n\n\`\`\`mermaid\n${mermaid}\n\`\`\`\n\n`;
writeFileSync(DOC, doc.slice(0, from) + block + doc.slice(to));
console.log(`${DOC}: import graph regenerated`);
