/**
 * The layers of ../shared/design.md ("Layers"), checked by `npm run lint:deps` (part of `npm run
 * lint`, hence of `npm test`). A layer imports only the layers below it (same layer: allowed, as
 * long as no cycle forms):
 *
 *   doors:  cli/ jobs/ web/ demo/ metrics/   (metrics is a door: the `/metrics` server, like the CLI)
 *   core:   app/
 *   domain: sync/ checks/ analytics/ reports/ alerts/ archive/
 *   data:   mirror/ connectors/
 *   base:   config/ platform/
 *
 * The sandbox emulates the platform: it imports connector record types and platform/, nothing
 * else, and only doors start it. Tests are outside the layers (they may wire anything together).
 * .dependency-cruiser-known-violations.json lists accepted violations: it is empty, and a new
 * violation fails `npm run lint`. Never regenerate it to silence one; move the code instead.
 */
/* global module */
const DOORS = '^src/(cli|jobs|web|demo|metrics)/';
const CORE = '^src/app/';
const DOMAIN = '^src/(sync|checks|analytics|reports|alerts|archive)/';
const DATA = '^src/(mirror|connectors)/';
const BASE = '^src/(config|platform)/';
const SANDBOX = '^src/sandbox/';

const above = (...layers) => layers.join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'base-imports-upward',
      severity: 'error',
      comment: 'config/ and platform/ are the base layer: they import nothing else of ezh.',
      from: { path: BASE },
      to: { path: above(DATA, DOMAIN, CORE, DOORS, SANDBOX) },
    },
    {
      name: 'data-imports-upward',
      severity: 'error',
      comment: 'mirror/ and connectors/ import only config/ and platform/.',
      from: { path: DATA },
      to: { path: above(DOMAIN, CORE, DOORS, SANDBOX) },
    },
    {
      name: 'domain-imports-upward',
      severity: 'error',
      comment:
        'sync, checks, analytics, reports, alerts and archive never import app/ or a door (cli, jobs, web, demo, metrics).',
      from: { path: DOMAIN },
      to: { path: above(CORE, DOORS, SANDBOX) },
    },
    {
      name: 'core-imports-a-door',
      severity: 'error',
      comment: 'app/ is the composition root the doors call: it never imports a door.',
      from: { path: CORE },
      to: { path: above(DOORS, SANDBOX) },
    },
    {
      name: 'sandbox-imports-more-than-the-platform',
      severity: 'error',
      comment:
        'The sandbox is a platform emulator: it may import connector record types (src/connectors/*.ts) and platform/ only.',
      from: { path: SANDBOX },
      to: { path: '^src/', pathNot: ['^src/sandbox/', '^src/platform/', '^src/connectors/[^/]+$'] },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules import each other in a circle: cut the cycle (move the shared part down).',
      from: { path: '^src/' },
      // Cycles that run code; a cycle through type-only imports (a registry whose name type is
      // derived from its own definitions, as jobs/job-names.ts does) loads nothing in a circle.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // ezh's own modules only (node_modules resolves through a symlink outside the tree).
    includeOnly: '^src/',
    // Product code only: tests wire layers together on purpose.
    exclude: { path: ['\\.test\\.ts$', '^test/', '^dist/', '^bench/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are dependencies too (a domain module typed on a door's types is coupled to it).
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      archi: {
        collapsePattern: '^src/[^/]+',
      },
    },
  },
};
