import type { PlatformErrorKind, PlatformErrorReason } from '../_shared/http-error.js';

/**
 * The platform's error `type` values (reference §3) and how each is handled. Every type comes in
 * a long (`apiRequestLimit`, `authorizationOutOfScope`) and a short (`requestLimit`, `outOfScope`) spelling.
 */
const RETRYABLE = new Set([
  'apiRequestLimit',
  'requestLimit',
  'apiServerError',
  'serverError',
  'apiUnknownError',
  'unknownError',
]);

const INVALID_TOKEN = new Set(['authorizationInvalidToken', 'invalidToken']);
const TOKEN_REQUIRED = new Set(['authorizationTokenRequired', 'tokenRequired']);
const OUT_OF_SCOPE = new Set(['authorizationOutOfScope', 'outOfScope']);
const FORBIDDEN = new Set([
  'authorizationNotOwner',
  'notOwner',
  'authorizationOwnerForbidden',
  'ownerForbidden',
  'authorizationSystemForbidden',
  'systemForbidden',
]);
/** OAuth-style errors of `POST authorizations` (`{type|error: "invalid_client"}`). */
const OAUTH_CLIENT = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_grant',
  'invalid_request',
]);

const PERMANENT = new Set([
  'invalidRequest',
  'parameterInvalid',
  'apiResourceUnavailable',
  'resourceUnavailable',
  'apiMethodNotSupported',
  'methodNotSupported',
  'apiHttpsRequired',
  'httpsRequired',
]);

export type AuthProblem =
  'invalidToken' | 'tokenRequired' | 'outOfScope' | 'forbidden' | 'oauthClient' | 'other';

export function isKnownErrorType(type: string): boolean {
  return (
    RETRYABLE.has(type) ||
    PERMANENT.has(type) ||
    INVALID_TOKEN.has(type) ||
    TOKEN_REQUIRED.has(type) ||
    OUT_OF_SCOPE.has(type) ||
    FORBIDDEN.has(type) ||
    OAUTH_CLIENT.has(type) ||
    type.startsWith('authorization')
  );
}

export function authProblem(type: string): AuthProblem | null {
  if (INVALID_TOKEN.has(type)) return 'invalidToken';
  if (TOKEN_REQUIRED.has(type)) return 'tokenRequired';
  if (OUT_OF_SCOPE.has(type)) return 'outOfScope';
  if (FORBIDDEN.has(type)) return 'forbidden';
  if (OAUTH_CLIENT.has(type)) return 'oauthClient';
  if (type.startsWith('authorization')) return 'other';
  return null;
}

/** How an error body is handled; an unknown type is retried only when the HTTP status says so. */
export function kindOfErrorType(type: string, status: number): PlatformErrorKind {
  if (RETRYABLE.has(type)) return 'retryable';
  if (authProblem(type) !== null) return 'auth';
  if (PERMANENT.has(type)) return 'permanent';
  return isRetryableStatus(status) ? 'retryable' : 'permanent';
}

/** The platform's "too many requests" bodies (often with HTTP 200). */
const RATE_LIMITED = new Set(['apiRequestLimit', 'requestLimit']);

/**
 * Dnevnik's error names in the platform-neutral words the jobs decide retries by: a rate limit
 * (the `apiRequestLimit` body, HTTP 429 or the platform's own 433) waits, other transient faults
 * are retried, `authorization*` and `parameterInvalid` never are.
 */
export function reasonOf(
  kind: PlatformErrorKind,
  type: string,
  status: number | null,
): PlatformErrorReason {
  if (kind === 'auth') return 'unauthorized';
  if (kind === 'permanent') return 'invalidRequest';
  if (RATE_LIMITED.has(type) || status === 429 || status === 433) return 'rateLimited';
  return 'unavailable';
}

/** 429 and the platform's own 433 are rate limits; 408 and 5xx are transient. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status === 433 || status >= 500;
}

/** The OAuth scope an endpoint needs: profile calls need CommonInfo, journal data EducationalInfo. */
export function scopeForPath(path: string): string {
  return path.startsWith('users/') ? 'CommonInfo' : 'EducationalInfo';
}
