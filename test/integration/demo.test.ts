import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

/**
 * The quick start's main job, run as a user runs it: `ezh demo` in an empty directory. It must
 * sync the sandbox school through the real connector over HTTP, live through a week of the
 * sandbox's timeline, find exactly the violations the sandbox planted (late marks included),
 * and leave every document, the alerts and a verifiable archive in ./out.
 */
describe('ezh demo', () => {
  let cwd: string;
  let res: CliResult;
  const out = (...p: string[]) => join(cwd, 'out', ...p);

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'ezh-demo-'));
    res = runCli(['demo', '--days', '5'], { cwd, timeoutMs: 600_000 });
  }, 620_000);

  it('exits 0 and reports a mirror equal to the platform', () => {
    expect(res.stderr).not.toMatch(/"level":50/);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/First sync \(full\): succeeded/);
    const table = res.stdout.split('Mirror compared with the platform')[1]!.split('\n\n')[0]!;
    const rows = table.split('\n').filter((l) => /^[a-zA-Z]+\s+\d/.test(l));
    expect(rows.length).toBe(13);
    for (const row of rows) {
      const [, platform, mirror] = row.split(/\s+/);
      expect(mirror, row).toBe(platform);
    }
    // The comparison is `ezh verify-mirror`'s: ids and content hashes, not only counts.
    expect(table).toMatch(/^EQUAL: the mirror equals the platform/m);
    expect(statSync(join(cwd, 'data', 'demo.sqlite')).mode & 0o777).toBe(0o600);
  });

  it('finds, per rule, exactly what the sandbox planted, late marks included', () => {
    const findings = JSON.parse(readFileSync(out('findings.json'), 'utf8')) as {
      findings: { rule: string }[];
    };
    const key = JSON.parse(readFileSync(out('answer-key.json'), 'utf8')) as {
      findings: { rule: string }[];
    };
    const count = (xs: { rule: string }[]) =>
      xs.reduce<Record<string, number>>((m, x) => ((m[x.rule] = (m[x.rule] ?? 0) + 1), m), {});
    expect(count(findings.findings)).toEqual(count(key.findings));
    expect(Object.keys(count(key.findings))).toContain('mark-late');
    expect(Object.keys(count(key.findings)).length).toBe(13);
  });

  it('renders every document as a PDF with Cyrillic text', () => {
    const pdfs = readdirSync(out()).filter((f) => f.endsWith('.pdf'));
    for (const prefix of ['journal-', 'audit-', 'performance-', 'activity-']) {
      expect(
        pdfs.some((f) => f.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    // The school's id in every name; students' names and marks readable by the owner only.
    expect(pdfs.filter((f) => /^audit-\d+-\d{4}-\d{2}-\d{2}\.pdf$/.test(f))).toHaveLength(1);
    expect(statSync(out()).mode & 0o777).toBe(0o700);
    for (const f of [...pdfs, 'findings.json', 'answer-key.json']) {
      expect(statSync(out(f)).mode & 0o777, f).toBe(0o600);
    }
    const audit = pdfs.find((f) => f.startsWith('audit-'))!;
    const text = execFileSync('pdftotext', ['-layout', out(audit), '-'], { encoding: 'utf8' });
    expect(text).toContain('Справка по итогам проверки электронного журнала');
    const journal = pdfs.find((f) => f.startsWith('journal-'))!;
    const info = execFileSync('pdfinfo', [out(journal)], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBeGreaterThan(5);
  });

  it('writes one .eml digest per class teacher instead of sending', () => {
    const emls = readdirSync(out('alerts')).filter((f) => f.endsWith('.eml'));
    expect(emls.length).toBeGreaterThanOrEqual(3);
    expect(statSync(out('alerts')).mode & 0o777).toBe(0o700);
    for (const f of emls) expect(statSync(out('alerts', f)).mode & 0o777, f).toBe(0o600);
    expect(readFileSync(out('alerts', emls[0]!), 'utf8')).toMatch(/^Subject: =\?UTF-8\?/m);
  });

  it('leaves a verifiable archive with the printed journals', () => {
    const archives = readdirSync(out('archive')).filter((f) => f.endsWith('.tar.gz'));
    expect(archives.length).toBe(1);
    expect(statSync(out('archive', archives[0]!)).mode & 0o777).toBe(0o600);
    const verify = runCli(['archive', 'verify', out('archive', archives[0]!)], { cwd });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/documents included/);
    expect(existsSync(out('answer-key.json'))).toBe(true);
  });
});
