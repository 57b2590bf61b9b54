import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `final_marks (class_id, subject_id)` becomes `(class_id, subject_id, student_id, period_id)`:
 * "has this student a period mark in this subject and period?" is then one index probe instead
 * of a read of the class's marks in the subject (~125 rows), which let the period rules
 * (`final-mark-missing`, `final-mark-objectivity`) drop the copy of every final mark they made
 * per run. Lookups by class and subject use the new index's prefix as before.
 * Frozen: later changes are new migrations.
 */
const OLD = {
  name: 'idx_final_marks_class_id_subject_id',
  columnNames: ['class_id', 'subject_id'],
};
const NEW = {
  name: 'idx_final_marks_class_id_subject_id_student_id_period_id',
  columnNames: ['class_id', 'subject_id', 'student_id', 'period_id'],
};

export class FinalMarksIndex1763900000007 implements MigrationInterface {
  name = 'FinalMarksIndex1763900000007';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('final_marks', new TableIndex(NEW));
    await qr.dropIndex('final_marks', OLD.name);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.createIndex('final_marks', new TableIndex(OLD));
    await qr.dropIndex('final_marks', NEW.name);
  }
}
