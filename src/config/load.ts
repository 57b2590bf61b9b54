import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../platform/errors.js';
import { registerSecret } from '../platform/redact.js';
import { buildConfigSchema, configSchema, type Config, type ConfigSchema } from './schema.js';
import { DEFAULT_PLATFORM_KIND, type PlatformMember } from './sections/platform.js';
import { childSchema, knownKeys, scalarKinds } from './schema-walk.js';
import { didYouMean, foldKey } from './suggest.js';

export const DEFAULT_CONFIG_FILE = './ezh.yaml';

type Schema = z.core.$ZodType;

/**
 * Environment shortcuts for secrets and the most common settings. The platform's own (such as
 * `EZH_DNEVNIK_TOKEN`) come from its connector and apply when `platform.kind` names it.
 */
const ENV_SHORTCUTS: Record<string, string[]> = {
  EZH_DATABASE_URL: ['database', 'url'],
  EZH_REDIS_URL: ['redis', 'url'],
  EZH_SMTP_PASSWORD: ['alerts', 'smtp', 'password'],
  EZH_WEBHOOK_SECRET: ['alerts', 'webhook', 'secret'],
  EZH_LOG_LEVEL: ['log', 'level'],
};

export interface LoadOptions {
  /** Explicit `--config` path: must exist. Without it `./ezh.yaml` is read if present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides applied last (tests, CLI flags), as a partial config object. */
  overrides?: Record<string, unknown>;
  /**
   * The schema with the registries (rules) it validates against; doors pass `appConfigSchema`
   * (src/app/config.ts, via `loadAppConfig`). Default: no rules known.
   */
  schema?: ConfigSchema;
  /**
   * The connectors the `platform` section accepts, whose variables (`EZH_DNEVNIK_TOKEN`) apply
   * and whose secrets are redacted; doors pass the registry's (src/app/config.ts, `loadAppConfig`).
   * Required and never empty: a config loaded without them would silently ignore the platform's
   * variables (a token set only in the environment) and leave its secrets unredacted.
   */
  connectors: readonly PlatformMember[];
  /** The platform of a config that names none. */
  defaultPlatform?: string;
}

export interface LoadedConfig {
  config: Config;
  /** The file that was read, or null for built-in defaults. */
  source: string | null;
}

export function loadConfig(options: LoadOptions): LoadedConfig {
  if (!Array.isArray(options.connectors) || options.connectors.length === 0) {
    throw new Error(
      'loadConfig needs the connector registry (use loadAppConfig): without it the EZH_<PLATFORM>_* variables would be ignored',
    );
  }
  const env = options.env ?? process.env;
  const problems: string[] = [];
  let raw: Record<string, unknown> = {};
  let source: string | null = null;

  const file = options.file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (file) {
    if (!existsSync(file)) {
      throw new ConfigError(`config file not found: ${file}`, [`${file}: not found`]);
    }
    source = file;
    try {
      const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
      if (parsed !== null && parsed !== undefined) {
        if (typeof parsed !== 'object' || Array.isArray(parsed)) {
          problems.push('(root): must be a mapping of settings');
        } else {
          raw = parsed as Record<string, unknown>;
        }
      }
    } catch (err) {
      const msg = err instanceof YAMLParseError ? err.message.split('\n')[0] : String(err);
      throw new ConfigError(`config file ${file} is not valid YAML`, [`${file}: ${msg}`]);
    }
  }

  const connectors = options.connectors;
  const defaultPlatform = options.defaultPlatform ?? DEFAULT_PLATFORM_KIND;
  const schema: z.ZodType =
    options.schema ?? buildConfigSchema({ rules: [], connectors, defaultPlatform });
  const fromEnv = applyEnv(schema, raw, env, problems);
  const platform = selectedPlatform(connectors, defaultPlatform, raw, options.overrides);
  if (platform) applyPlatformEnv(schema, platform, raw, env, problems, fromEnv);
  if (options.overrides) deepMerge(raw, options.overrides);

  const result = schema.safeParse(raw);
  if (!result.success) problems.push(...formatIssues(result.error.issues, fromEnv, schema));
  if (problems.length > 0 || !result.success) {
    throw new ConfigError(`invalid configuration${source ? ` in ${source}` : ''}`, problems);
  }
  // The registry's schema, or one with more connectors (tests): a `Config` either way.
  const config = result.data as Config;
  registerSecrets(config, connectors.find((c) => c.kind === config.platform.kind) ?? null);
  return { config, source };
}

/**
 * `EZH_SYNC__RECENT_DAYS=7` → sync.recentDays = 7; shortcuts as listed above. Each segment names
 * the key it matches without case and separators (`MARK_LATE` → `mark-late`), and the value
 * becomes a number or boolean only where the key takes one: `EZH_DNEVNIK_TOKEN=12345678` stays
 * a string. Returns the variable behind each path set, so that problems can name it.
 */
function applyEnv(
  root: Schema,
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  problems: string[],
): Map<string, string> {
  const fromEnv = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('EZH_') || value === undefined) continue;
    const path = ENV_SHORTCUTS[name] ?? (name.includes('__') ? envPath(root, name) : undefined);
    if (!path) continue;
    setEnv(root, raw, name, path, value, problems, fromEnv);
  }
  return fromEnv;
}

function setEnv(
  root: Schema,
  raw: Record<string, unknown>,
  name: string,
  path: string[],
  value: string,
  problems: string[],
  fromEnv: Map<string, string>,
): void {
  try {
    setPath(raw, path, envValue(root, path, value));
    fromEnv.set(path.join('.'), name);
  } catch {
    problems.push(`${name}: cannot be applied to ${path.join('.')}`);
  }
}

/**
 * The connector `platform.kind` names (the file's, or the overrides'); null when it names none
 * registered, which the schema then reports. Only that connector's variables apply: another
 * platform's token in the environment is not this platform's setting.
 */
function selectedPlatform(
  connectors: readonly PlatformMember[],
  defaultPlatform: string,
  raw: Record<string, unknown>,
  overrides: Record<string, unknown> | undefined,
): PlatformMember | null {
  const kindIn = (o: unknown): unknown =>
    o && typeof o === 'object'
      ? (o as { platform?: { kind?: unknown } }).platform?.kind
      : undefined;
  const kind = kindIn(overrides) ?? kindIn(raw) ?? defaultPlatform;
  return connectors.find((c) => c.kind === kind) ?? null;
}

function applyPlatformEnv(
  root: Schema,
  platform: PlatformMember,
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  problems: string[],
  fromEnv: Map<string, string>,
): void {
  for (const [name, setting] of Object.entries(platform.env)) {
    const value = env[name];
    if (value === undefined) continue;
    setEnv(root, raw, name, ['platform', ...setting.split('.')], value, problems, fromEnv);
  }
}

function envPath(root: Schema, name: string): string[] {
  const path: string[] = [];
  let schema: Schema | undefined = root;
  for (const segment of name.slice(4).split('__')) {
    const keys: string[] = schema ? knownKeys(schema, []) : [];
    const known = keys.find((k) => foldKey(k) === foldKey(segment));
    // An unknown segment stays in camelCase, to be reported with a suggestion like any key.
    const key: string =
      known ?? segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    path.push(key);
    schema = schema ? childSchema(schema, key) : undefined;
  }
  return path;
}

function envValue(root: Schema, path: string[], value: string): unknown {
  let schema: Schema | undefined = root;
  for (const key of path) schema = schema ? childSchema(schema, key) : undefined;
  // A key the schema does not know is reported as unknown; its value does not matter.
  if (!schema) return value;
  const kinds = scalarKinds(schema);
  if (kinds.has('number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (kinds.has('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (kinds.has('null') && value === 'null') return null;
  return value;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new Error('not an object');
    }
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) {
    const t = target[k];
    if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      t &&
      typeof t === 'object' &&
      !Array.isArray(t)
    ) {
      deepMerge(t as Record<string, unknown>, v as Record<string, unknown>);
    } else {
      target[k] = v;
    }
  }
}

/**
 * One line per problem, `path: message`; an unknown key is a problem of its own path, with the
 * closest key the schema knows there. `fromEnv` (path → variable) names where a value came from.
 */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  fromEnv: ReadonlyMap<string, string> = new Map(),
  root: Schema = configSchema,
): string[] {
  const line = (path: PropertyKey[], message: string): string => {
    const key = path.map(String).join('.');
    // The variable that set this value, or one below it (`EZH_PLATFROM__TOKEN` for `platfrom`).
    const origin =
      fromEnv.get(key) ?? [...fromEnv].find(([p]) => key !== '' && p.startsWith(`${key}.`))?.[1];
    return `${key || '(root)'}: ${message}${origin ? ` (from ${origin})` : ''}`;
  };
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(root, issue.path);
      return issue.keys.map((k) => line([...issue.path, k], `unknown key${didYouMean(k, known)}`));
    }
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined/.test(message)) {
      message = 'is required';
    }
    return [line(issue.path, message)];
  });
}

function registerSecrets(config: Config, platform: PlatformMember | null): void {
  // The connector names its secrets; each is scrubbed from logs and `ezh config show` verbatim.
  for (const path of platform?.secrets ?? []) {
    const value = path
      .split('.')
      .reduce<unknown>(
        (node, key) => (node as Record<string, unknown> | undefined)?.[key],
        config.platform,
      );
    if (typeof value === 'string') registerSecret(value);
  }
  for (const school of config.schools) registerSecret(school.token);
  for (const url of [config.database.url, config.redis.url]) {
    const password = url ? safeUrlPassword(url) : null;
    registerSecret(password);
  }
  const extra = config as unknown as {
    alerts?: { smtp?: { password?: string }; webhook?: { secret?: string } };
  };
  registerSecret(extra.alerts?.smtp?.password);
  registerSecret(extra.alerts?.webhook?.secret);
}

function safeUrlPassword(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}
