/**
 * The platform's kinds of control works (контрольные работы) among its work types: the default of
 * the rules' `controlKinds` (docs/rules.md) and the kinds the sandbox emulates as control works.
 * Platform vocabulary, so it lives with the connectors: checks and the sandbox both read it here.
 */
export const CONTROL_WORK_KINDS: readonly string[] = [
  'LessonControlWork',
  'LessonAdministrativeControlWork',
  'LessonFinalControlWork',
  'LessonControlDictation',
  'LessonFinalControlDictation',
  'LessonDiagnosticCut',
  'LessonTest',
  'LessonTestWork',
  'LessonLaboratoryWork',
  'LessonPracticalWork',
  'LessonComposition',
  'LessonEssay',
  'LessonExposition',
  'LessonExpositionComposition',
  'LessonThematicWork',
];
