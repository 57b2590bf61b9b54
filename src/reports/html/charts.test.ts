import { describe, expect, it } from 'vitest';
import { qualityChart } from './charts.js';

describe('charts', () => {
  it('write bar labels like the tables: a decimal comma, one digit', () => {
    const svg = qualityChart([
      { label: '5А', value: 200 / 3 },
      { label: '10А', value: null },
    ]);
    expect(svg).toContain('>66,7<');
    expect(svg).not.toContain('66.7');
  });
});
