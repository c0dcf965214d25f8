// The site's pages in Chromium at 320 px, the narrowest phone width in use: long topic names and pills never overflow.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopicDef } from '../../src/domain.ts';
import { renderSite } from '../../src/render/site.ts';
import { CHROMIUM, launchChromium } from '../helpers/browser.ts';
import { ROOT } from '../helpers/tmp.ts';
import { TOPICS, edition, ep, paper } from './factory.ts';

const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`skipping the 320 px page test: ${CHROMIUM} does not exist (apt-get install chromium)`);
const ARTIFACTS = join(ROOT, 'test-artifacts');

// Topic names as long as an operator may write them, one a single unbreakable word.
const LONG: TopicDef[] = [
  { slug: 'privacy-security', name: 'Privacy, security & adversarial robustness of foundation models', description: 'Membership inference, data extraction, backdoors, adversarial examples and certified defences.' },
  { slug: 'long-word', name: 'Electroencephalography-and-magnetoencephalography', description: 'Brain signals.' },
  ...TOPICS,
];

describe.skipIf(missing)('pages at 320 px', () => {
  let browser: Browser;
  let site: Map<string, string>;

  beforeAll(async () => {
    const papers = [
      ep(paper({ title: 'Membership Inference against Retrieval-Augmented Generation at Scale', arxivId: '2411.01001' }), ['privacy-security', ['membership inference']]),
      ep(paper({ title: 'Decoding Imagined Speech', arxivId: '2411.01002' }), ['long-word', ['EEG']], ['privacy-security', ['privacy']]),
      ...Array.from({ length: 6 }, (_, i) => ep(paper({ title: `A language model paper with a fairly ordinary title number ${i}`, arxivId: `2411.0200${i}` }), ['llm', ['LLM']])),
    ];
    site = renderSite({ editions: [edition('2026-11-24', papers)], topics: LONG, baseUrl: 'https://papers.example.org' });
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function at320(name: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 320, height: 800 } });
    await page.setContent(site.get(name)!, { waitUntil: 'load' });
    return page;
  }

  it.each(['index.html', 'archive/2026-11-24.html', 'archive/index.html'])('%s: document.scrollWidth ≤ 320', async (name) => {
    const page = await at320(name);
    try {
      const o = await page.evaluate(() => {
        let widest = 0;
        for (const el of Array.from(document.body.querySelectorAll('*'))) widest = Math.max(widest, el.getBoundingClientRect().right);
        return { scroll: document.documentElement.scrollWidth, widest: Math.ceil(widest) };
      });
      await page.screenshot({ path: join(ARTIFACTS, `site-320-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
      expect(o.scroll).toBeLessThanOrEqual(320);
      expect(o.widest).toBeLessThanOrEqual(320);
    } finally {
      await page.close();
    }
  });
});
