import { chunk } from '../../mirror/sql.js';
import type {
  JournalData,
  JournalLayout,
  JournalLesson,
  JournalPeriod,
  JournalSubject,
} from '../data/journal-types.js';
import { withoutBidiControls } from '../../platform/text.js';
import { clip, ruDate, ruDayMonth, shortName } from '../format.js';

/**
 * Cuts the journal into pages deterministically: every page is one fixed-size sheet whose
 * content is bounded by the layout (lessons per spread, students per page, clipped texts), so
 * the contents page can name page numbers before anything is printed. Pure.
 */

export const CONTENTS_ROWS_PER_PAGE = 24;
export const TOPIC_MAX = 110;
export const HOMEWORK_MAX = 90;

export interface Column {
  label: string;
  /** A period or year mark column (after the last lesson). */
  final: boolean;
}

export interface MarksPage {
  subject: string;
  teacher: string;
  spread: number;
  part: string;
  columns: Column[];
  rows: { no: number; name: string; cells: { text: string; final: boolean }[] }[];
}

export interface TopicsPage {
  subject: string;
  spread: number;
  rows: { no: number; date: string; topic: string; homework: string; teacher: string }[];
  /** Empty rows that keep the ruled lines of a paper page. */
  blanks: number[];
}

export interface ContentsRow {
  title: string;
  teacher: string;
  page: number;
}

export interface JournalPage {
  title?: { schoolName: string; classTitle: string; yearTitle: string; scopeTitle: string };
  contents?: { first: boolean; rows: ContentsRow[] };
  marks?: MarksPage;
  topics?: TopicsPage;
  attendance?: {
    first: boolean;
    rows: { no: number; name: string; missed: number; ill: number; other: number; late: number }[];
  };
  summary?: {
    subjects: { name: string; columns: string[] }[];
    rows: { no: number; name: string; cells: string[] }[];
  };
  remarks?: { lines: number[] };
  certification?: { director: string; pages: number };
}

interface Spread {
  lessons: JournalLesson[];
  finals: { key: string; label: string }[];
}

/** Spreads of one subject: lessons cut per covered period, then by `lessonsPerSpread`. */
export function subjectSpreads(
  subject: JournalSubject,
  data: JournalData,
  layout: JournalLayout,
): Spread[] {
  const spreads: Spread[] = [];
  data.periods.forEach((period, i) => {
    const lessons = subject.lessons.filter((l) => l.periodId === period.id);
    const parts = lessons.length === 0 ? [[]] : chunk(lessons, layout.lessonsPerSpread);
    parts.forEach((part, j) => {
      const last = j === parts.length - 1;
      const finals = last ? [{ key: period.id, label: period.short }] : [];
      if (last && data.wholeYear && i === data.periods.length - 1) {
        finals.push({ key: 'year', label: 'Год' });
      }
      if (part.length > 0 || last) spreads.push({ lessons: part, finals });
    });
  });
  return spreads;
}

export function pagesPerSpread(data: JournalData, layout: JournalLayout): number {
  return Math.max(1, Math.ceil(data.students.length / layout.studentsPerPage)) + 1;
}

export function layoutJournal(data: JournalData, layout: JournalLayout): JournalPage[] {
  const numbered = data.students.map((s, i) => ({ ...s, no: i + 1 }));
  const studentChunks = numbered.length === 0 ? [[]] : chunk(numbered, layout.studentsPerPage);
  // A subgroup's spreads list its own students (numbered within the group).
  const chunksOf = (s: JournalSubject) =>
    s.students
      ? chunk(
          s.students.map((st, i) => ({ ...st, no: i + 1 })),
          layout.studentsPerPage,
        )
      : studentChunks;
  const spreadsBySubject = data.subjects.map((s) => subjectSpreads(s, data, layout));
  const perSpread = studentChunks.length + 1;
  const summaryChunks =
    data.subjects.length === 0 ? [[]] : chunk(data.subjects, layout.subjectsPerSummaryPage);
  const sectionRows = data.subjects.length + 4;
  const contentsPages = Math.max(1, Math.ceil(sectionRows / CONTENTS_ROWS_PER_PAGE));

  // Page numbers first: title, contents, spreads, attendance, summary, remarks, certification.
  let next = 2 + contentsPages;
  const contents: ContentsRow[] = data.subjects.map((s, i) => {
    const row = { title: s.name, teacher: s.teacher, page: next };
    next += spreadsBySubject[i]!.length * (s.students ? chunksOf(s).length + 1 : perSpread);
    return row;
  });
  const sections: [string, number][] = [
    ['Сводная ведомость учёта посещаемости', studentChunks.length],
    ['Сводная ведомость учёта успеваемости', summaryChunks.length * studentChunks.length],
    ['Замечания по ведению журнала', 1],
    ['Заверительная надпись', 1],
  ];
  for (const [title, count] of sections) {
    contents.push({ title, teacher: '', page: next });
    next += count;
  }
  const total = next - 1;

  const pages: JournalPage[] = [
    {
      title: {
        schoolName: data.schoolName,
        classTitle: data.classTitle,
        yearTitle: data.yearTitle,
        scopeTitle: data.scopeTitle,
      },
    },
  ];
  chunk(contents, CONTENTS_ROWS_PER_PAGE).forEach((rows, i) =>
    pages.push({ contents: { first: i === 0, rows } }),
  );

  data.subjects.forEach((subject, si) => {
    spreadsBySubject[si]!.forEach((spread, spreadIndex) => {
      // A paper-like grid: always `lessonsPerSpread` lesson columns (blank when unused), then finals.
      const blankColumns = range(Math.max(0, layout.lessonsPerSpread - spread.lessons.length));
      const columns: Column[] = [
        ...spread.lessons.map((l) => ({ label: ruDayMonth(l.date), final: false })),
        ...blankColumns.map(() => ({ label: '', final: false })),
        ...spread.finals.map((f) => ({ label: f.label, final: true })),
      ];
      const chunks = chunksOf(subject);
      chunks.forEach((students, ci) => {
        pages.push({
          marks: {
            subject: subject.name,
            teacher: subject.teacher,
            spread: spreadIndex + 1,
            part: chunks.length > 1 ? ` (${ci + 1}/${chunks.length})` : '',
            columns,
            rows: students.map((s) => ({
              no: s.no,
              name: s.fullName,
              cells: [
                ...spread.lessons.map((l) => ({ text: l.cells[s.id] ?? '', final: false })),
                ...blankColumns.map(() => ({ text: '', final: false })),
                ...spread.finals.map((f) => ({
                  text: subject.finals[f.key]?.[s.id] ?? '',
                  final: true,
                })),
              ],
            })),
          },
        });
      });
      const lessonNo = spreadsBySubject[si]!.slice(0, spreadIndex).reduce(
        (n, sp) => n + sp.lessons.length,
        0,
      );
      pages.push({
        topics: {
          subject: subject.name,
          spread: spreadIndex + 1,
          rows: spread.lessons.map((l, i) => ({
            no: lessonNo + i + 1,
            date: ruDate(l.date),
            // Printed without bidirectional overrides: they would reorder the printed line.
            topic: clip(withoutBidiControls(l.topic ?? ''), TOPIC_MAX),
            homework: clip(withoutBidiControls(l.homework ?? ''), HOMEWORK_MAX),
            // A lesson taught by several teachers lists them all («Петрова А. И., Орлов К. С.»).
            teacher: (l.teacher ?? '').split(', ').map(shortName).join(', '),
          })),
          blanks: range(Math.max(0, layout.lessonsPerSpread - spread.lessons.length)),
        },
      });
    });
  });

  const numberedChunks = studentChunks;
  numberedChunks.forEach((students, i) =>
    pages.push({
      attendance: {
        first: i === 0,
        rows: students.map((s) => {
          const a = data.attendance[s.id] ?? { missed: 0, ill: 0, late: 0 };
          return {
            no: s.no,
            name: s.fullName,
            missed: a.missed,
            ill: a.ill,
            other: a.missed - a.ill,
            late: a.late,
          };
        }),
      },
    }),
  );

  const finalKeys: JournalPeriod[] = [
    ...data.yearPeriods,
    { id: 'year', name: 'Год', short: 'Год', start: '', finish: '' },
  ];
  for (const subjects of summaryChunks) {
    for (const students of numberedChunks) {
      pages.push({
        summary: {
          subjects: subjects.map((s) => ({ name: s.name, columns: finalKeys.map((p) => p.short) })),
          rows: students.map((st) => ({
            no: st.no,
            name: st.fullName,
            cells: subjects.flatMap((s) => finalKeys.map((p) => s.finals[p.id]?.[st.id] ?? '')),
          })),
        },
      });
    }
  }
  pages.push({ remarks: { lines: range(18) } });
  pages.push({ certification: { director: data.director ?? '', pages: total } });
  if (pages.length !== total) {
    throw new Error(`journal layout: ${pages.length} pages laid out, ${total} numbered`);
  }
  return pages;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
