import { Initial1763900000001 } from './0001-initial.js';
import { Checks1763900000002 } from './0002-checks.js';
import { Alerts1763900000003 } from './0003-alerts.js';
import { Archive1763900000004 } from './0004-archive.js';
import { CheckIndexes1763900000005 } from './0005-check-indexes.js';
import { PeriodMarkTotals1763900000006 } from './0006-period-mark-totals.js';
import { CheckProbeIndexes1763900000007 } from './0007-check-probe-indexes.js';
import { LessonOrder1763900000008 } from './0008-lesson-order.js';
import { CoveringProbeIndexes1763900000009 } from './0009-covering-probe-indexes.js';
import { MarkLateIndex1763900000010 } from './0010-mark-late-index.js';
import { FindingsTruth1763900000012 } from './0012-findings-truth.js';
import { RunLeases1763900000013 } from './0013-run-leases.js';
import { MarksEnteredByLesson1763900000015 } from './0015-marks-entered-by-lesson.js';
import { SubgroupLessons1763900000016 } from './0016-subgroup-lessons.js';
import { TotalsGradedMarks1763900000017 } from './0017-totals-graded-marks.js';
import { EnrollmentSpans1763900000021 } from './0021-enrollment-spans.js';
import { FindingActions1763900000020 } from './0020-finding-actions.js';
import { AuditNotes1763900000022 } from './0022-audit-notes.js';
import { WebAccounts1763900000023 } from './0023-web-accounts.js';
import { WebRenders1763900000026 } from './0026-web-renders.js';
import { DataVersions1763900000027 } from './0027-data-versions.js';
import { SchoolIndexes1763900000028 } from './0028-school-indexes.js';
import { SchoolPartialIndexes1763900000029 } from './0029-school-partial-indexes.js';
import { LessonEntryTotals1763900000030 } from './0030-lesson-entry-totals.js';
import { LessonCellTotals1763900000031 } from './0031-lesson-cell-totals.js';

/**
 * Every migration, oldest first. A capability that needs tables adds its own migration file and
 * one line here; migrations are never edited once landed.
 */
export const MIGRATIONS = [
  Initial1763900000001,
  Checks1763900000002,
  Alerts1763900000003,
  Archive1763900000004,
  CheckIndexes1763900000005,
  PeriodMarkTotals1763900000006,
  CheckProbeIndexes1763900000007,
  LessonOrder1763900000008,
  CoveringProbeIndexes1763900000009,
  MarkLateIndex1763900000010,
  FindingsTruth1763900000012,
  RunLeases1763900000013,
  MarksEnteredByLesson1763900000015,
  SubgroupLessons1763900000016,
  TotalsGradedMarks1763900000017,
  FindingActions1763900000020,
  EnrollmentSpans1763900000021,
  AuditNotes1763900000022,
  WebAccounts1763900000023,
  WebRenders1763900000026,
  DataVersions1763900000027,
  SchoolIndexes1763900000028,
  SchoolPartialIndexes1763900000029,
  LessonEntryTotals1763900000030,
  LessonCellTotals1763900000031,
];
