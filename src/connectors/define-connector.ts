import type { z } from 'zod';
import { schemaAt } from '../config/schema-walk.js';
import type { Connector } from './connector.js';
import type { TokenLimiters } from './_shared/rate-limiter.js';
import type { Timing } from './_shared/timing.js';
import type { TokenGrant, TokenProvider } from './_shared/token-provider.js';

/**
 * A connector is one `defineConnector` unit plus one line in `registry.ts`. The unit owns
 * everything platform-specific the rest of ezh used to know: its settings (its own member of the
 * config's `platform` union, chosen by `platform.kind`), which of them are secret, the environment
 * variables that set them, the `ezh auth` steps (if the platform has any), and the factory.
 */

/** What a configured school may set for itself over the platform's settings (`schools[]`). */
export interface SchoolConnection {
  id?: string;
  token?: string | undefined;
  baseUrl?: string | undefined;
}

/** What the sync engine, tests and the CLI inject besides the settings. */
export interface ConnectorDeps {
  /** The school the connector is for; null: the platform's own settings only. */
  school?: SchoolConnection | null;
  /** Overrides the token source the settings describe (tests, a shared provider). */
  tokens?: TokenProvider | null;
  timing?: Timing;
  /** Per-token limiters (service mode shares them through Redis); the process-wide registry by default. */
  limiters?: TokenLimiters;
}

/** Whom a token belongs to, for `ezh auth check`. */
export interface TokenOwner {
  userId: string | null;
  personId: string | null;
  name: string;
  roles: string[];
}

/**
 * The authorization steps of a platform, from which `ezh auth url|exchange|check` derive. A step
 * the platform lacks is left out; its subcommand then says so (exit 2). Missing settings are a
 * `UsageError` listing each by its path (exit 2).
 */
export interface ConnectorAuth<S> {
  /** Where an operator authorizes ezh (an OAuth authorize URL). */
  authorizationUrl?(settings: S, state: string): string;
  /** Trades the code the authorization brought back for tokens. */
  exchangeCode?(settings: S, code: string): Promise<TokenGrant>;
  /** Where the exchanged secrets belong (variable names), for the one-time warning. */
  grantVariables?: readonly string[];
  /** Whom the configured token belongs to. */
  whoAmI?(settings: S): Promise<TokenOwner>;
}

export interface ConnectorSpec<K extends string, Schema extends z.ZodObject> {
  /** `platform.kind` in the config, and the connector's key in the registry. */
  kind: K;
  /** The connector's own settings: a strict object, every key with a default or optional. */
  settings: Schema;
  /** Dotted paths inside the settings that hold secrets: never logged, redacted in `ezh config show`. */
  secrets: readonly string[];
  /** Environment variable → dotted path inside the settings (`EZH_DNEVNIK_TOKEN` → `token`). */
  env: Readonly<Record<string, string>>;
  auth?: ConnectorAuth<z.output<Schema>>;
  create(settings: z.output<Schema>, deps: ConnectorDeps): Connector;
}

export interface ConnectorDefinition<
  K extends string = string,
  Schema extends z.ZodObject = z.ZodObject,
> extends ConnectorSpec<K, Schema> {
  /** Parsed settings of `kind` (defaults applied), for tests and tools that build them by hand. */
  parseSettings(input: unknown): z.output<Schema>;
}

const KIND = /^[a-z][a-z0-9-]*$/;
const ENV_NAME = /^EZH_[A-Z0-9_]+$/;

/**
 * Checks a connector unit at start-up (a wrong path would silently leave a secret unredacted or
 * an environment variable without effect) and returns it.
 */
export function defineConnector<K extends string, Schema extends z.ZodObject>(
  spec: ConnectorSpec<K, Schema>,
): ConnectorDefinition<K, Schema> {
  const problems: string[] = [];
  if (!KIND.test(spec.kind)) problems.push(`kind "${spec.kind}" must match ${KIND}`);
  if ('kind' in spec.settings.shape) {
    problems.push('settings must not declare `kind` (the union does)');
  }
  const exists = (path: string) => schemaAt(spec.settings, path.split('.')) !== undefined;
  for (const path of spec.secrets) {
    if (!exists(path)) problems.push(`secret "${path}" is not a setting`);
  }
  for (const [name, path] of Object.entries(spec.env)) {
    if (!ENV_NAME.test(name)) problems.push(`environment variable ${name} must match ${ENV_NAME}`);
    if (!exists(path)) problems.push(`environment variable ${name} names no setting ("${path}")`);
  }
  if (problems.length > 0) {
    throw new Error(`connector "${spec.kind}" is defined wrongly: ${problems.join('; ')}`);
  }
  return { ...spec, parseSettings: (input) => spec.settings.parse(input) };
}
