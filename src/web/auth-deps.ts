import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import type { WebConfig } from '../config/sections/web.js';
import type { Viewer } from './page.js';
import type { RenderContext } from './render.js';

/** What the login routes (form and OAuth) get from the server. */
export interface AuthDeps {
  app: AppContext;
  web: WebConfig;
  now: () => number;
  viewerOf(req: FastifyRequest): Promise<Viewer | null>;
  ctx(viewer: Viewer | null): RenderContext;
}
