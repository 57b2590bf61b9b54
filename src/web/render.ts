import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageDefinition, Role, Viewer } from './page.js';

/**
 * Pages inside the layout: the header's menu for the viewer's roles, the CSRF token every form
 * needs, and the error pages (403, 404, 500) in the same frame.
 */

const ROLE_NAMES: Record<Role, string> = {
  admin: 'администрация',
  classTeacher: 'классный руководитель',
  subjectTeacher: 'учитель-предметник',
  ict: 'инженер',
};

export interface RenderContext {
  viewer: Viewer | null;
  pages: readonly PageDefinition[];
}

type PageReply = FastifyReply & {
  page(template: string, data: object, opts?: { layout?: string }): FastifyReply;
};

export function menuFor(
  viewer: Viewer,
  pages: readonly PageDefinition[],
  currentPath: string,
): { path: string; label: string; current: boolean }[] {
  return pages
    .filter((p) => p.nav && !p.path.includes(':') && p.roles.some((r) => viewer.roles.has(r)))
    .map((p) => ({ path: p.path, label: p.nav!, current: p.path === currentPath }));
}

export function renderView(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: RenderContext,
  template: string,
  title: string,
  view: Record<string, unknown>,
): FastifyReply {
  const csrfToken = reply.generateCsrf();
  const viewer = ctx.viewer
    ? {
        displayName: ctx.viewer.displayName,
        roles: [...ctx.viewer.roles],
        roleNames: [...ctx.viewer.roles].map((r) => ROLE_NAMES[r]).join(', '),
      }
    : null;
  const path = req.url.split('?')[0] ?? '/';
  reply.type('text/html; charset=utf-8');
  return (reply as PageReply).page(
    `pages/${template}.hbs`,
    {
      ...view,
      title,
      viewer,
      csrfToken,
      nav: ctx.viewer ? menuFor(ctx.viewer, ctx.pages, path) : [],
    },
    { layout: 'layout.hbs' },
  );
}

const ERRORS: Record<number, { heading: string; text: string }> = {
  403: { heading: 'Нет доступа', text: 'Эта страница не для вашей роли.' },
  404: { heading: 'Не найдено', text: 'Такой страницы нет, или она вам недоступна.' },
  429: { heading: 'Слишком много попыток', text: 'Подождите минуту и попробуйте снова.' },
  500: { heading: 'Ошибка', text: 'Что-то пошло не так. Инженер найдёт подробности в журнале.' },
};

export function renderError(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: RenderContext,
  status: 403 | 404 | 429 | 500,
  text?: string,
): FastifyReply {
  const e = ERRORS[status]!;
  reply.code(status);
  return renderView(req, reply, ctx, 'error', e.heading, {
    heading: e.heading,
    text: text ?? e.text,
  });
}
