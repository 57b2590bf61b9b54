import { z } from 'zod';

/**
 * `platform:` — one member per registered connector (`src/connectors/registry.ts`), chosen by
 * `kind`. Each connector owns its settings schema, secrets and environment variables; this file
 * only joins them, so a second platform needs no edit here.
 */
export interface PlatformMember {
  kind: string;
  /** The connector's own settings (a strict object without `kind`). */
  settings: z.ZodObject;
  /** Dotted paths inside the settings that hold secrets. */
  secrets: readonly string[];
  /** Environment variable → dotted path inside the settings. */
  env: Readonly<Record<string, string>>;
}

/**
 * The `platform` section as the rest of ezh sees it: its `kind` and the connector's own settings,
 * which only the connector reads (it parses them with its schema: connectors/registry.ts). The
 * config is the base layer and knows no connector's settings type.
 */
export type PlatformSettings = { kind: string } & Record<string, unknown>;

/** The platform of a config that names none, when no registry says otherwise. */
export const DEFAULT_PLATFORM_KIND = 'dnevnik';

/**
 * `platform` without the connectors' registry (tests and tools that read no platform setting):
 * any `kind`, its other keys kept as given for the connector to check.
 */
export function anyPlatformSection(defaultKind: string): z.ZodType<PlatformSettings, unknown> {
  return z
    .looseObject({ kind: z.string().default(defaultKind) })
    .prefault({}) as unknown as z.ZodType<PlatformSettings, unknown>;
}

/** The parsed `platform` section: the settings of whichever member `kind` names. */
export type PlatformOf<M extends readonly PlatformMember[]> = {
  [I in keyof M]: { kind: M[I]['kind'] } & z.output<M[I]['settings']>;
}[number];

/**
 * A discriminated union on `kind`; `kind` may be left out for `defaultKind` (every config written
 * before there was a second platform names none).
 */
export function platformSection<const M extends readonly PlatformMember[]>(
  members: M,
  defaultKind: string,
): z.ZodType<PlatformOf<M>, unknown> {
  const kinds = members.map((m) => m.kind);
  if (!kinds.includes(defaultKind)) {
    throw new Error(`the default platform "${defaultKind}" is not registered`);
  }
  // `kind` first, as `ezh config show` has always printed it.
  const options = members.map((m) =>
    z.strictObject({
      kind: m.kind === defaultKind ? z.literal(m.kind).default(m.kind) : z.literal(m.kind),
      ...m.settings.shape,
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]];
  const section = z
    .discriminatedUnion('kind', options, {
      error: (issue) =>
        issue.code === 'invalid_union' && issue.note === 'No matching discriminator'
          ? `Invalid input: expected ${kinds.map((k) => `"${k}"`).join(' | ')}`
          : undefined,
    })
    .prefault({});
  return section as unknown as z.ZodType<PlatformOf<M>, unknown>;
}
