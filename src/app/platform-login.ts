import type { Config } from '../config/schema.js';
import type { TokenOwner } from '../connectors/define-connector.js';
import { configuredPlatform } from '../connectors/registry.js';
import { UsageError } from '../platform/errors.js';

/**
 * «Войти через Дневник.ру»: a person logs in to the web site with the platform's OAuth2, through
 * the configured platform's connector (the same steps as `ezh auth`): the authorize URL with a
 * state, the code traded at `POST authorizations`, then `users/me` with the person's own token
 * says who they are. The person's token is used once and forgotten: ezh reads the school with its
 * own token, never with a visitor's.
 */

interface PlatformSteps {
  settings: Record<string, unknown> & { oauth?: Record<string, unknown> };
  authorizationUrl(settings: Record<string, unknown>, state: string): string;
  exchangeCode(settings: Record<string, unknown>, code: string): Promise<{ accessToken: string }>;
  whoAmI(settings: Record<string, unknown>): Promise<TokenOwner>;
}

function steps(config: Config, redirectUri: string): PlatformSteps {
  const { definition, settings } = configuredPlatform(config.platform);
  const auth = definition.auth as Partial<PlatformSteps> | undefined;
  if (!auth?.authorizationUrl || !auth.exchangeCode || !auth.whoAmI) {
    throw new UsageError(`platform "${config.platform.kind}" has no OAuth login`);
  }
  const oauth = (settings.oauth ?? {}) as Record<string, unknown>;
  return {
    settings: { ...settings, oauth: { ...oauth, redirectUri, scope: config.web.oauth.scope } },
    authorizationUrl: auth.authorizationUrl.bind(auth),
    exchangeCode: auth.exchangeCode.bind(auth),
    whoAmI: auth.whoAmI.bind(auth),
  };
}

/** Problems that keep the OAuth login off (empty: it can be offered). */
export function platformLoginProblems(config: Config): string[] {
  if (!config.web.oauth.enabled) return [];
  const problems: string[] = [];
  if (config.web.behindProxy && !config.web.publicUrl) {
    problems.push('web.publicUrl: is required for web.oauth behind a proxy');
  }
  try {
    const s = steps(config, 'https://invalid.example/');
    const oauth = (s.settings.oauth ?? {}) as Record<string, unknown>;
    if (!oauth.clientId) problems.push('platform.oauth.clientId: is required for web.oauth');
    if (!oauth.clientSecret) {
      problems.push('platform.oauth.clientSecret: is required for web.oauth');
    }
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  return problems;
}

export function platformLoginUrl(config: Config, redirectUri: string, state: string): string {
  const s = steps(config, redirectUri);
  return s.authorizationUrl(s.settings, state);
}

/** The person behind an authorization code. */
export async function platformLoginPerson(
  config: Config,
  redirectUri: string,
  code: string,
): Promise<TokenOwner> {
  const s = steps(config, redirectUri);
  const grant = await s.exchangeCode(s.settings, code);
  return s.whoAmI({ ...s.settings, token: grant.accessToken });
}
