// axe-core in Chromium on every kind of page we publish (site, subscription pages, digest email), in light and dark.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { subscribeDeps } from '../../src/commands/subscribers.ts';
import { parseConfig } from '../../src/config.ts';
import { buildDigest } from '../../src/edition/digest.ts';
import { fillRecipient, renderConfirmEmail, renderDigestHtml } from '../../src/render/email.ts';
import { registerSubscribeRoutes } from '../../src/server/subscribe-routes.ts';
import { signToken } from '../../src/signed-links.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { tmpProject } from '../helpers/tmp.ts';
import { CTX, RECIPIENT, TOPICS, seedEdition } from '../render/factory.ts';
import { serveSite, type ServedSite } from '../server/factory.ts';

if (!hasChromium) console.warn('skipped the accessibility test: /usr/bin/chromium is missing (apt-get install chromium)');

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.0, 2.1 and 2.2 level A and AA rules. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SCHEMES = ['light', 'dark'] as const;
type Scheme = (typeof SCHEMES)[number];

let site: ServedSite;
let app: App;
let browser: Browser;
let preferencesPath: string;
let unsubscribePath: string;
/** Emails by name: each one's HTML as it is sent. */
const emails = new Map<string, string>();

beforeAll(async () => {
  if (!hasChromium) return;
  const proj = tmpProject();
  app = createApp(parseConfig({ ...proj.env, PAPERBOY_BASE_URL: 'https://papers.example.org' }), { now: () => new Date('2026-11-24T07:00:00Z') });
  site = await serveSite(undefined, (s) => registerSubscribeRoutes(s, subscribeDeps(app)));
  const s = app.subscribers.create({
    email: 'reader@example.org',
    topics: ['llm', 'robotics'],
    cadence: 'weekly',
    weekday: 5,
    status: 'active',
    consent: { at: '2026-11-01T00:00:00.000Z', ip: null, source: 'test' },
  });
  preferencesPath = `/preferences/${signToken(app.secrets, s, 'preferences')}`;
  unsubscribePath = `/unsubscribe/${signToken(app.secrets, s, 'unsubscribe')}`;
  // Digests as preview and delivery render them: one selection's HTML, then the recipient's links filled in.
  // All topics of a big day (sections cut, "N more" links, trending), and a weekly two-topic selection (quiet topics line).
  const day = seedEdition('2026-11-24', 150);
  const digest = async (topics: string[] | null, cadence: 'daily' | 'weekly') =>
    fillRecipient(await renderDigestHtml(buildDigest([day], { topics, cadence }, TOPICS), CTX), RECIPIENT).html;
  emails.set('digest email, all topics', await digest(null, 'daily'));
  emails.set('digest email, weekly selection', await digest(['audio', 'safety'], 'weekly'));
  const confirm = await renderConfirmEmail({ confirmUrl: 'https://papers.example.org/confirm/abc', email: 'new@example.org', topics: TOPICS.slice(0, 2), cadence: 'weekly', baseUrl: 'https://papers.example.org' });
  emails.set('confirmation email', confirm.html);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await app?.close();
});

/** One line per failing element: impact, rule, what it asks, where, and axe's own summary of the fix. */
function describeViolations(violations: Result[]): string[] {
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) => `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n    at ${n.target.join(' ')}: ${n.html.slice(0, 160)}\n    ${(n.failureSummary ?? '').replace(/\n\s*/g, ' | ')}`,
    ),
  );
}

const NAMED_ROLES = new Set(['link', 'button', 'textbox', 'searchbox', 'checkbox', 'radio', 'combobox', 'listbox', 'spinbutton', 'slider', 'switch']);

/**
 * Controls that Chromium's own accessibility tree leaves without a name. axe accepts any <label> ancestor, but a
 * label names only its first control: a <select> inside a radio's label is announced as a bare "combobox".
 */
async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    type AXNode = { ignored: boolean; role?: { value: string }; name?: { value: string }; backendDOMNodeId?: number };
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const bad = nodes.filter((n) => !n.ignored && NAMED_ROLES.has(n.role?.value ?? '') && !String(n.name?.value ?? '').trim());
    return Promise.all(
      bad.map(async (n) => {
        const { node } = (await cdp.send('DOM.describeNode', { backendNodeId: n.backendDOMNodeId! })) as { node: { localName: string; attributes?: string[] } };
        const a = node.attributes ?? [];
        const attrs = a.filter((_, i) => i % 2 === 0).map((k, i) => ` ${k}="${a[2 * i + 1]}"`).join('');
        return `[serious] accessible name: a ${n.role!.value} with no name in Chromium's accessibility tree: <${node.localName}${attrs}>`;
      }),
    );
  } finally {
    await cdp.detach();
  }
}

/**
 * Injects axe-core into the page as it is and runs the WCAG A/AA rules; returns the serious and critical violations,
 * plus any control Chromium itself leaves unnamed.
 */
async function audit(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    async (tags) => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResults> } }).axe;
      return axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    },
    WCAG_TAGS,
  );
  return [...describeViolations(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')), ...(await unnamedControls(page))];
}

async function auditUrl(path: string, scheme: Scheme, status = 200): Promise<string[]> {
  // The site's CSP (default-src 'none') would block the injected axe script; bypassing it changes nothing axe checks.
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 }, colorScheme: scheme, bypassCSP: true });
  try {
    await page.emulateMedia({ colorScheme: scheme });
    const res = await page.goto(`${site.url}${path}`);
    expect(res!.status(), path).toBe(status);
    return await audit(page);
  } finally {
    await page.close();
  }
}

const PAGES: [string, () => string, number?][] = [
  ['landing page', () => '/'],
  ['edition page (seed papers)', () => '/archive/2026-11-24.html'],
  ['edition page (hostile titles)', () => '/archive/2026-11-25.html'],
  ['archive index', () => '/archive/'],
  ['404 page', () => '/archive/1999-01-01', 404],
  ['subscribe page', () => '/subscribe'],
  ['preferences page', () => preferencesPath],
  ['one-message page (unsubscribe?)', () => unsubscribePath],
];

describe.skipIf(!hasChromium)('accessibility (axe-core, WCAG 2 A/AA, serious and critical)', () => {
  for (const scheme of SCHEMES) {
    it.each(PAGES)(`%s (${scheme})`, async (_name, path, status) => {
      expect(await auditUrl(path(), scheme, status ?? 200)).toEqual([]);
    });

    it.each(['digest email, all topics', 'digest email, weekly selection', 'confirmation email'])(`%s (${scheme})`, async (name) => {
      const page = await browser.newPage({ viewport: { width: 800, height: 900 }, colorScheme: scheme });
      try {
        await page.emulateMedia({ colorScheme: scheme });
        await page.setContent(emails.get(name)!);
        expect(await audit(page)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
