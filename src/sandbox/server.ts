import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../platform/clock.js';
import { faultFor, writeFault, type FaultOptions } from './faults.js';
import { stringifyExact } from './json.js';
import type { FindingKey, PlantedViolation, SchoolModel } from './model.js';
import { SandboxOAuth } from './oauth-login.js';
import { ApiError, handleGet } from './routes.js';
import { userShape } from './shapes.js';
import { Sandbox, type AnswerKey, type AnswerKeyOptions, type SandboxOptions } from './sandbox.js';
import { TokenLimits, type TokenLimitOptions, type TokenRequest } from './token-limits.js';
import type { StreamName } from '../connectors/records.js';

/**
 * The sandbox platform over HTTP: a local emulator of the Dnevnik.ru v2 API (127.0.0.1 only).
 *
 *   const sb = await startSandbox({ size: 'small', seed: 1, port: 0, faults: { rate: 0.1, seed: 7 } });
 *   sb.url            // 'http://127.0.0.1:PORT/v2/'
 *   sb.schools        // [{ id, token, timeZone, offsetHours, finalMarkDeadlines, name }]
 *   sb.clock / now()  // the sandbox clock (starts at T0), for ezh to run on
 *   advanceTo(ms) / advance(ms)       // the timeline: lessons, marks, edits, deletions appear
 *   answerKey(asOf?, { schoolId? })   // what docs/rules.md must find
 *   counts(schoolId?) // live records per stream; dropMarks(classId, share); fixViolation(finding);
 *   enterMark(lessonId, studentId, value) // a teacher sets a mark now
 *   requestCount(); close()
 *
 * Auth: `Access-Token` header (or `access_token` query). Missing → 401 `tokenRequired`, unknown →
 * 401 `invalidToken`, another school's resource → 403 `authorizationNotOwner`. Unknown path →
 * 404 `apiResourceUnavailable`. `POST authorizations` exchanges a school's `authCode` or
 * `refreshToken` for its token. `GET /oauth2` is the platform's login page (`oauthUrl`): a person
 * logs in and comes back with a code whose token's `users/me` is that person (oauth-login.ts).
 */

export interface StartSandboxOptions extends SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  faults?: FaultOptions;
  /** The platform's per-token rate limit, enforced (429 over it); default none. */
  tokenLimit?: TokenLimitOptions;
  /** `jt` (default): `[{person, reportingPeriod, per-subject-final-marks}]`; `m`: `{marks, works, subjects, workTypes}`. */
  finalMarksShape?: 'jt' | 'm';
}

export interface SandboxSchoolInfo {
  id: string;
  name: string;
  token: string;
  authCode: string;
  refreshToken: string;
  /** IANA zone; the platform itself only sends the integer `timeZone` offset. */
  timeZone: string;
  offsetHours: number;
  finalMarkDeadlines: Record<string, string>;
}

export interface SandboxServer {
  url: string;
  /** The login page of OAuth's code flow (the platform's `login.dnevnik.ru/oauth2`). */
  oauthUrl: string;
  tokens: string[];
  schools: SandboxSchoolInfo[];
  sandbox: Sandbox;
  clock: Clock;
  now(): number;
  advanceTo(instant: number): void;
  advance(ms: number): void;
  answerKey(asOf?: number, options?: AnswerKeyOptions): AnswerKey;
  counts(schoolId?: string): Record<StreamName, number>;
  dropMarks(classId: string, share: number): number;
  fixViolation(finding: FindingKey): void;
  enterMark(lessonId: string, studentId: string, value: string): string;
  planted(schoolId?: string): PlantedViolation[];
  requestCount(): number;
  /** Every authenticated request of `token` (arrival, refused or not): the rate it really got. */
  tokenRequests(token: string): TokenRequest[];
  /** Refuses `token` with 429 for the next `ms` ("its limit is hit"), asking for `retryAfterS`. */
  refuseToken(token: string, ms: number, retryAfterS?: number): void;
  /** Requests refused by `tokenLimit`. */
  refusedCount(): number;
  close(): Promise<void>;
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<SandboxServer> {
  const sandbox = new Sandbox(options);
  const byToken = new Map(sandbox.schools.map((s) => [s.token, s]));
  const oauth = new SandboxOAuth(sandbox.schools);
  const held = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const limits = new TokenLimits(options.tokenLimit);
  let requests = 0;

  const server = createServer((req, res) => {
    const n = ++requests;
    void handle(req, res, n).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { type: 'apiServerError', description: String(err) });
    });
  });

  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function handle(req: IncomingMessage, res: ServerResponse, n: number): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/oauth2' && req.method === 'GET') return oauth.authorizePage(url, res);
    const m = /^\/v2(?:\.0)?\/(.*?)\/?$/.exec(url.pathname);
    if (!m) {
      return send(res, 404, {
        type: 'apiResourceUnavailable',
        description: `Resource ${url.pathname} is not available`,
      });
    }
    const path = m[1]!;
    if (req.method === 'POST' && path === 'authorizations') return authorize(req, res);
    const token = req.headers['access-token'] ?? url.searchParams.get('access_token');
    if (!token) {
      return send(res, 401, {
        type: 'tokenRequired',
        description: 'You must supply valid token to access method',
      });
    }
    const school = byToken.get(String(token));
    const person = school ? undefined : oauth.personOf(String(token));
    if (person) {
      if (req.method === 'GET' && path === 'users/me') {
        return send(res, 200, userShape(person.person, person.school, person.teacher));
      }
      return send(res, 403, {
        type: 'authorizationOutOfScope',
        description: 'The token has no rights on this resource',
      });
    }
    if (!school) {
      return send(res, 401, {
        type: 'invalidToken',
        description: 'The token is invalid or inactive',
      });
    }
    if (req.method !== 'GET') {
      return send(res, 405, {
        type: 'apiMethodNotSupported',
        description: `${req.method} is not supported`,
      });
    }
    const retryAfter = limits.admit(String(token));
    if (retryAfter !== null) {
      res.writeHead(429, {
        'Content-Type': 'application/json; charset=utf-8',
        'Retry-After': String(retryAfter),
      });
      res.end(
        JSON.stringify({
          type: 'apiRequestLimit',
          description: 'Превышен лимит запросов для данного токена',
        }),
      );
      return;
    }
    const fault = faultFor(options.faults, n);
    if (fault === 'timeout') {
      held.add(req.socket);
      await later(options.faults?.holdMs ?? 30_000);
      held.delete(req.socket);
      req.socket.destroy();
      return;
    }
    if (fault === 'slow') await later(options.faults?.slowMs ?? 300);
    else if (fault) return writeFault(res, fault, n);
    try {
      send(
        res,
        200,
        handleGet(
          {
            sandbox,
            school,
            query: url.searchParams,
            finalMarksShape: options.finalMarksShape ?? 'jt',
          },
          path,
        ),
      );
    } catch (err) {
      if (err instanceof ApiError) {
        return send(res, err.status, { type: err.type, description: err.description });
      }
      throw err;
    }
  }

  async function authorize(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return send(res, 400, { type: 'invalidRequest', description: 'The body must be JSON' });
    }
    const login = oauth.exchange(body);
    if (login) return send(res, login.status, login.body);
    const refresh = body.refreshToken ?? body.RefreshToken;
    const school = sandbox.schools.find((s) =>
      refresh ? s.refreshToken === refresh : s.authCode === body.code,
    );
    if (!school) {
      if (refresh) return send(res, 401, { error: 'invalid_request', error_description: '' });
      return send(res, 403, { type: 'invalid_client', description: 'Invalid client' });
    }
    send(res, 200, {
      accessToken: school.token,
      expiresIn: 2_592_000,
      expiresIn_str: '2592000',
      refreshToken: school.refreshToken,
      scope: 'CommonInfo,ContactInfo,FriendsAndRelatives,EducationalInfo',
      user: Number(school.admin.userId),
      user_str: school.admin.userId,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const info = (s: SchoolModel): SandboxSchoolInfo => ({
    id: s.id,
    name: s.name,
    token: s.token,
    authCode: s.authCode,
    refreshToken: s.refreshToken,
    timeZone: s.zone,
    offsetHours: s.offsetHours,
    finalMarkDeadlines: { ...s.calendar.finalMarkDeadlines },
  });

  return {
    url: `http://127.0.0.1:${port}/v2/`,
    oauthUrl: `http://127.0.0.1:${port}/oauth2`,
    tokens: sandbox.schools.map((s) => s.token),
    schools: sandbox.schools.map(info),
    sandbox,
    clock: sandbox.clock,
    now: () => sandbox.now(),
    advanceTo: (instant) => sandbox.advanceTo(instant),
    advance: (ms) => sandbox.advance(ms),
    answerKey: (asOf, opts) => sandbox.answerKey(asOf, opts),
    counts: (schoolId) => sandbox.counts(schoolId),
    dropMarks: (classId, share) => sandbox.dropMarks(classId, share),
    fixViolation: (finding) => sandbox.fixViolation(finding),
    enterMark: (lessonId, studentId, value) => sandbox.enterMark(lessonId, studentId, value),
    planted: (schoolId) => sandbox.planted(schoolId),
    requestCount: () => requests,
    tokenRequests: (token) => limits.requests(token),
    refuseToken: (token, ms, retryAfterS) => limits.refuse(token, ms, retryAfterS),
    refusedCount: () => limits.refused,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of held) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = stringifyExact(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
