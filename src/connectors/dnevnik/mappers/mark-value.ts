import type { RawMark } from '../schemas/mark.js';

/** Point scales: `value` is the number; `textValue` may decorate it («4-», «5+»). */
const POINT_SYSTEMS = /^mark(5|6|7|10|12|100)$/;

/**
 * The value a mark is judged by. A mark has a `value` and a `textValue` (reference §2.1; public
 * clients show `textValue` to users and parse «+»/«-» off it). On a point scale the number is
 * `value`, whatever the decoration. For «н/а» (`markna`), «осв» (`markdismiss`), pass/fail
 * (`test`) and other systems the text is what the journal shows, so it is kept when given:
 * nothing then depends on the platform's internal code for those values.
 */
export function markValue(raw: Pick<RawMark, 'type' | 'value' | 'textValue'>): string {
  const system = raw.type?.toLowerCase() ?? null;
  const text = raw.textValue?.trim() || null;
  if (system !== null && POINT_SYSTEMS.test(system)) return raw.value.trim() || text || raw.value;
  return text ?? raw.value;
}
