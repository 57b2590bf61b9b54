import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from '../../src/archive/create.js';
import { fakeRenderer, testArchiveDeps } from '../../src/archive/testing/deps.js';
import { buildArchiveFixture } from '../../src/archive/testing/fixture.js';
import { verifyArchive } from '../../src/archive/verify.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';

const dir = mkdtempSync(join(tmpdir(), 'ezh-archive-verify-'));
let mirror: TestMirror;
let file: string;
let rootName: string;
let members: string[];

beforeAll(async () => {
  mirror = await createTestMirror('sqlite');
  await buildArchiveFixture(mirror.db, { marks: 200 });
  const deps = testArchiveDeps(
    mirror,
    { destinations: [join(dir, 'dest')], workDir: join(dir, 'work') },
    { renderer: fakeRenderer() },
  );
  const result = await createArchive(deps, { kind: 'period', period: '1 четверть' });
  file = result.paths[0]!;
  members = [];
  await tar.t({ file, onReadEntry: (e) => void members.push(e.path) });
  rootName = members[0]!.split('/')[0]!;
});

afterAll(async () => {
  await mirror.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Unpacks the archive, flips one byte of one member, and packs it again in the same order. */
async function tampered(member: string, at: (size: number) => number): Promise<string> {
  const work = mkdtempSync(join(dir, 'tamper-'));
  await tar.x({ file, cwd: work });
  const path = join(work, member);
  const bytes = readFileSync(path);
  const i = at(bytes.length);
  bytes[i] = bytes[i]! ^ 0x01;
  writeFileSync(path, bytes);
  const out = join(work, 'tampered.tar.gz');
  await tar.c({ gzip: true, cwd: work, file: out, portable: true }, members);
  return out;
}

describe('archive verify', () => {
  it('passes an untouched archive and names no file', async () => {
    const report = await verifyArchive(file);
    expect(report.problems).toEqual([]);
    expect(report.files).toBe(members.length);
  });

  const cases: [string, (size: number) => number][] = [
    ['export/marks.csv', (n) => n - 5],
    ['export/record_versions.jsonl', (n) => Math.floor(n / 2)],
    ['export/lessons.csv', (n) => Math.floor(n / 3)],
    ['snapshot/mirror.sqlite', (n) => Math.floor(n / 2)],
    ['manifest.csv', (n) => n - 3],
    ['manifest.json', (n) => Math.floor(n / 2)],
    ['SHA256SUMS', () => 3],
    ['documents/audit.pdf', () => 2],
  ];

  it.each(cases)('fails and names %s when one byte of it changes', async (member, at) => {
    expect(members).toContain(`${rootName}/${member}`);
    const bad = await tampered(`${rootName}/${member}`, at);
    const report = await verifyArchive(bad);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.file)).toContain(member);
  });

  it('names the tarball when its .sha256 sidecar disagrees', async () => {
    const copy = join(dir, 'copy.tar.gz');
    const bad = await tampered(`${rootName}/export/marks.jsonl`, (n) => n - 10);
    copyFileSync(bad, copy);
    copyFileSync(`${file}.sha256`, `${copy}.sha256`);
    const report = await verifyArchive(copy);
    expect(report.problems.map((p) => p.file)).toEqual(
      expect.arrayContaining(['copy.tar.gz', 'export/marks.jsonl']),
    );
  });

  it('names the archive itself when it is not a tarball', async () => {
    const junk = join(dir, 'junk.tar.gz');
    writeFileSync(junk, 'not an archive');
    const report = await verifyArchive(junk);
    expect(report.ok).toBe(false);
    expect(report.problems[0]!.file).toBe('junk.tar.gz');
    expect(readdirSync(join(dir, 'work'))).toEqual([]);
  });
});
