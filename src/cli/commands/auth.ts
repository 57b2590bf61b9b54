import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import { withApp } from '../run-action.js';
import { UsageError } from '../../platform/errors.js';
import type { ConnectorAuth, ConnectorDefinition } from '../../connectors/define-connector.js';
import { configuredPlatform, connectorDefinition } from '../../connectors/registry.js';

/**
 * `ezh auth`: get and check the access token, in the steps the configured platform's connector
 * defines (`auth` of its `defineConnector`). `url` prints where to authorize, `exchange` trades the
 * code for tokens (printed once, to stdout only), `check` tells whose token is configured. A
 * platform without a step says so (exit 2). No token ever reaches a log.
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
        const { authorizationUrl } = step(app, 'url', 'authorizationUrl');
        const url = authorizationUrl(
          platformSettings(app),
          opts.state ?? randomBytes(8).toString('hex'),
        );
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
        const { exchangeCode, grantVariables } = step(app, 'exchange', 'exchangeCode');
        const grant = await exchangeCode(platformSettings(app), opts.code);
        const where = grantVariables?.length ? `\n(${grantVariables.join(', ')})` : '';
        process.stderr.write(
          `WARNING: the lines below are secrets, shown only this once. Store them in your secret store${where}, never in ezh.yaml or a shell history.\n`,
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
  const { whoAmI } = step(app, 'check', 'whoAmI');
  const me = await whoAmI(platformSettings(app));
  process.stdout.write(`token belongs to: ${me.name}\n`);
  process.stdout.write(`user id:          ${me.userId ?? 'unknown'}\n`);
  process.stdout.write(`person id:        ${me.personId ?? 'unknown'}\n`);
  process.stdout.write(
    `roles:            ${me.roles.length > 0 ? me.roles.join(', ') : 'none listed'}\n`,
  );
}

type Steps = ConnectorAuth<Record<string, unknown>>;

/** The configured platform's settings as its connector reads them (defaults applied). */
function platformSettings(app: App): Record<string, unknown> {
  return configuredPlatform(app.config.platform).settings;
}
type StepName = 'authorizationUrl' | 'exchangeCode' | 'whoAmI';

function step<N extends StepName>(app: App, command: string, name: N) {
  return authStep(app.config.platform.kind, command, name);
}

/**
 * The `ezh auth <command>` step of the platform `kind` names, bound to its connector; bad usage
 * (exit 2) when that platform has none.
 */
export function authStep<N extends StepName>(
  kind: string,
  command: string,
  name: N,
  connectors?: readonly ConnectorDefinition[],
): Required<Pick<Steps, N>> & Pick<Steps, 'grantVariables'> {
  const auth = connectorDefinition(kind, connectors).auth as Steps | undefined;
  const fn = auth?.[name];
  if (!auth || !fn) {
    throw new UsageError(`\`ezh auth ${command}\` does not apply to platform "${kind}"`, [
      `platform.kind: "${kind}" has ${auth ? `no \`auth ${command}\` step` : 'no authorization steps (its secrets are set in the config or the environment)'}`,
    ]);
  }
  return { [name]: fn.bind(auth), grantVariables: auth.grantVariables } as Required<
    Pick<Steps, N>
  > &
    Pick<Steps, 'grantVariables'>;
}
