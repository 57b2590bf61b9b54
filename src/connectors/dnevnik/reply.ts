import { PlatformError, type PlatformErrorDetails } from '../_shared/http-error.js';
import { parseRetryAfter } from '../_shared/retry-policy.js';
import {
  authProblem,
  isKnownErrorType,
  isRetryableStatus,
  kindOfErrorType,
  reasonOf,
  scopeForPath,
} from './error-types.js';
import { parseLosslessJson } from './lossless-json.js';

/**
 * Turns one HTTP reply into data or a `PlatformError`. The platform signals errors in the body
 * (`{type, description}`), often with HTTP 200, and sometimes answers with an HTML page, so the
 * status alone decides nothing.
 */
export interface RawReply {
  status: number;
  contentType: string;
  body: string;
  retryAfter: string | null;
}

export interface ReplyContext {
  method: string;
  /** Path relative to the API root, without query or token. */
  path: string;
  /** Non-secret name of the token used (`token sha256:1a2b3c4d`). */
  tokenLabel: string;
  nowMs: number;
}

export function readReply(reply: RawReply, ctx: ReplyContext): unknown {
  const endpoint = `${ctx.method} ${ctx.path}`;
  const retryAfterMs = parseRetryAfter(reply.retryAfter, ctx.nowMs);
  const text = reply.body;

  if (/text\/html/i.test(reply.contentType) || /^\s*</.test(text)) {
    const description = htmlErrorDescription(text);
    const kind =
      reply.status === 401 || reply.status === 403
        ? 'auth'
        : reply.status === 404
          ? 'permanent'
          : 'retryable';
    const what =
      kind === 'auth'
        ? `the platform refused ${ctx.tokenLabel}`
        : 'the platform answered with an HTML page';
    throw dnevnikError(
      `${what} (HTTP ${reply.status}) on ${endpoint}${description ? `: ${description}` : ''}`,
      { kind, type: 'html', status: reply.status, endpoint, description, retryAfterMs },
    );
  }

  let data: unknown = null;
  if (text.trim() !== '') {
    try {
      data = parseLosslessJson(text);
    } catch {
      throw dnevnikError(
        `the platform sent a reply that is not JSON (HTTP ${reply.status}) on ${endpoint}`,
        {
          kind: 'retryable',
          type: 'malformedJson',
          status: reply.status,
          endpoint,
          retryAfterMs,
        },
      );
    }
  }

  const bodyError = errorOfBody(data);
  if (bodyError) {
    const kind = kindOfErrorType(bodyError.type, reply.status);
    throw dnevnikError(errorMessage(bodyError.type, bodyError.description, reply.status, ctx), {
      kind,
      type: bodyError.type,
      status: reply.status,
      endpoint,
      description: bodyError.description,
      retryAfterMs,
    });
  }

  if (reply.status >= 200 && reply.status < 300) {
    // Every endpoint ezh reads answers with a list or an object. An empty body or a bare `null`
    // is a broken reply, not an empty list: read as one, it would delete the whole scope.
    if (data === null) {
      throw dnevnikError(
        `the platform sent ${text.trim() === '' ? 'an empty reply' : 'a null reply'} (HTTP ${reply.status}) on ${endpoint}`,
        { kind: 'retryable', type: 'emptyReply', status: reply.status, endpoint, retryAfterMs },
      );
    }
    return data;
  }

  const type = `http${reply.status}`;
  const kind =
    reply.status === 401 || reply.status === 403
      ? 'auth'
      : isRetryableStatus(reply.status)
        ? 'retryable'
        : 'permanent';
  const message =
    kind === 'auth'
      ? `the platform refused ${ctx.tokenLabel} (HTTP ${reply.status}) on ${endpoint}: check that the token is valid and belongs to a school staff user`
      : `the platform answered HTTP ${reply.status} on ${endpoint}`;
  throw dnevnikError(message, { kind, type, status: reply.status, endpoint, retryAfterMs });
}

/** A `PlatformError` with its platform-neutral reason read from Dnevnik's type and status. */
function dnevnikError(message: string, details: PlatformErrorDetails): PlatformError {
  return new PlatformError(message, {
    ...details,
    reason: reasonOf(details.kind, details.type, details.status),
  });
}

/** `{type, description}` (platform) or `{error, error_description}` (OAuth); a record with an id is never an error. */
function errorOfBody(data: unknown): { type: string; description: string | null } | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const o = data as Record<string, unknown>;
  if ('id' in o || 'id_str' in o) return null;
  if (typeof o.type === 'string' && ('description' in o || isKnownErrorType(o.type))) {
    return { type: o.type, description: typeof o.description === 'string' ? o.description : null };
  }
  if (typeof o.error === 'string') {
    return {
      type: o.error,
      description: typeof o.error_description === 'string' ? o.error_description : null,
    };
  }
  return null;
}

function errorMessage(
  type: string,
  description: string | null,
  status: number,
  ctx: ReplyContext,
): string {
  const endpoint = `${ctx.method} ${ctx.path}`;
  const platformSays = description ? ` (platform: "${description}")` : '';
  switch (authProblem(type)) {
    case 'invalidToken':
      return `the platform rejected ${ctx.tokenLabel} as invalid or inactive (${type}) on ${endpoint}: issue a new token (ezh auth exchange) and set it in platform.token or EZH_DNEVNIK_TOKEN`;
    case 'tokenRequired':
      return `the platform received no valid access token (${type}) on ${endpoint}: set platform.token or EZH_DNEVNIK_TOKEN`;
    case 'outOfScope':
      return `${ctx.tokenLabel} lacks the ${scopeForPath(ctx.path)} scope (${type}) on ${endpoint}: authorize the application again with that scope (platform.oauth.scope)`;
    case 'forbidden':
      return `the user of ${ctx.tokenLabel} may not read this resource (${type}) on ${endpoint}: a school staff or administrator token is needed`;
    case 'oauthClient':
      return `the platform refused the OAuth request (${type}) on ${endpoint}: check platform.oauth.clientId, clientSecret and the code or refresh token${platformSays}`;
    case 'other':
      return `the platform refused ${ctx.tokenLabel} (${type}) on ${endpoint}${platformSays}`;
    case null:
      break;
  }
  if (type === 'apiRequestLimit' || type === 'requestLimit') {
    return `the platform's request limit for ${ctx.tokenLabel} was exceeded (${type}) on ${endpoint}`;
  }
  return `the platform answered ${type} (HTTP ${status}) on ${endpoint}${platformSays}`;
}

/** The text of `<div class="error__description">` of the platform's HTML error page, if present. */
export function htmlErrorDescription(html: string): string | null {
  const match =
    /<div[^>]*class\s*=\s*["'][^"']*\berror__description\b[^"']*["'][^>]*>([\s\S]*?)<\/div>/i.exec(
      html,
    );
  if (!match?.[1]) return null;
  const text = match[1]
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : text.slice(0, 300);
}
