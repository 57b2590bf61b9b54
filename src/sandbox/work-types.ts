import { CONTROL_WORK_KINDS } from '../connectors/work-kinds.js';
/**
 * The school's work types (виды работ) with the kinds and weights the rules depend on: control
 * kinds decide the 7-day deadline and `control-work-unmarked`; weights make the weighted average.
 */

export interface WorkTypeDef {
  /** Platform work type id (small numbers, safe as JS numbers). */
  id: number;
  kindId: number;
  kind: string;
  title: string;
  abbr: string;
  weight: number;
  isFinal: boolean;
  isImportant: boolean;
}

export const WORK_TYPES: readonly WorkTypeDef[] = [
  {
    id: 0,
    kindId: 1,
    kind: 'LessonAnswer',
    title: 'Ответ на уроке',
    abbr: 'О',
    weight: 1,
    isFinal: false,
    isImportant: false,
  },
  {
    id: 0,
    kindId: 2,
    kind: 'LessonHomework',
    title: 'Домашняя работа',
    abbr: 'ДР',
    weight: 1,
    isFinal: false,
    isImportant: false,
  },
  {
    id: 0,
    kindId: 3,
    kind: 'LessonSelfWork',
    title: 'Самостоятельная работа',
    abbr: 'СР',
    weight: 1.2,
    isFinal: false,
    isImportant: false,
  },
  {
    id: 0,
    kindId: 4,
    kind: 'LessonControlWork',
    title: 'Контрольная работа',
    abbr: 'КР',
    weight: 1.5,
    isFinal: false,
    isImportant: true,
  },
  {
    id: 0,
    kindId: 5,
    kind: 'LessonControlDictation',
    title: 'Контрольный диктант',
    abbr: 'КД',
    weight: 1.5,
    isFinal: false,
    isImportant: true,
  },
  {
    id: 0,
    kindId: 6,
    kind: 'LessonPracticalWork',
    title: 'Практическая работа',
    abbr: 'ПР',
    weight: 1.3,
    isFinal: false,
    isImportant: false,
  },
  {
    id: 0,
    kindId: 7,
    kind: 'PeriodMark',
    title: 'Отметка за период',
    abbr: 'ИТ',
    weight: 1,
    isFinal: true,
    isImportant: true,
  },
].map((w, i) => ({ ...w, id: 70100 + i }));

/** docs/rules.md, `controlKinds` default: the very list the checks use, so key and engine agree. */
export const CONTROL_KINDS: ReadonlySet<string> = new Set(CONTROL_WORK_KINDS);

export function workTypeByKind(kind: string): WorkTypeDef {
  const def = WORK_TYPES.find((w) => w.kind === kind);
  if (!def) throw new Error(`unknown work kind ${kind}`);
  return def;
}

export function workTypeById(id: string | number): WorkTypeDef | undefined {
  return WORK_TYPES.find((w) => String(w.id) === String(id));
}

export function isControlKind(kind: string | null | undefined): boolean {
  return kind != null && CONTROL_KINDS.has(kind);
}
