/**
 * Platform-like ids. Edu-groups, lessons, works, marks and periods get 19-digit int64 ids above
 * 2^53 (as Dnevnik.ru's do); schools and persons get ~1e12 ids, which fit a JS number. Ids are
 * composed from (kind, school salt, class index, counter) so each class's rows can be generated
 * alone, in any order, and still never collide.
 */

export type BigKind = 'group' | 'lesson' | 'work' | 'mark' | 'period' | 'finalWork' | 'finalMark';

const KIND_DIGIT: Record<BigKind, string> = {
  group: '1',
  lesson: '2',
  work: '3',
  mark: '4',
  period: '5',
  finalWork: '6',
  finalMark: '7',
};

/**
 * `18` · kind (1 digit) · school salt (3) · class index (3) · counter (10): 19 digits, always
 * between 1.81e18 and 1.88e18 (above 2^53, below 2^63). Built as text: no BigInt in hot loops.
 */
export function bigId(
  kind: BigKind,
  schoolSalt: number,
  classIndex: number,
  counter: number,
): string {
  if (classIndex >= 1000 || counter >= 1e10) throw new Error('id component out of range');
  return `18${KIND_DIGIT[kind]}${String(schoolSalt % 1000).padStart(3, '0')}${String(classIndex).padStart(3, '0')}${String(counter).padStart(10, '0')}`;
}

/** A sequential id allocator for one kind within one class. */
export function idSequence(kind: BigKind, schoolSalt: number, classIndex: number): () => string {
  let n = 0;
  return () => bigId(kind, schoolSalt, classIndex, ++n);
}

export function personId(schoolIndex: number, n: number): string {
  return String(1_000_010_000_000 + schoolIndex * 100_000_000 + n);
}

export function userIdOf(personIdText: string): string {
  return String(Number(personIdText) + 500_000_000_000);
}
