import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { FindingsService } from '../../src/app/findings-service.js';
import { openMirror, type Mirror } from '../../src/mirror/data-source.js';
import { startWebServer, type WebServer } from '../../src/web/server.js';
import { startWebHarness, WebClient, type WebHarness } from './harness.js';

/**
 * The pages read through a per-process cache (src/app/read-cache.ts): what a user just did, or a
 * check run just found, must show on the next page, on this server and on another `ezh serve`
 * process over the same mirror (service mode: any process answers any click). And the long lists
 * come a page at a time.
 */
describe('web pages: fresh after every change, and long lists in pages', () => {
  let h: WebHarness;
  let second: { web: WebServer; mirror: Mirror };

  beforeAll(async () => {
    h = await startWebHarness({
      checks: true,
      // One key for both servers, as service mode requires: a session is valid on either.
      web: { sessionSecret: 'a1'.repeat(32) },
      // The small sandbox school has a few dozen findings; a large one has thousands. Copies of
      // them (other keys, same rows) make a school with more than a page of findings.
      prepare: async ({ mirror }) => {
        const [one] = await mirror.db.query('SELECT * FROM findings LIMIT 1');
        const cols = Object.keys(one!).filter((c) => c !== 'key');
        for (const n of [1, 2, 3, 4, 5]) {
          await mirror.db.run(
            `INSERT INTO findings (key, ${cols.join(', ')})
             SELECT key || '-copy${n}', ${cols.join(', ')} FROM findings WHERE key NOT LIKE '%-copy%'`,
          );
          // And their history, as the checks would have written it.
          await mirror.db.run(
            `INSERT INTO finding_events (finding_key, run_id, kind, school_id, rule, teacher_id, class_id, at)
             SELECT finding_key || '-copy${n}', run_id, kind, school_id, rule, teacher_id, class_id, at
             FROM finding_events WHERE finding_key NOT LIKE '%-copy%'`,
          );
        }
      },
    });
    // A second server process's view of the same mirror: its own connection and its own cache.
    const mirror = await openMirror(h.mirror.database);
    const app: AppContext = { ...h.app, mirror: () => Promise.resolve(mirror) };
    const web = await startWebServer({ app, host: '127.0.0.1', port: 0, now: h.now });
    second = { web, mirror };
  }, 240_000);
  afterAll(async () => {
    await second?.web.close();
    await second?.mirror.close();
    await h?.close();
  });

  /** The trend's «Нерешённых» of the last week (the week ending now). */
  const trendNow = (html: string): number => {
    const weeks = [
      ...html.matchAll(/<td>[^<]*<\/td><td class="num">(\d+)<\/td><td class="num">\d+<\/td>/g),
    ];
    return Number(weeks.at(-1)?.[1] ?? NaN);
  };
  const total = (html: string): number => {
    const m = /Открытых замечаний: <a [^>]*><strong>(\d+)<\/strong>/.exec(html);
    return Number(m?.[1] ?? NaN);
  };

  it('a waived finding leaves the dashboard, its trend and its class page at once, on both servers', async () => {
    const admin = await h.loginAs('admin');
    // The same session on the other server (the proxy may send the next click anywhere).
    const elsewhere = new WebClient(second.web.url);
    for (const [k, v] of admin.cookies) elsewhere.cookies.set(k, v);

    const [f] = await new FindingsService(h.mirror.db).list({ states: ['open'] });
    expect(f?.classId).toBeTruthy();
    const classPath = `/classes/${encodeURIComponent(f!.classId!)}`;
    const dashboard = (await admin.get('/admin')).text;
    // The trend's week ending now counts what the total counts: the waived ones left out.
    expect(trendNow(dashboard)).toBe(total(dashboard));
    // And draws it: ECharts' SVG as an image, its bar of the week ending now labelled with it.
    const chart = /<img class="chart" src="data:image\/svg\+xml;base64,([^"]+)"/.exec(dashboard);
    const svg = Buffer.from(chart?.[1] ?? '', 'base64').toString('utf8');
    expect(svg).toContain('Замечания по неделям');
    expect(svg).toContain(`>${total(dashboard)}</text>`);
    const before = {
      here: total(dashboard),
      there: total((await elsewhere.get('/admin')).text),
      klass: (await elsewhere.get(classPath)).text,
    };
    expect(before.here).toBeGreaterThan(0);
    expect(before.there).toBe(before.here);
    const classCount = Number(/Открытые замечания \((\d+)\)/.exec(before.klass)?.[1]);
    expect(classCount).toBeGreaterThan(0);

    const r = await admin.post(
      `/findings/${encodeURIComponent(f!.id)}/waive`,
      { reason: 'урок перенесён приказом' },
      { from: `/findings/${encodeURIComponent(f!.id)}` },
    );
    expect(r.status).toBe(302);
    const waived = (await admin.get('/admin')).text;
    expect(total(waived)).toBe(before.here - 1);
    expect(trendNow(waived)).toBe(before.here - 1);
    expect(total((await elsewhere.get('/admin')).text)).toBe(before.here - 1);
    const after = (await elsewhere.get(classPath)).text;
    expect(Number(/Открытые замечания \((\d+)\)/.exec(after)?.[1])).toBe(classCount - 1);

    // Reopened from the other server: back on both.
    const back = await elsewhere.post(
      `/findings/${encodeURIComponent(f!.id)}/reopen`,
      {},
      { from: `/findings/${encodeURIComponent(f!.id)}` },
    );
    expect(back.status).toBe(302);
    const reopened = (await admin.get('/admin')).text;
    expect(total(reopened)).toBe(before.here);
    expect(trendNow(reopened)).toBe(before.here);
  });

  it('the drill-down shows 100 rows a page, with links to the others that keep the filters', async () => {
    const admin = await h.loginAs('admin');
    const all = await new FindingsService(h.mirror.db).list({ states: ['open', 'acknowledged'] });
    // The sandbox school has more findings than one page holds: the case this test is about.
    expect(all.length).toBeGreaterThan(100);
    const rows = (html: string) =>
      (html.match(/<tr><td>[^<]*<\/td><td>[^<]*<\/td><td><a href="\/findings\//g) ?? []).length;
    const first = await admin.get('/admin/findings');
    expect(rows(first.text)).toBe(100);
    expect(first.text).toContain(`показаны 1–100 из ${all.length}`);
    const next = unescapeHtml(/<a href="([^"]+)" rel="next">/.exec(first.text)?.[1] ?? '');
    expect(next).toBe('/admin/findings?page=2');
    const second = await admin.get(next!);
    expect(rows(second.text)).toBe(Math.min(100, all.length - 100));
    expect(second.text).toContain(`показаны 101–${Math.min(200, all.length)} из ${all.length}`);
    // A filter stays on the next page; a page past the end shows the last one.
    const rule = all[0]!.rule;
    const filtered = all.filter((x) => x.rule === rule).length;
    const past = await admin.get(`/admin/findings?rule=${rule}&page=999`);
    expect(past.status).toBe(200);
    if (filtered > 100) {
      expect(past.text).toContain(`из ${filtered}`);
      expect(past.text).toContain(`rule=${rule}`);
    } else {
      expect(past.text).not.toContain('rel="next"');
      expect(rows(past.text)).toBe(filtered);
    }
  });
});

/** An attribute's value as a browser reads it (Handlebars escapes `=` and `&`). */
function unescapeHtml(s: string): string {
  return s.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
}
