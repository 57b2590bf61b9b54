import { describe, expect, it } from 'vitest';
import { archiveCopies } from './archive-documents.js';
import { sampleDocument } from '../../test/fixtures/documents/sample.document.js';
import { createDocumentRegistry } from '../reports/define-document.js';
import { DOCUMENT_DEFINITIONS } from '../reports/registry.js';

const AS_OF = Date.UTC(2026, 9, 28, 9);
const CLASSES = [
  { id: 'c5a', name: '5А' },
  { id: 'c5b', name: '5Б' },
];
const ARCHIVE = { fileName: 'ezh-archive-period.tar.gz', dataSha256: 'ab'.repeat(32) };
const summary = (copies: ReturnType<typeof archiveCopies>) =>
  copies.map((c) => ({ id: c.definition.id, folder: c.folder, params: c.params }));

describe('the documents an archive carries derive from the document registry', () => {
  it('a regular archive carries the compliance note only, as a record (not an issued справка)', () => {
    expect(summary(archiveCopies({ asOf: AS_OF, classes: [], journals: null }))).toEqual([
      { id: 'audit', folder: null, params: [{ asOf: AS_OF, record: false }] },
    ]);
  });

  it('a period archive carries the journal of every class (naming the archive), then the note', () => {
    const copies = archiveCopies({
      asOf: AS_OF,
      classes: CLASSES,
      journals: { kind: 'period', name: '1 четверть' },
      archive: ARCHIVE,
    });
    expect(summary(copies)).toEqual([
      {
        id: 'journal',
        folder: 'journals',
        params: [
          { className: '5А', period: '1 четверть', archive: ARCHIVE },
          { className: '5Б', period: '1 четверть', archive: ARCHIVE },
        ],
      },
      { id: 'audit', folder: null, params: [{ asOf: AS_OF, record: false }] },
    ]);
  });

  it('a year archive prints the journals of the whole year', () => {
    const [journal] = archiveCopies({
      asOf: AS_OF,
      classes: CLASSES.slice(0, 1),
      journals: { kind: 'year', label: '2026-2027' },
    });
    expect(journal?.params).toEqual([{ className: '5А', period: null }]);
  });

  it('a new document with `archive` is carried without any change to the archive', () => {
    const registry = createDocumentRegistry([
      ...DOCUMENT_DEFINITIONS,
      {
        ...sampleDocument,
        archive: { folder: 'lists', copies: (o) => (o.journals ? [{}] : []) },
      },
    ]);
    const period = { kind: 'period', name: '1 четверть' } as const;
    expect(
      archiveCopies({ asOf: AS_OF, classes: CLASSES, journals: period }, registry).map(
        (c) => `${c.definition.id}:${c.folder}:${c.params.length}`,
      ),
    ).toEqual(['journal:journals:2', 'audit:null:1', 'sample:lists:1']);
    expect(
      archiveCopies({ asOf: AS_OF, classes: [], journals: null }, registry).map(
        (c) => c.definition.id,
      ),
    ).toEqual(['audit']);
  });

  it('refuses an archive folder that is no plain word (it becomes a path inside the archive)', () => {
    expect(() =>
      createDocumentRegistry([
        { ...sampleDocument, archive: { folder: '../out', copies: () => [{}] } },
      ]),
    ).toThrow(/archive folder/);
  });
});
