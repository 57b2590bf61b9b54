// Copies non-TypeScript assets (report templates, default rule parameters) next to the compiled code.
import { cpSync, existsSync } from 'node:fs';

const assets = [
  ['src/reports/templates', 'dist/reports/templates'],
  ['src/web/views', 'dist/web/views'],
  ['src/web/static', 'dist/web/static'],
];
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
