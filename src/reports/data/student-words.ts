/**
 * How a document names a student (001: «обучающийся»): by the platform's `sex` (persons.sex,
 * `Male` / `Female`) where the mirror has it, else the regulations' generic «обучающийся» (a
 * student without consent keeps no `sex`: privacy.ts).
 */
export function studentNoun(sex: string | null | undefined): { nom: string; gen: string } {
  return /^f/i.test(sex ?? '')
    ? { nom: 'обучающаяся', gen: 'обучающейся' }
    : { nom: 'обучающийся', gen: 'обучающегося' };
}

/**
 * A finding's message as the справка prints it: the checks' «ученик Фамилия» and «отсутствовавшего
 * ученика» in the document's words and the student's gender; nothing else is touched.
 */
export function withStudentWords(message: string, sex: string | null | undefined): string {
  const noun = studentNoun(sex);
  const female = noun.nom === 'обучающаяся';
  return message
    .replace(/(^|[\s(,])ученик(?=\s+[А-ЯЁ])/g, `$1${noun.nom}`)
    .replace(/отсутствовавшего ученика/g, female ? 'отсутствовавшей обучающейся' : 'отсутствовавшего обучающегося');
}
