import { idListOf } from './id-list.js';
/**
 * Class and subgroup names as users type them (`--class`). A subgroup is named as the platform
 * names it («Английский язык, гр. 1») or with its class in front («5А / Английский язык, гр. 1»,
 * «5А/Английский язык, гр. 1»); its own name alone is ambiguous when several classes have one.
 */

export interface NamedGroup {
  id: string;
  name: string;
  kind: string;
  /** JSON list of parent ids, as the `classes` table keeps it. */
  parent_ids: string;
}

export interface SubgroupMatch {
  id: string;
  name: string;
  parentId: string;
  parentName: string;
  /** «5А / Английский язык, гр. 1». */
  label: string;
}

/** Case, spaces and dashes do not matter: «5 а», «5-А» and «5А» are the same class. */
export const normalizeName = (s: string): string => s.toLowerCase().replace(/[\s\-–]/g, '');

/** «5А / Английский язык, гр. 1»: how ezh names a subgroup in output. */
export const subgroupLabel = (parentName: string, name: string): string =>
  `${parentName} / ${name}`;

/**
 * The subgroups that `input` names, among `groups` (a school's classes and subgroups): by
 * «class / name», else by the name alone.
 */
export function findSubgroups(input: string, groups: readonly NamedGroup[]): SubgroupMatch[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const subs: SubgroupMatch[] = [];
  for (const g of groups) {
    if (g.kind !== 'subgroup') continue;
    const parent = idListOf(g.parent_ids)
      .map((id) => byId.get(id))
      .find((p) => p !== undefined);
    if (!parent) continue;
    subs.push({
      id: g.id,
      name: g.name,
      parentId: parent.id,
      parentName: parent.name,
      label: subgroupLabel(parent.name, g.name),
    });
  }
  const wanted = normalizeName(input);
  const full = subs.filter((s) => normalizeName(`${s.parentName}/${s.name}`) === wanted);
  return full.length > 0 ? full : subs.filter((s) => normalizeName(s.name) === wanted);
}
