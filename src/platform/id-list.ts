/**
 * An id list kept as JSON text in a mirror column (`classes.parent_ids`, `lessons.teacher_ids`):
 * the ids as strings; an absent or unreadable value is no ids.
 */
export function idListOf(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? list.map(String) : [];
  } catch {
    return [];
  }
}
