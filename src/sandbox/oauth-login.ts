import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { PersonModel, SchoolModel } from './model.js';

/**
 * The platform's login page for OAuth2's code flow (reference §1: `login.dnevnik.ru/oauth2?
 * response_type=code&client_id&scope&redirect_uri&state`), so that «Войти через Дневник.ру» can
 * be tried end to end: `GET /oauth2` shows the sandbox's people (each school's administrator and
 * teachers) to log in as, or takes `person_id` directly (tests); it redirects to `redirect_uri`
 * with `code` and the `state` it was given. `POST authorizations` trades such a code, once and
 * for the same `client_id`, for a token of that person, whose `users/me` is that person.
 *
 * Assumed where the reference is silent: the code comes back as the `code` query parameter (as
 * in OAuth2); any client id and secret are accepted (the sandbox has no application registry),
 * but a code is bound to the client that asked for it (another → 403 `invalid_client`, as the
 * reference's bad client); a code lives 10 minutes; a person's token carries the scope asked for
 * and reaches `users/me` only (any other resource: 403 `authorizationOutOfScope`). The implicit
 * flow (`response_type=token`) is not modelled (400).
 */

export interface PersonLogin {
  school: SchoolModel;
  person: PersonModel;
  /** Teachers get `EduStaff` only; the administrator is the school's admin user. */
  teacher: boolean;
}

interface IssuedCode extends PersonLogin {
  clientId: string;
  scope: string;
  expiresAt: number;
}

const CODE_TTL_MS = 10 * 60_000;

export class SandboxOAuth {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, PersonLogin & { scope: string }>();

  constructor(private readonly schools: readonly SchoolModel[]) {}

  /** The person a login token belongs to (undefined: not a login token). */
  personOf(token: string): (PersonLogin & { scope: string }) | undefined {
    return this.tokens.get(token);
  }

  private find(personId: string): PersonLogin | undefined {
    for (const school of this.schools) {
      if (school.admin.id === personId) return { school, person: school.admin, teacher: false };
      const t = school.teachers.find((p) => p.id === personId);
      if (t) return { school, person: t, teacher: true };
    }
    return undefined;
  }

  /** `GET /oauth2`: the login page, or (with `person_id`) the redirect back with a code. */
  authorizePage(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const clientId = q.get('client_id');
    const redirectUri = q.get('redirect_uri');
    if (q.get('response_type') !== 'code' || !clientId || !redirectUri || !isHttp(redirectUri)) {
      return html(res, 400, page('Ошибка', '<p>Неверный запрос авторизации.</p>'));
    }
    const personId = q.get('person_id');
    if (personId === null) return html(res, 200, this.loginForm(q));
    const who = this.find(personId);
    if (!who) return html(res, 404, page('Ошибка', '<p>Нет такого пользователя.</p>'));
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, {
      ...who,
      clientId,
      scope: q.get('scope') ?? 'CommonInfo',
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    res.writeHead(302, { Location: back.toString(), 'Cache-Control': 'no-store' });
    res.end();
  }

  /**
   * `POST authorizations` with a code of this page: the person's token, in the reply shape of the
   * reference (accessToken, expiresIn, refreshToken, scope, user). Undefined: not such a code.
   */
  exchange(body: Record<string, unknown>): { status: number; body: unknown } | undefined {
    const code = typeof body.code === 'string' ? body.code : null;
    const issued = code ? this.codes.get(code) : undefined;
    if (!code || !issued) return undefined;
    this.codes.delete(code);
    if (
      issued.clientId !== body.client_id ||
      !body.client_secret ||
      Date.now() > issued.expiresAt
    ) {
      return { status: 403, body: { type: 'invalid_client', description: 'Invalid client' } };
    }
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, { ...issued });
    return {
      status: 200,
      body: {
        accessToken: token,
        expiresIn: 2_592_000,
        expiresIn_str: '2592000',
        refreshToken: randomBytes(16).toString('hex'),
        scope: issued.scope,
        user: Number(issued.person.userId),
        user_str: issued.person.userId,
      },
    };
  }

  private loginForm(q: URLSearchParams): string {
    const hidden = ['response_type', 'client_id', 'scope', 'redirect_uri', 'state']
      .filter((k) => q.get(k) !== null)
      .map((k) => `<input type="hidden" name="${k}" value="${esc(q.get(k)!)}">`)
      .join('');
    const options = this.schools
      .map((s) => {
        const people = [
          { p: s.admin, role: 'администратор' },
          ...s.teachers.map((p) => ({ p, role: 'учитель' })),
        ];
        return `<optgroup label="${esc(s.name)}">${people
          .map(
            ({ p, role }) =>
              `<option value="${esc(p.id)}">${esc(`${p.lastName} ${p.firstName} ${p.middleName}`)} (${role})</option>`,
          )
          .join('')}</optgroup>`;
      })
      .join('');
    return page(
      'Вход — песочница Дневник.ру',
      `<p>Песочница платформы: выберите, кем войти.</p>
<form method="get" action="/oauth2">${hidden}
<select name="person_id" size="12" required>${options}</select>
<p><button type="submit">Войти</button></p></form>`,
    );
  }
}

function isHttp(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

function html(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
