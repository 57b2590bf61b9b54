import { describe, expect, it } from 'vitest';
import { safeNext } from './session.js';
import { isLoopback } from './transport.js';

describe('where plain HTTP and redirects may go', () => {
  it('knows loopback addresses, and nothing else is one', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
      expect(isLoopback(h), h).toBe(true);
    }
    for (const h of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '192.168.1.5',
      'ezh.school.example',
      '128.0.0.1',
    ]) {
      expect(isLoopback(h), h).toBe(false);
    }
  });

  it('sends back after the login only to a path of this site', () => {
    expect(safeNext('/ict/sync?school=1')).toBe('/ict/sync?school=1');
    for (const bad of [
      '//evil.example/',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '',
      '/a b',
      undefined,
      42,
    ]) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
  });
});
