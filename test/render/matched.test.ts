// "matched:" shows words: a regex rule's hit reads as the text it found, never as the rule's source.
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/edition/digest.ts';
import { digestView } from '../../src/render/email-view.ts';
import { fillRecipient, renderDigestHtml } from '../../src/render/email.ts';
import { renderSite } from '../../src/render/site.ts';
import { classify } from '../../src/topics/classify.ts';
import { compileTopics } from '../../src/topics/rules.ts';
import { loadTopics } from '../../src/topics/load.ts';
import { CTX, RECIPIENT, TOPICS, edition, ep, paper } from './factory.ts';

const REGEX_LOOK = /\/\\b|\\b|\[0-9\]|\?\\b|\/i\b/;

describe('regex rules in "matched:"', () => {
  it('the classifier records the text a regex found (the project topics.yaml)', () => {
    const topics = loadTopics(new URL('../../topics.yaml', import.meta.url).pathname);
    const c = classify({ title: 'Attribution Patching Finds Circuits', abstract: 'We compare attributions with sparse autoencoder features.' }, topics);
    const keywords = c.topics.flatMap((t) => t.keywords);
    expect(keywords).toContain('attribution');
    for (const k of keywords) expect(k).not.toMatch(REGEX_LOOK);
  });

  it('keeps acronyms and version names as written', () => {
    const topics = compileTopics("topics:\n  - slug: versions\n    name: Versions\n    description: d\n    regex: ['GPT-[0-9]+', '/\\bllama ?[0-9]/i']\n", 't.yaml');
    expect(classify({ title: 'What GPT-4 Knows about Llama 3', abstract: '' }, topics).topics[0]!.keywords).toEqual(['GPT-4', 'llama 3']);
  });

  it('an edition stored with regex sources still shows words only, in HTML, text and the site', async () => {
    const p = paper({ title: 'Attribution Graphs for Language Models', abstract: 'Attributions, at scale.', arxivId: '2411.08888' });
    const never = paper({ title: 'Something Else Entirely', abstract: 'Nothing here.', arxivId: '2411.08889' });
    const e = edition('2026-11-24', [
      ep(p, ['llm', ['/\\battributions?\\b/i', 'language model']], ['safety', ['\\bModels?\\b']]),
      ep(never, ['llm', ['/\\bnomatch\\b/i', 'LLM']]),
    ]);
    const digest = buildDigest([e], { topics: null, cadence: 'daily' }, TOPICS);
    const cards = digestView(digest, CTX).sections.flatMap((s) => s.cards);
    expect(cards.find((c) => c.title.startsWith('Attribution'))!.notes).toBe('matched: attribution, language model, models · also in: Safety & alignment');
    expect(cards.find((c) => c.title.startsWith('Something'))!.keywords).toBe('LLM');
    const { html, text } = fillRecipient(await renderDigestHtml(digest, CTX), RECIPIENT);
    const page = renderSite({ editions: [e], topics: TOPICS, baseUrl: CTX.baseUrl }).get('archive/2026-11-24.html')!;
    for (const out of [cheerio.load(html)('body').text(), text, cheerio.load(page)('body').text()]) {
      expect(out).toContain('attribution');
      expect(out).not.toMatch(REGEX_LOOK);
    }
  });
});
