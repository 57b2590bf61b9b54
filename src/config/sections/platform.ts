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
