/**
 * JSON serialisation with exact int64 numbers. The platform sends ids above 2^53 as bare JSON
 * numbers; a JS `number` would round them, so replies carry them as `BigId` and the serialiser
 * writes their digits verbatim.
 */

const MARK = '\u0001#';
const MARKED = /"\\u0001#(-?\d+)"/g;

/** An int64 to be written as a bare JSON number with exactly these digits. */
export class BigId {
  constructor(readonly digits: string) {}
  toJSON(): string {
    return MARK + this.digits;
  }
}

export function big(digits: string): BigId {
  return new BigId(digits);
}

/** `JSON.stringify` that writes every `BigId` as a raw number. */
export function stringifyExact(value: unknown): string {
  return JSON.stringify(value).replace(MARKED, '$1');
}
