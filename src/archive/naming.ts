import { DateTime } from 'luxon';
import type { ArchiveKind } from './manifest.js';

/** Archive file names: sortable by time, readable, safe on FAT-formatted media. */

export const ARCHIVE_SUFFIX = '.tar.gz';

export function slug(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'x'
  );
}

/** `ezh-<school|all>-<kind>[-<period>]-<UTC stamp with ms>.tar.gz` */
export function archiveFileName(
  kind: ArchiveKind,
  schoolId: string | null,
  period: string | null,
  createdAt: number,
): string {
  const stamp = DateTime.fromMillis(createdAt, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmssSSS'Z'");
  return `ezh-${schoolId ?? 'all'}-${kind}${period ? `-${slug(period)}` : ''}-${stamp}${ARCHIVE_SUFFIX}`;
}

/** The school year containing an instant: `2025/2026` from 1 September 2025 to 31 August 2026. */
export function studyYearLabel(instant: number, zone: string): string {
  const d = DateTime.fromMillis(instant, { zone });
  const start = d.month >= 9 ? d.year : d.year - 1;
  return `${start}/${start + 1}`;
}
