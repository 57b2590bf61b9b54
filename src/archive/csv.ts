/**
 * RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote, CR or LF, quotes
 * doubled. Files start with a UTF-8 BOM so that Excel opens Cyrillic text correctly. A null is
 * an empty field; the JSON lines export beside each CSV keeps null and "" apart.
 */

export const BOM = '\uFEFF';

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * Counts records (header included) of CSV text fed in chunks; quoted fields may span lines.
 * A final record without a line end still counts.
 */
export class CsvRecordCounter {
  private inQuotes = false;
  private atRecordStart = true;
  private pendingCr = false;
  records = 0;

  push(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === 10) continue;
      }
      if (this.inQuotes) {
        // A doubled quote inside quotes toggles out and straight back in: net effect nothing.
        if (ch === 34) this.inQuotes = false;
        continue;
      }
      if (ch === 34) {
        this.inQuotes = true;
        this.atRecordStart = false;
      } else if (ch === 13 || ch === 10) {
        if (!this.atRecordStart) this.records++;
        this.atRecordStart = true;
        this.pendingCr = ch === 13;
      } else if (!(this.atRecordStart && ch === 0xfeff)) {
        this.atRecordStart = false;
      }
    }
  }

  /** Records seen; fails on a quote left open (a truncated or damaged file). */
  finish(): number {
    if (this.inQuotes) throw new Error('unterminated quoted field');
    if (!this.atRecordStart) this.records++;
    this.atRecordStart = true;
    return this.records;
  }
}

/** Parses one CSV text fully (small files: manifest.csv). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
