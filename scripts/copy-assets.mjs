// Copies non-TypeScript assets (report templates, default rule parameters) next to the compiled code.
import { cpSync, existsSync } from 'node:fs';

const assets = [['src/reports/templates', 'dist/reports/templates']];
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
