import type { ActionDefinition, PageDefinition } from '../page.js';
import { homePage } from './home.js';

/**
 * Every page and action of the site: one file each under src/web/pages/ plus one line here, in
 * the order the header's menu lists them. The server (src/web/server.ts) makes the routes.
 */
export const PAGES: readonly PageDefinition[] = [homePage];

export const ACTIONS: readonly ActionDefinition[] = [];
