import { describe, expect, it } from 'vitest';
import type { ArchiveRow } from './registry.js';
import { planRetention } from './retention.js';

const YEAR = 365.25 * 24 * 3600 * 1000;
const NOW = Date.UTC(2040, 0, 1);
const policy = { keepLast: 3, keepYears: 5, keepSummaryYears: 25 };

let n = 0;
function row(
  kind: ArchiveRow['kind'],
  ageYears: number,
  extra: Partial<ArchiveRow> = {},
): ArchiveRow {
  n++;
  return {
    fileName: `a${n}`,
    paths: [],
    kind,
    period: null,
    schoolId: '1',
    createdAt: NOW - ageYears * YEAR - n,
    asOf: NOW - ageYears * YEAR,
    sha256: 'x',
    size: 1,
    status: 'complete',
    note: null,
    ...extra,
  };
}

const pruned = (rows: ArchiveRow[]) =>
  planRetention(rows, policy, NOW)
    .map((d) => d.archive.fileName)
    .sort();

describe('retention plan', () => {
  it('keeps the newest keepLast regular archives per school', () => {
    const rows = [0.01, 0.02, 0.03, 0.04, 0.05].map((a) => row('regular', a));
    const other = row('regular', 0.06, { schoolId: '2' });
    expect(pruned([...rows, other])).toEqual([rows[3]!.fileName, rows[4]!.fileName].sort());
  });

  it('never counts failed, pruned or unfinished runs, and never deletes them', () => {
    const rows = [
      row('regular', 0.01, { status: 'creating' }),
      row('regular', 0.02, { status: 'failed' }),
      row('regular', 0.03),
    ];
    expect(pruned([...rows, row('regular', 0.04), row('regular', 0.05)])).toEqual([]);
  });

  it('keeps period archives within keepYears, and after that only while no year archive covers them', () => {
    const young = row('period', 4, { period: '1 четверть' });
    const oldAlone = row('period', 6, { period: '2 четверть' });
    expect(pruned([young, oldAlone])).toEqual([]);
    const oldCovered = row('period', 6.5, { period: '3 четверть' });
    const year = row('year', 6.2, { period: '2033/2034' });
    // The later year archive holds the period's data; the year itself waits for its summary.
    expect(pruned([young, oldCovered, year])).toEqual([oldCovered.fileName]);
    const laterYear = row('year', 5.5, { period: '2033/2034' });
    expect(
      pruned([young, oldCovered, laterYear, row('summary', 5.5, { period: '2033/2034' })]),
    ).toEqual([oldCovered.fileName, laterYear.fileName].sort());
  });

  it('keeps a year archive past keepYears until its summary-sheet archive exists', () => {
    const year = row('year', 7, { period: '2032/2033' });
    expect(pruned([year])).toEqual([]);
    const summary = row('summary', 7, { period: '2032/2033' });
    expect(pruned([year, summary])).toEqual([year.fileName]);
  });

  it('keeps summary-sheet archives keepSummaryYears', () => {
    const s24 = row('summary', 24, { period: '2015/2016' });
    const s26 = row('summary', 26, { period: '2013/2014' });
    expect(pruned([s24, s26])).toEqual([s26.fileName]);
  });
});
