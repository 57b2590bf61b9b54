import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * Parses a platform reply without letting any int64 id pass through a JS number: integers that
 * a double cannot hold exactly stay as their decimal string (`1847814077665489232`); small numbers
 * (weights, lesson numbers, time zones, and ids below 2^53) become numbers. Schemas accept both
 * forms for ids and turn them into strings.
 */
export function parseLosslessJson(text: string): unknown {
  return parse(text, null, {
    parseNumber: (value) => (isInteger(value) && !isSafeNumber(value) ? value : Number(value)),
    // A repeated key keeps its last value, as JSON.parse does; lossless-json would throw.
    onDuplicateKey: ({ newValue }) => newValue,
  });
}
