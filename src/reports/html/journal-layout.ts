import { chunk } from '../../mirror/sql.js';
import type {
  JournalCell,
  JournalData,
  JournalLayout,
  JournalLesson,
  JournalPeriod,
  JournalStudent,
  JournalSubject,
} from '../data/journal-types.js';
import { withoutBidiControls } from '../../platform/text.js';
import { ruDate, ruDateTime, ruDayMonth, shortName } from '../format.js';

/**
 * Cuts the journal into pages deterministically: every page is one fixed-size sheet whose
 * content is bounded by the layout (lessons per spread, students per page, estimated heights of
 * the wrapped texts), so the contents page can name page numbers before anything is printed. Pure.
 */

export const CONTENTS_ROWS_PER_PAGE = 24;
/**
 * Topics and homework wrap, never cut (an archival copy must not lose text): a right page takes
 * lessons while their estimated height fits, and the rest go on a continuation page. The
 * estimate is conservative (fewer characters per line than the font gives), so a row never
 * overflows the fixed-size sheet.
 */
export const TOPIC_CHARS_PER_LINE = 62;
export const HOMEWORK_CHARS_PER_LINE = 48;
/** mm: one text line, a row's padding, the rows' budget on a right page (sheet minus headings). */
const LINE_MM = 3.9;
const ROW_PAD_MM = 1.6;
export const TOPICS_BUDGET_MM = 151;
const BLANK_ROW_MM = 2 * LINE_MM + ROW_PAD_MM;

export interface Column {
  label: string;
  /** A period or year mark column (after the last lesson). */
  final: boolean;
}

export interface MarkCell {
  /** Attendance code («н», «б», «п», «оп») or null. */
  att: string | null;
  marks: { value: string; work: string | null }[];
  final: boolean;
  /** The day falls outside the student's time in the class. */
  out: boolean;
  /** An entry the regulations forbid here (a mark in grade 1): printed with a note. */
  forbidden: boolean;
}

export interface MarksPage {
  subject: string;
  teacher: string;
  spread: number;
  part: string;
  ungraded: boolean;
  /** Lesson columns, then the unused columns (struck through), then finals. */
  columns: Column[];
  /** Unused lesson columns: one struck-through cell spanning them and every row. */
  unused: { columns: number; rows: number } | null;
  /** One entry per unused column (the template's loop). */
  blankColumns: number[];
  finals: Column[];
  rows: {
    no: number;
    name: string;
    /** A name too long for one line at the grid's size: printed smaller, on two lines. */
    long: boolean;
    movement: string;
    cells: MarkCell[];
    finals: MarkCell[];
  }[];
  /** A forbidden entry is on this page: the note under the grid says why it is marked. */
  forbiddenNote: boolean;
}

export interface TopicsRow {
  no: number;
  date: string;
  topic: string;
  /** «Контрольная работа» etc.: printed before the topic. */
  control: string | null;
  homework: string;
  /** Homework in grade 1 (not given there): printed with a note. */
  forbiddenHomework: boolean;
  teacher: string;
}

export interface TopicsPage {
  subject: string;
  spread: number;
  /** «» on the first right page of a spread, « (продолжение)» on the next. */
  part: string;
  ungraded: boolean;
  rows: TopicsRow[];
  /** Empty rows that keep the ruled lines of a paper page: struck through together. */
  blanks: number[];
}

export interface ContentsRow {
  title: string;
  teacher: string;
  page: number;
}

export interface JournalPage {
  title?: {
    schoolName: string;
    classTitle: string;
    yearTitle: string;
    scopeTitle: string;
    ungraded: boolean;
  };
  contents?: { first: boolean; rows: ContentsRow[] };
  marks?: MarksPage;
  topics?: TopicsPage;
  attendance?: {
    first: boolean;
    rows: {
      no: number;
      name: string;
      long: boolean;
      movement: string;
      daysMissed: number;
      daysIll: number;
      missed: number;
      ill: number;
      other: number;
      late: number;
    }[];
  };
  summary?: {
    subjects: { name: string; columns: string[] }[];
    rows: { no: number; name: string; long: boolean; cells: string[] }[];
  };
  remarks?: { lines: number[] };
  /**
   * A page left blank so that the next spread's left page falls on an even number (facing its
   * right page when printed double-sided): struck through with a «Z», nothing can be written in.
   */
  filler?: true;
  certification?: Certification;
}

export interface Certification {
  director: string;
  deputyDirector: string;
  pages: number;
  /** «125 страниц» */
  pagesText: string;
  /** The print date, dd.mm.yyyy. */
  date: string;
  /** «Данные на …» of the mirror's last successful sync. */
  dataAsOf: string;
  copy: { what: string; fileName: string; sha256: string | null; sha256Note: string } | null;
}

interface Spread {
  lessons: JournalLesson[];
  finals: { key: string; label: string }[];
  /** The right pages: lessons cut where the wrapped texts fill a page. */
  topicPages: JournalLesson[][];
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
      // Grade 1 has no period marks: no final columns.
      const finals = last && !data.ungraded ? [{ key: period.id, label: period.short }] : [];
      if (last && !data.ungraded && data.wholeYear && i === data.periods.length - 1) {
        finals.push({ key: 'year', label: 'Год' });
      }
      if (part.length > 0 || last) {
        spreads.push({ lessons: part, finals, topicPages: topicPages(part) });
      }
    });
  });
  return spreads;
}

/** Estimated height of a lesson's row on the right page, in mm. */
export function topicRowMm(lesson: Pick<JournalLesson, 'topic' | 'homework' | 'control'>): number {
  const topic = topicText(lesson.topic, lesson.control);
  const lines = Math.max(
    2,
    estimatedLines(topic, TOPIC_CHARS_PER_LINE),
    estimatedLines(lesson.homework ?? '', HOMEWORK_CHARS_PER_LINE),
  );
  return lines * LINE_MM + ROW_PAD_MM;
}

function estimatedLines(text: string, perLine: number): number {
  return text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / perLine)), 0);
}

function topicText(topic: string | null, control: string | null): string {
  return [control ? `${control}.` : '', topic ?? ''].filter(Boolean).join(' ');
}

function topicPages(lessons: JournalLesson[]): JournalLesson[][] {
  const pages: JournalLesson[][] = [[]];
  let used = 0;
  for (const l of lessons) {
    const h = topicRowMm(l);
    if (used + h > TOPICS_BUDGET_MM && pages[pages.length - 1]!.length > 0) {
      pages.push([]);
      used = 0;
    }
    pages[pages.length - 1]!.push(l);
    used += h;
  }
  return pages;
}

/**
 * Pages of a spread printed double-sided: left pages (marks) on even numbers, each facing its right
 * page (topics) on the next odd one; a left or right page without a partner faces a blank filler.
 */
export function spreadPages(marksPages: number, topicPages: number): number {
  return 2 * Math.max(marksPages, topicPages);
}

export function pagesPerSpread(data: JournalData, layout: JournalLayout): number {
  return spreadPages(Math.max(1, Math.ceil(data.students.length / layout.studentsPerPage)), 1);
}

export function layoutJournal(data: JournalData, layout: JournalLayout): JournalPage[] {
  const numbered = data.students.map((s, i) => ({ ...s, no: i + 1 }));
  const studentChunks = numbered.length === 0 ? [[]] : chunk(numbered, layout.studentsPerPage);
  // A subgroup's spreads list its own students (numbered within the group).
  // A group with nobody listed still gets its (empty) marks page, as the class does.
  const chunksOf = (s: JournalSubject) =>
    s.students && s.students.length === 0
      ? [[]]
      : s.students
        ? chunk(
            s.students.map((st, i) => ({ ...st, no: i + 1 })),
            layout.studentsPerPage,
          )
        : studentChunks;
  const spreadsBySubject = data.subjects.map((s) => subjectSpreads(s, data, layout));
  const pagesOf = (s: JournalSubject, spread: Spread): number =>
    spreadPages(chunksOf(s).length, spread.topicPages.length);
  // Grade 1 has no сводная ведомость успеваемости (безотметочное обучение).
  const summaryChunks = data.ungraded
    ? []
    : data.subjects.length === 0
      ? [[]]
      : chunk(data.subjects, layout.subjectsPerSummaryPage);
  const sectionRows = data.subjects.length + (data.ungraded ? 3 : 4);
  const contentsPages = Math.max(1, Math.ceil(sectionRows / CONTENTS_ROWS_PER_PAGE));

  // Page numbers first: title, contents, spreads, attendance, summary, remarks, certification.
  let next = 2 + contentsPages;
  // The first spread's left page on an even number (every spread has an even count of pages).
  const leadFiller = data.subjects.length > 0 && next % 2 === 1;
  if (leadFiller) next++;
  const contents: ContentsRow[] = data.subjects.map((s, i) => {
    const row = { title: s.name, teacher: s.teacher, page: next };
    next += spreadsBySubject[i]!.reduce((n, sp) => n + pagesOf(s, sp), 0);
    return row;
  });
  const sections: [string, number][] = [
    ['Сводная ведомость учёта посещаемости', studentChunks.length],
    ...(data.ungraded
      ? []
      : ([
          ['Сводная ведомость учёта успеваемости', summaryChunks.length * studentChunks.length],
        ] as [string, number][])),
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
        ungraded: data.ungraded,
      },
    },
  ];
  chunk(contents, CONTENTS_ROWS_PER_PAGE).forEach((rows, i) =>
    pages.push({ contents: { first: i === 0, rows } }),
  );
  if (leadFiller) pages.push({ filler: true });

  data.subjects.forEach((subject, si) => {
    spreadsBySubject[si]!.forEach((spread, spreadIndex) => {
      // A paper-like grid: always `lessonsPerSpread` lesson columns, the unused ones struck
      // through (nothing can be written in later), then finals.
      const blankCount = Math.max(0, layout.lessonsPerSpread - spread.lessons.length);
      const columns: Column[] = spread.lessons.map((l) => ({
        label: ruDayMonth(l.date),
        final: false,
      }));
      const finals: Column[] = spread.finals.map((f) => ({ label: f.label, final: true }));
      const chunks = chunksOf(subject);
      const lefts: JournalPage[] = [];
      const rights: JournalPage[] = [];
      chunks.forEach((students, ci) => {
        const rows = students.map((s) => ({
          no: s.no,
          name: s.fullName,
          long: isLongName(s.fullName),
          movement: s.movement.join(', '),
          cells: spread.lessons.map((l) => markCell(l.cells[s.id], l.date, s, data.ungraded)),
          finals: spread.finals.map((f) => {
            const value = subject.finals[f.key]?.[s.id];
            return {
              att: null,
              marks: value ? [{ value, work: null }] : [],
              final: true,
              out: false,
              forbidden: false,
            };
          }),
        }));
        lefts.push({
          marks: {
            subject: subject.name,
            teacher: subject.teacher,
            spread: spreadIndex + 1,
            part: chunks.length > 1 ? ` (${ci + 1}/${chunks.length})` : '',
            ungraded: data.ungraded,
            columns,
            unused:
              blankCount > 0 && rows.length > 0 ? { columns: blankCount, rows: rows.length } : null,
            blankColumns: range(blankCount),
            finals,
            rows,
            forbiddenNote: rows.some((r) => r.cells.some((c) => c.forbidden)),
          },
        });
      });
      let lessonNo = spreadsBySubject[si]!.slice(0, spreadIndex).reduce(
        (n, sp) => n + sp.lessons.length,
        0,
      );
      spread.topicPages.forEach((lessons, pi) => {
        const last = pi === spread.topicPages.length - 1;
        const used = lessons.reduce((mm, l) => mm + topicRowMm(l), 0);
        const blankRows = last
          ? Math.max(
              0,
              Math.min(
                layout.lessonsPerSpread - spread.lessons.length,
                Math.floor((TOPICS_BUDGET_MM - used) / BLANK_ROW_MM),
              ),
            )
          : 0;
        rights.push({
          topics: {
            subject: subject.name,
            spread: spreadIndex + 1,
            part: pi > 0 ? ' (продолжение)' : '',
            ungraded: data.ungraded,
            rows: lessons.map((l) => ({
              no: ++lessonNo,
              date: ruDate(l.date),
              // Printed without bidirectional overrides: they would reorder the printed line.
              topic: withoutBidiControls(l.topic ?? ''),
              control: l.control,
              homework: withoutBidiControls(l.homework ?? ''),
              forbiddenHomework: data.ungraded && (l.homework ?? '') !== '',
              // A lesson taught by several teachers lists them all («Петрова А. И., Орлов К. С.»).
              teacher: (l.teacher ?? '').split(', ').map(shortName).join(', '),
            })),
            blanks: range(blankRows),
          },
        });
      });
      for (let i = 0; i < Math.max(lefts.length, rights.length); i++) {
        pages.push(lefts[i] ?? { filler: true }, rights[i] ?? { filler: true });
      }
    });
  });

  const numberedChunks = studentChunks;
  numberedChunks.forEach((students, i) =>
    pages.push({
      attendance: {
        first: i === 0,
        rows: students.map((s) => {
          const a = data.attendance[s.id] ?? {
            daysMissed: 0,
            daysIll: 0,
            missed: 0,
            ill: 0,
            late: 0,
          };
          return {
            no: s.no,
            name: s.fullName,
            long: isLongName(s.fullName),
            movement: s.movement.join(', '),
            daysMissed: a.daysMissed,
            daysIll: a.daysIll,
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
            long: isLongName(st.fullName),
            cells: subjects.flatMap((s) => finalKeys.map((p) => s.finals[p.id]?.[st.id] ?? '')),
          })),
        },
      });
    }
  }
  pages.push({ remarks: { lines: range(18) } });
  pages.push({ certification: certification(data, total) });
  if (pages.length !== total) {
    throw new Error(`journal layout: ${pages.length} pages laid out, ${total} numbered`);
  }
  return pages;
}

/** The certification page: dated, the deputy director who binds, the electronic copy it belongs to. */
function certification(data: JournalData, pages: number): Certification {
  const copy = data.copy;
  return {
    director: data.director ?? '',
    deputyDirector: data.deputyDirector ?? '',
    pages,
    pagesText: `${pages} ${ruPlural(pages, 'страница', 'страницы', 'страниц')}`,
    date: ruDateTime(data.printedAt, data.zone).slice(0, 10),
    dataAsOf: dataAsOfText(data),
    copy:
      copy === null
        ? null
        : copy.kind === 'archive'
          ? {
              what: 'архив электронного журнала',
              fileName: copy.fileName,
              sha256: copy.dataSha256,
              sha256Note: `${copy.dataSha256 ? 'SHA-256 снимка данных журнала (snapshot/mirror.sqlite) в архиве; ' : ''}SHA-256 самого архива — в реестре архивов (ezh archive list), контрольные суммы его файлов — в SHA256SUMS`,
            }
          : {
              what: 'электронная копия (PDF)',
              fileName: copy.fileName,
              sha256: null,
              sha256Note: `SHA-256 этого файла — в файле «${copy.fileName}.sha256» рядом с ним`,
            },
  };
}

/** «Данные на 16.11.2026 07:00» (the mirror's last successful sync, in the school's zone). */
export function dataAsOfText(data: Pick<JournalData, 'dataAsOf' | 'zone'>): string {
  return data.dataAsOf === null
    ? 'Данные: синхронизаций с платформой ещё не было'
    : `Данные на ${ruDateTime(data.dataAsOf, data.zone)}`;
}

/** Russian plural: 1 страница, 2 страницы, 5 страниц, 21 страница, 11 страниц. */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const d = n % 10;
  const dd = n % 100;
  if (d === 1 && dd !== 11) return one;
  if (d >= 2 && d <= 4 && (dd < 12 || dd > 14)) return few;
  return many;
}

/** A left page's cell: outside the student's time in the class it is shaded; grade-1 marks flagged. */
function markCell(
  cell: JournalCell | undefined,
  date: string,
  student: JournalStudent,
  ungraded: boolean,
): MarkCell {
  const out =
    (student.from !== null && date < student.from) ||
    (student.until !== null && date >= student.until);
  const marks = cell?.marks ?? [];
  return {
    att: cell?.attendance ?? null,
    marks,
    final: false,
    out,
    forbidden: ungraded && marks.length > 0,
  };
}

/** Names are never cut: past ~32 characters (58 mm at 8.5 pt) they print smaller, wrapped. */
const isLongName = (name: string): boolean => name.length > 32;

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
