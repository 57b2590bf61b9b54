import { describe, expect, it } from 'vitest';
import { canonicalJson, sha1 } from './hash.js';

describe('canonicalJson', () => {
  it('is independent of key order, flat or nested', () => {
    expect(canonicalJson({ b: 1, a: 'x', c: ['2', '1'] })).toBe('{"a":"x","b":1,"c":["2","1"]}');
    expect(canonicalJson({ c: ['2', '1'], a: 'x', b: 1 })).toBe('{"a":"x","b":1,"c":["2","1"]}');
    expect(canonicalJson({ z: { y: 1, x: [{ b: 2, a: 1 }] }, a: null })).toBe(
      '{"a":null,"z":{"x":[{"a":1,"b":2}],"y":1}}',
    );
  });

  it('drops undefined like JSON does, keeps null', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it('hashes equal records equally and different records differently', () => {
    expect(sha1(canonicalJson({ a: 1, b: '2' }))).toBe(sha1(canonicalJson({ b: '2', a: 1 })));
    expect(sha1(canonicalJson({ a: 1, b: '2' }))).not.toBe(sha1(canonicalJson({ a: 1, b: '3' })));
  });
});
