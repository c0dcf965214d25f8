// A realistic digest in headless Chromium at phone and desktop widths: nothing overflows; screenshots for a look.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/edition/digest.ts';
import { fillRecipient, renderDigestHtml } from '../../src/render/email.ts';
import { ROOT } from '../helpers/tmp.ts';
import { CTX, RECIPIENT, TOPICS, edition, ep, paper, seedEdition } from './factory.ts';

const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`skipping the Chromium email test: ${CHROMIUM} does not exist (apt-get install chromium)`);

const ARTIFACTS = join(ROOT, 'test-artifacts');

describe.skipIf(missing)('digest email in Chromium', () => {
  let browser: Browser;
  let file: string;

  beforeAll(async () => {
    // Real seed papers plus the troublemakers: an unbroken 120-character word and a long bare URL in a title.
    const base = seedEdition('2026-11-24', 90);
    const nasty = [
      ep(paper({ title: `Pneumono${'ultramicroscopicsilicovolcano'.repeat(4)}coniosis: a very long word`, arxivId: '2411.09999', upvotes: 500 }), ['llm', ['LLM']]),
      ep(paper({ title: `See https://example.org/${'path/'.repeat(30)}index.html for code`, upvotes: 499, abstract: `Code at https://github.com/${'x'.repeat(150)}. Done.` }), ['vision', ['image']]),
    ];
    const digest = buildDigest([edition('2026-11-24', [...base.papers, ...nasty], base.trending)], { topics: null, cadence: 'daily' }, TOPICS);
    const { html } = fillRecipient(await renderDigestHtml(digest, CTX), RECIPIENT);
    mkdirSync(ARTIFACTS, { recursive: true });
    file = join(ARTIFACTS, 'email.html');
    writeFileSync(file, html);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    [375, 'light'],
    [800, 'light'],
    [375, 'dark'],
  ] as const)('nothing overflows at %i px (%s)', async (width, scheme) => {
    const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme: scheme });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(`file://${file}`);
    const result = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const over = [...document.querySelectorAll('body *')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.right > vw + 0.5;
        })
        .map((el) => `${el.tagName}.${el.className}: ${el.textContent?.slice(0, 40)}`);
      return { scrollWidth: document.documentElement.scrollWidth, vw, over };
    });
    expect(result.scrollWidth).toBeLessThanOrEqual(width);
    expect(result.over).toEqual([]);
    // No image, font or tracker is fetched: the email reads the same offline.
    expect(requests).toEqual([]);
    if (scheme === 'dark') {
      const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.pb-sheet')!).backgroundColor);
      expect(bg).toBe('rgb(22, 27, 34)');
    }
    const suffix = scheme === 'dark' ? '-dark' : '';
    await page.screenshot({ path: join(ARTIFACTS, `email-${width}${suffix}.png`), fullPage: true });
    await page.close();
  });
});
