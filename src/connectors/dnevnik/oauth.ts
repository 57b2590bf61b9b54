import { z } from 'zod';
import type { TokenGrant } from '../_shared/token-provider.js';
import type { DnevnikClient } from './client.js';
import { paths } from './resources/paths.js';
import { numberSchema, optionalId, optionalText } from './schemas/common.js';

/**
 * OAuth2 of the platform (reference §1): the browser is sent to the authorize URL, the code it
 * comes back with is exchanged at `POST authorizations`, and the refresh token buys new access
 * tokens (`grant_type: RefreshToken`, HTTP Basic client_id:client_secret).
 */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface AuthorizeRequest {
  authorizeUrl: string;
  clientId: string;
  /** Comma-separated scopes, e.g. `CommonInfo,EducationalInfo`. */
  scope: string;
  redirectUri?: string | null;
  state?: string | null;
}

export function authorizationUrl(req: AuthorizeRequest): string {
  const url = new URL(req.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', req.clientId);
  url.searchParams.set('scope', req.scope);
  if (req.redirectUri) url.searchParams.set('redirect_uri', req.redirectUri);
  if (req.state) url.searchParams.set('state', req.state);
  return url.toString();
}

const tokenReplySchema = z.looseObject({
  accessToken: z.string().min(1),
  expiresIn: numberSchema.nullish(),
  expiresIn_str: optionalText,
  refreshToken: optionalText,
  scope: optionalText,
  user: optionalId,
  user_str: optionalId,
});

function toGrant(reply: unknown, endpoint: string): TokenGrant {
  const parsed = tokenReplySchema.safeParse(reply);
  // The reply holds secrets: never echo it, only say what is missing.
  if (!parsed.success) {
    throw new Error(`${endpoint} returned no access token (unexpected reply shape)`);
  }
  const r = parsed.data;
  const expiresIn = r.expiresIn ?? (r.expiresIn_str ? Number(r.expiresIn_str) : null);
  return {
    accessToken: r.accessToken,
    refreshToken: r.refreshToken ?? null,
    expiresIn: expiresIn !== null && Number.isFinite(expiresIn) ? expiresIn : null,
    scope: r.scope ?? null,
    userId: r.user_str ?? r.user ?? null,
  };
}

/** Exchanges an authorization code for an access token and a refresh token. */
export async function exchangeCode(
  client: DnevnikClient,
  app: OAuthClient,
  code: string,
): Promise<TokenGrant> {
  const reply = await client.post(
    paths.authorizations(),
    {
      code,
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'AuthorizationCode',
    },
    { auth: 'none' },
  );
  return toGrant(reply, 'POST authorizations');
}

/** A new access token for a refresh token. */
export async function refreshAccessToken(
  client: DnevnikClient,
  app: OAuthClient,
  refreshToken: string,
): Promise<TokenGrant> {
  const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
  const reply = await client.post(
    paths.authorizations(),
    {
      grant_type: 'RefreshToken',
      refreshToken,
      client_id: app.clientId,
      client_secret: app.clientSecret,
    },
    { auth: 'none', headers: { Authorization: `Basic ${basic}` } },
  );
  return toGrant(reply, 'POST authorizations');
}
