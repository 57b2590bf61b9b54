import { describe, expect, it } from 'vitest';
import { documentFileName } from './file-name.js';

describe('documentFileName', () => {
  it('puts the school in the name: two schools never share a file', () => {
    const a = documentFileName('audit', '1000001', '2026-12-04');
    const b = documentFileName('audit', '1000002', '2026-12-04');
    expect(a).toBe('audit-1000001-2026-12-04.pdf');
    expect(b).toBe('audit-1000002-2026-12-04.pdf');
  });

  it('keeps names filesystem-safe whatever a class or period is called', () => {
    const name = documentFileName('journal', '1000001', '../5 «А»/', '1 четверть');
    expect(name).toBe('journal-1000001-5-А-1-четверть.pdf');
    expect(name).not.toMatch(/[/\\\s]|\.\./);
  });
});
