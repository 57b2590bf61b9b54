import { describe, expect, it } from 'vitest';
import { BOM, csvLine, CsvRecordCounter, parseCsv } from './csv.js';

describe('csv', () => {
  it('quotes per RFC 4180 and round-trips through the parser', () => {
    const rows = [
      ['id', 'topic', 'n'],
      ['1847814077665489232', 'Дроби, "обыкновенные"\r\nи десятичные', 3],
      ['2', null, ''],
    ];
    const text = BOM + rows.map(csvLine).join('');
    expect(text).toContain('"Дроби, ""обыкновенные""\r\nи десятичные"');
    expect(parseCsv(text)).toEqual([
      ['id', 'topic', 'n'],
      ['1847814077665489232', 'Дроби, "обыкновенные"\r\nи десятичные', '3'],
      ['2', '', ''],
    ]);
  });

  it('counts records across chunk boundaries, with line breaks inside quotes', () => {
    const text = BOM + csvLine(['a', 'b']) + csvLine(['x\r\ny', '"q"']) + csvLine(['1', '2']);
    for (const size of [1, 2, 3, 7, text.length]) {
      const c = new CsvRecordCounter();
      for (let i = 0; i < text.length; i += size) c.push(text.slice(i, i + size));
      expect(c.finish()).toBe(3);
    }
  });

  it('counts a last record without a line end, and rejects an open quote', () => {
    const c = new CsvRecordCounter();
    c.push('a,b\r\n1,2');
    expect(c.finish()).toBe(2);
    const bad = new CsvRecordCounter();
    bad.push('a,b\r\n"1,2\r\n');
    expect(() => bad.finish()).toThrow(/unterminated/);
  });
});
