import { describe, expect, it } from 'vitest';
import { appConfigSchema } from '../app/config.js';
import { lenientObjects } from './schema-walk.js';
import { closestKey } from './suggest.js';

describe('config schema', () => {
  it('refuses unknown keys in every object, rule parameters and array items included', () => {
    // A new section, or a rule whose parameters hold an object, must use z.strictObject.
    expect(lenientObjects(appConfigSchema)).toEqual([]);
  });
});

describe('closestKey', () => {
  const keys = ['baseUrl', 'timeZone', 'token', 'host', 'mark-late', 'schedule'];

  it('suggests the key a slip, a case or separator change, or a swap away', () => {
    expect(closestKey('baseURL', keys)).toBe('baseUrl');
    expect(closestKey('base_url', keys)).toBe('baseUrl');
    expect(closestKey('timezone', keys)).toBe('timeZone');
    expect(closestKey('tokne', keys)).toBe('token');
    expect(closestKey('mark_late', keys)).toBe('mark-late');
    expect(closestKey('shedule', keys)).toBe('schedule');
    expect(closestKey('hostname', keys)).toBe('host');
  });

  it('suggests nothing for a key unlike any', () => {
    expect(closestKey('retries', keys)).toBeUndefined();
    expect(closestKey('id', keys)).toBeUndefined();
  });
});
