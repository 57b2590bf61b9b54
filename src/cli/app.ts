import type { Command } from 'commander';
import { createAppContext, type AppContext } from '../app/context.js';
import { checkSubscribedDocuments } from '../app/documents-service.js';
import type { LogLevel } from '../platform/logger.js';

/**
 * The CLI's door onto the composition root (src/app/context.ts): a command gets the AppContext built
 * from its global options. Commands are thin: parse options, call the service, print.
 */
export type App = AppContext;

export interface GlobalOptions {
  config?: string;
  logLevel?: LogLevel;
}

export function createApp(global: GlobalOptions, overrides?: Record<string, unknown>): App {
  const app = createAppContext({ configFile: global.config, logLevel: global.logLevel, overrides });
  // What the config (the base layer) cannot check itself: names of the document registry.
  checkSubscribedDocuments(app.config, app.configSource);
  return app;
}

/** Global options of the root program, read from inside a sub-command's action. */
export function globalOptions(cmd: Command): GlobalOptions {
  let root = cmd;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}
