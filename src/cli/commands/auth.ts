import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import { withApp } from '../run-action.js';
import { UsageError } from '../../platform/errors.js';
import { connectorSettingsFromConfig } from '../../connectors/registry.js';
import { createDnevnikClient } from '../../connectors/dnevnik/dnevnik.connector.js';
import { authorizationUrl, exchangeCode } from '../../connectors/dnevnik/oauth.js';
import { fetchMe } from '../../connectors/dnevnik/resources/me.js';

/**
 * `ezh auth`: get and check the access token of the platform's registered OAuth application.
 * `url` prints where to authorize, `exchange` trades the code for tokens (printed once, to
 * stdout only), `check` tells whose token is configured. No token ever reaches a log.
 */
export function registerAuthCommand(program: Command): void {
  const auth = program
    .command('auth')
    .description('authorize ezh on the platform (OAuth) and check the token');

  auth
    .command('url')
    .description('print the authorization URL of the registered application (platform.oauth)')
    .option('--state <state>', 'opaque value echoed back to the redirect URI (default: random)')
    .action(
      withApp(async (app, opts: { state?: string }) => {
        const { oauth } = app.config.platform;
        if (!oauth.clientId) {
          throw missing(['platform.oauth.clientId: is required for `ezh auth url`']);
        }
        const url = authorizationUrl({
          authorizeUrl: oauth.authorizeUrl,
          clientId: oauth.clientId,
          scope: oauth.scope,
          redirectUri: oauth.redirectUri ?? null,
          state: opts.state ?? randomBytes(8).toString('hex'),
        });
        process.stdout.write(`${url}\n`);
        process.stderr.write(
          'Open it as a school staff or administrator user, then run: ezh auth exchange --code <code>\n',
        );
      }),
    );

  auth
    .command('exchange')
    .description('exchange an authorization code for an access token and a refresh token')
    .requiredOption('--code <code>', 'the code the authorization redirect brought back')
    .action(
      withApp(async (app, opts: { code: string }) => {
        const { clientId, clientSecret } = app.config.platform.oauth;
        const problems = [
          ...(clientId ? [] : ['platform.oauth.clientId: is required for `ezh auth exchange`']),
          ...(clientSecret
            ? []
            : ['platform.oauth.clientSecret: is required (EZH_DNEVNIK_CLIENT_SECRET)']),
        ];
        if (problems.length > 0 || !clientId || !clientSecret) throw missing(problems);
        const client = createDnevnikClient(
          { ...connectorSettingsFromConfig(app.config.platform), token: null },
          { tokens: null },
        );
        const grant = await exchangeCode(client, { clientId, clientSecret }, opts.code);
        process.stderr.write(
          'WARNING: the lines below are secrets, shown only this once. Store them in your secret store\n' +
            '(EZH_DNEVNIK_TOKEN, EZH_DNEVNIK_REFRESH_TOKEN), never in ezh.yaml or a shell history.\n',
        );
        process.stdout.write(`access token:  ${grant.accessToken}\n`);
        if (grant.refreshToken) process.stdout.write(`refresh token: ${grant.refreshToken}\n`);
        if (grant.expiresIn !== null) process.stdout.write(`expires in:    ${grant.expiresIn} s\n`);
        if (grant.scope) process.stdout.write(`scope:         ${grant.scope}\n`);
      }),
    );

  auth
    .command('check')
    .description('show whom the configured token belongs to (name, roles); never prints the token')
    .action(withApp(checkToken));
}

async function checkToken(app: App): Promise<void> {
  if (!app.config.platform.token) {
    throw new UsageError('no access token is configured', [
      'platform.token: is required (EZH_DNEVNIK_TOKEN)',
    ]);
  }
  const client = createDnevnikClient(connectorSettingsFromConfig(app.config.platform));
  const me = await fetchMe(client);
  process.stdout.write(`token belongs to: ${me.name}\n`);
  process.stdout.write(`user id:          ${me.userId ?? 'unknown'}\n`);
  process.stdout.write(`person id:        ${me.personId ?? 'unknown'}\n`);
  process.stdout.write(
    `roles:            ${me.roles.length > 0 ? me.roles.join(', ') : 'none listed'}\n`,
  );
}

function missing(problems: string[]): UsageError {
  return new UsageError('the OAuth settings are incomplete', problems);
}
