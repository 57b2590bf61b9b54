import type { HostileReply, HostileRule } from './hostile-proxy.js';

/**
 * The hostile-reply table: one line per case. Each case arms the proxy for a full sync of a
 * mirror that already equals the platform; the platform does not change meanwhile, so after the
 * run the mirror must still equal it (nothing lost, nothing changed), whatever the reply was.
 *
 * `expect`:
 * - `handled`: the run absorbs the fault (retries) and succeeds;
 * - `held`: the run does not accept the reply: it fails or ends partial, or holds back deletions,
 *   or quarantines records, and says so; a clean rerun then succeeds and the mirror equals the
 *   platform.
 *
 * To add a case, add a line.
 */

export interface HostileCase extends HostileRule {
  name: string;
  expect: 'handled' | 'held';
}

/** Paths under the API root (see `src/connectors/dnevnik/resources/paths.ts`). */
const CLASSES = /^schools\/\d+\/edu-groups$/;
const TEACHERS = /^schools\/\d+\/teachers$/;
const STUDENTS = /^edu-groups\/\d+\/persons$/;
const FINAL_MARKS = /^edu-groups\/\d+\/final-marks$/;
const LESSONS = /^edu-groups\/\d+\/lessons\//;
const MARKS = /^edu-groups\/\d+\/marks\//;
/** The first marks window of each class (the school year starts on September 1). */
const FIRST_MARKS = /^edu-groups\/\d+\/marks\/\d{4}-09-01\//;
// A window's attendance: one call by its lessons' ids, or per subject where the platform refuses that.
const ATTENDANCE = /^lesson-log-entries(\/group\/|$)/;

const json = (status: number, body: unknown, headers?: Record<string, string>): HostileReply => ({
  kind: 'reply',
  status,
  headers,
  body: JSON.stringify(body),
});
const raw = (status: number, body: string, contentType: string): HostileReply => ({
  kind: 'reply',
  status,
  headers: { 'Content-Type': contentType },
  body,
});
const HTML =
  '<!DOCTYPE html><html><head><title>502</title></head><body><div class="error__description">Сервис временно недоступен</div></body></html>';
const LIMIT = { type: 'apiRequestLimit', description: 'Превышен лимит запросов' };
const SERVER_ERROR = { type: 'apiServerError', description: 'Внутренняя ошибка сервера' };

/** The first lesson of a reply loses its subject (`"subject": null`): it is quarantined. */
const firstSubjectNull = (body: string) => body.replace(/"subject":\{[^{}]*\}/, '"subject":null');

// One line per case, so the table reads as a table.
// prettier-ignore
export const HOSTILE_CASES: HostileCase[] = [
  { name: '500 with apiServerError', path: MARKS, times: 1, reply: json(500, SERVER_ERROR), expect: 'handled' },
  { name: '503 with an empty body', path: LESSONS, times: 1, reply: raw(503, '', 'text/plain'), expect: 'handled' },
  { name: '502 HTML page', path: CLASSES, times: 1, reply: raw(502, HTML, 'text/html; charset=utf-8'), expect: 'handled' },
  { name: '429 with Retry-After', path: STUDENTS, times: 1, reply: json(429, LIMIT, { 'Retry-After': '1' }), expect: 'handled' },
  { name: '433 with Retry-After', path: ATTENDANCE, times: 1, reply: json(433, LIMIT, { 'Retry-After': '1' }), expect: 'handled' },
  { name: 'HTML page with HTTP 200', path: TEACHERS, times: 1, reply: raw(200, HTML, 'text/html; charset=utf-8'), expect: 'handled' },
  { name: 'apiRequestLimit with HTTP 200', path: MARKS, times: 1, reply: json(200, LIMIT), expect: 'handled' },
  { name: 'apiServerError with HTTP 200', path: FINAL_MARKS, times: 1, reply: json(200, SERVER_ERROR), expect: 'handled' },
  { name: 'malformed JSON with HTTP 200', path: LESSONS, times: 1, reply: raw(200, '[{"id": 1, "title": ', 'application/json'), expect: 'handled' },
  { name: 'truncated body', path: MARKS, times: 1, reply: { kind: 'truncate' }, expect: 'handled' },
  { name: 'timeout (no reply)', path: STUDENTS, times: 1, reply: { kind: 'hang' }, expect: 'handled' },
  { name: '500 on every retry (first marks window)', path: FIRST_MARKS, times: 1000, reply: json(500, SERVER_ERROR), expect: 'held' },
  { name: '[] for a window of marks', path: MARKS, times: 1, reply: raw(200, '[]', 'application/json'), expect: 'held' },
  { name: 'null for a window of marks', path: MARKS, times: 1, reply: raw(200, 'null', 'application/json'), expect: 'handled' },
  { name: 'empty body (HTTP 200) for the class list', path: CLASSES, times: 1, reply: raw(200, '', 'application/json'), expect: 'handled' },
  { name: 'null for the class list', path: CLASSES, times: 1, reply: raw(200, 'null', 'application/json'), expect: 'handled' },
  { name: 'null for the class list on every retry', path: CLASSES, times: 1000, reply: raw(200, 'null', 'application/json'), expect: 'held' },
  { name: '[] for the class list', path: CLASSES, times: 1, reply: raw(200, '[]', 'application/json'), expect: 'held' },
  { name: '[] for the students of a class', path: STUDENTS, times: 1, reply: raw(200, '[]', 'application/json'), expect: 'held' },
  { name: 'a lesson with "subject": null', path: LESSONS, times: 2, reply: { kind: 'rewrite', rewrite: firstSubjectNull }, expect: 'held' },
];
