// `paperboy preview` writes the message delivery sends, and no digest links a web page that does not exist.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { deliver } from '../../src/deliver/send.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { preview } from '../../src/schedule/preview-step.ts';
import { DATE, setupDelivery, type DeliverySetup } from '../deliver/setup.ts';
import { SEEDS } from '../helpers/tmp.ts';

const BASE = 'https://papers.example.org';
let setup: DeliverySetup;
const apps: App[] = [];
const out = mkdtempSync(join(tmpdir(), 'paperboy-preview-'));

/** A later day's run on the same data: a new app whose clock says `iso`. */
async function runOn(iso: string): Promise<App> {
  const app = createApp(parseConfig(setup.env), { now: () => new Date(iso) });
  apps.push(app);
  await runOnce(app, { send: false, trigger: 'cli' });
  return app;
}

/** Every link into our site names a file the site has, and an anchor that page has. */
function brokenSiteLinks(html: string): string[] {
  const $ = cheerio.load(html);
  const site = join(setup.proj.dataDir, 'site');
  return $('a[href]')
    .map((_, a) => $(a).attr('href')!)
    .get()
    .filter((href) => href.startsWith(`${BASE}/archive`))
    .filter((href) => {
      const [path, anchor] = href.slice(BASE.length + 1).split('#');
      const file = join(site, path!.endsWith('/') ? `${path}index.html` : path!);
      return !existsSync(file) || (anchor !== undefined && !readFileSync(file, 'utf8').includes(`id="${anchor}"`));
    });
}

beforeAll(async () => {
  setup = await setupDelivery(1, null);
}, 60_000);

afterAll(async () => {
  for (const a of apps) await a.close();
  await setup.app.close();
});

describe('preview', () => {
  it('is the message delivery sends: same headers, same MIME, same parts, only the recipient differs', async () => {
    await deliver(setup.app, { date: DATE });
    const dir = join(setup.proj.dataDir, 'outbox', DATE);
    const sentRaw = readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8');
    const p = await preview(setup.app, { date: DATE, selection: { topics: null, cadence: 'daily' }, outDir: out });
    const previewRaw = readFileSync(p.eml, 'utf8');
    const [sent, shown] = await Promise.all([simpleParser(sentRaw), simpleParser(previewRaw)]);

    const names = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n')).split('\r\n').filter((l) => /^\S/.test(l)).map((l) => l.split(':')[0]);
    expect(names(previewRaw)).toEqual(names(sentRaw));
    expect(shown.headers.get('list-id')).toEqual(sent.headers.get('list-id'));
    expect(shown.headers.get('list-archive')).toEqual(sent.headers.get('list-archive'));
    const head = previewRaw.slice(0, previewRaw.indexOf('\r\n\r\n')).replace(/\r\n\s+/g, ' ');
    const fake = `PREVIEW${'_'.repeat(13)}.PREVIEW${'_'.repeat(20)}`;
    expect(head).toContain(`List-Unsubscribe: <${BASE}/unsubscribe/${fake}>, <mailto:news@papers.example.org?subject=unsubscribe%20preview>`);
    // The same length as a real link, so the preview's line breaks are a real message's.
    expect(fake.length).toBe(/unsubscribe\/([^>\s]+)>/.exec(sentRaw.replace(/=\r\n/g, ''))![1]!.length);
    expect(previewRaw).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(previewRaw).toContain('\r\nTo: preview@example.invalid\r\n');
    expect(shown.subject).toBe(sent.subject);

    // Swap the recipients' values for markers: what is left must be identical.
    const neutral = (text: string, email: string) =>
      text.replace(/\/(unsubscribe|preferences|my)\/[\w.-]+/g, '/$1/T').replaceAll(email, 'EMAIL');
    // "View in browser" opens the reader's own page; a preview has no reader: a placeholder of the same shape.
    const $shown = cheerio.load(shown.html as string);
    const views = $shown('a').filter((_, a) => $shown(a).text() === 'View in browser').map((_, a) => $shown(a).attr('href')).get();
    expect(views).toEqual([`${BASE}/my/${fake}`, `${BASE}/my/${fake}`]);
    expect(shown.text).toContain(`View in browser:\n${BASE}/my/${fake}\n`);
    expect(neutral(shown.html as string, 'preview@example.invalid')).toBe(neutral(sent.html as string, setup.emails[0]!));
    expect(neutral(shown.text!, 'preview@example.invalid')).toBe(neutral(sent.text!, setup.emails[0]!));
    expect(readFileSync(p.html, 'utf8')).toBe(shown.html);
  });

  it('a daily digest links its edition page, and every "more" link lands on an anchor there', async () => {
    const p = await preview(setup.app, { date: DATE, selection: { topics: null, cadence: 'daily' }, outDir: out });
    const $ = cheerio.load(readFileSync(p.html, 'utf8'));
    const more = $('a').filter((_, a) => $(a).text().includes('more in the web archive'));
    expect(more.length).toBeGreaterThan(0);
    for (const a of more.get()) expect($(a).attr('href')).toMatch(new RegExp(`^${BASE}/archive/${DATE}\\.html`));
    expect(brokenSiteLinks(readFileSync(p.html, 'utf8'))).toEqual([]);
  });

  it('a weekly digest never links the send day (empty days have no page); a week of editions links the archive index', async () => {
    // The 25th brings nothing new: its edition is empty and the site has no page for it.
    const quiet = await runOn('2026-11-25T07:00:00Z');
    expect(existsSync(join(setup.proj.dataDir, 'site/archive/2026-11-25.html'))).toBe(false);
    const one = await preview(quiet, { date: '2026-11-25', selection: { topics: null, cadence: 'weekly' }, outDir: out });
    const oneHtml = readFileSync(one.html, 'utf8');
    expect(oneHtml).not.toContain('2026-11-25.html');
    expect(brokenSiteLinks(oneHtml)).toEqual([]);

    copyFileSync(join(SEEDS, '002_3519c79454df5631.txt'), join(setup.proj.seedsDir, 'seed-2.txt'));
    const later = await runOn('2026-11-26T07:00:00Z');
    const week = await preview(later, { date: '2026-11-26', selection: { topics: null, cadence: 'weekly' }, outDir: out });
    const html = readFileSync(week.html, 'utf8');
    const $ = cheerio.load(html);
    const more = $('a').filter((_, a) => $(a).text().includes('more in the web archive'));
    expect(more.length).toBeGreaterThan(0);
    for (const a of more.get()) expect($(a).attr('href')).toBe(`${BASE}/archive/`);
    expect(brokenSiteLinks(html)).toEqual([]);
    // A weekly digest says so, and names the seven days it covers (ending on the send date), not only the days with papers.
    expect(week.subject).toMatch(/^paperboy weekly — \d+ new papers, 20 – 26 Nov 2026: /);
    expect(one.subject).toMatch(/^paperboy weekly — \d+ new papers, 19 – 25 Nov 2026: /);
    expect($('.pb-head').text()).toContain('20 – 26 Nov 2026');
    expect(readFileSync(week.text, 'utf8')).toContain('PAPERBOY · WEEKLY DIGEST\n20 – 26 Nov 2026\n');
  }, 60_000);
});
