import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../platform/errors.js';
import { registerSecret } from '../platform/redact.js';
import { configSchema, type Config, type ConfigSchema } from './schema.js';
import { childSchema, knownKeys, scalarKinds } from './schema-walk.js';
import { didYouMean, foldKey } from './suggest.js';

export const DEFAULT_CONFIG_FILE = './ezh.yaml';

/** Environment shortcuts for secrets and the most common settings. */
const ENV_SHORTCUTS: Record<string, string[]> = {
  EZH_DNEVNIK_TOKEN: ['platform', 'token'],
  EZH_DNEVNIK_CLIENT_SECRET: ['platform', 'oauth', 'clientSecret'],
  EZH_DNEVNIK_REFRESH_TOKEN: ['platform', 'oauth', 'refreshToken'],
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
}

export interface LoadedConfig {
  config: Config;
  /** The file that was read, or null for built-in defaults. */
  source: string | null;
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const schema = options.schema ?? configSchema;
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

  const fromEnv = applyEnv(schema, raw, env, problems);
  if (options.overrides) deepMerge(raw, options.overrides);

  const result = schema.safeParse(raw);
  if (!result.success) problems.push(...formatIssues(schema, result.error.issues, fromEnv));
  if (problems.length > 0 || !result.success) {
    throw new ConfigError(`invalid configuration${source ? ` in ${source}` : ''}`, problems);
  }
  const config = result.data;
  registerSecrets(config);
  return { config, source };
}

/**
 * `EZH_SYNC__RECENT_DAYS=7` → sync.recentDays = 7; shortcuts as listed above. Each segment names
 * the key it matches without case and separators (`MARK_LATE` → `mark-late`), and the value
 * becomes a number or boolean only where the key takes one: `EZH_DNEVNIK_TOKEN=12345678` stays
 * a string. Returns the variable behind each path set, so that problems can name it.
 */
function applyEnv(
  schema: ConfigSchema,
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  problems: string[],
): Map<string, string> {
  const fromEnv = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('EZH_') || value === undefined) continue;
    const path = ENV_SHORTCUTS[name] ?? (name.includes('__') ? envPath(schema, name) : undefined);
    if (!path) continue;
    try {
      setPath(raw, path, envValue(schema, path, value));
      fromEnv.set(path.join('.'), name);
    } catch {
      problems.push(`${name}: cannot be applied to ${path.join('.')}`);
    }
  }
  return fromEnv;
}

function envPath(root: ConfigSchema, name: string): string[] {
  const path: string[] = [];
  let schema: z.core.$ZodType | undefined = root;
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

function envValue(root: ConfigSchema, path: string[], value: string): unknown {
  let schema: z.core.$ZodType | undefined = root;
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
  schema: ConfigSchema,
  issues: readonly z.core.$ZodIssue[],
  fromEnv: ReadonlyMap<string, string> = new Map(),
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
      const known = knownKeys(schema, issue.path);
      return issue.keys.map((k) => line([...issue.path, k], `unknown key${didYouMean(k, known)}`));
    }
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined/.test(message)) {
      message = 'is required';
    }
    return [line(issue.path, message)];
  });
}

function registerSecrets(config: Config): void {
  registerSecret(config.platform.token);
  registerSecret(config.platform.oauth.clientSecret);
  registerSecret(config.platform.oauth.refreshToken);
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
