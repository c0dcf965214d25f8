// The "Picked for you" fragments: rendered once per paper and joined per reader, they must read as the templates
// would render them for that reader, with everything the reader typed escaped.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import type { ReaderPick } from '../../src/edition/picks.ts';
import { picksView, renderPicksHtml, renderPicksText, type PicksContext } from '../../src/render/picks.ts';
import { wrap } from '../../src/render/text.ts';
import { ep, paper, XSS_TITLE } from './factory.ts';

const pick = (title: string, reasons: string[], authors: string[] = []): ReaderPick => {
  const p = paper({ title, authors, abstract: 'We study a long question about robots. The answer is long as well, and it goes on.' });
  return { id: p.id, score: 1, reasons, paper: ep(p) };
};
const ctx = (over: Partial<PicksContext> = {}): PicksContext => ({
  prefsUrl: 'https://paperboy.example.org/preferences?t=abc.def&x=1',
  pageUrl: 'https://paperboy.example.org/my/abc.def',
  feedback: (id, signal) => `https://paperboy.example.org/feedback/tok/${id}/${signal}`,
  candidates: 42,
  basis: '2 keywords & "1 author"',
  ...over,
});

describe('picks fragments', () => {
  it('the HTML wrapper joined per reader is what the template renders for them, values escaped alike', () => {
    const picks = [pick('Robot grasping', ['matches: grasping']), pick('Tactile sensing', ['like \'<b>x</b>\' you marked'])];
    const view = picksView(picks, ctx());
    const html = renderPicksHtml(view);
    const hbs = Handlebars.create();
    const wrapper = hbs.compile(readFileSync(new URL('../../templates/email/picks.hbs', import.meta.url), 'utf8'), { strict: true });
    const cardsHtml = html.slice(html.indexOf('<div class="pb-card"'), html.lastIndexOf('<div class="pb-muted" style="margin:4px'));
    expect(html).toBe(wrapper({ ...view, cardsHtml }));
    expect(html).toContain('2 keywords &amp; &quot;1 author&quot;');
    expect(html).toContain('preferences?t&#x3D;abc.def&amp;x&#x3D;1');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('a paper rendered for one reader carries the next reader’s own reasons and links', () => {
    const shared = pick(XSS_TITLE, ['matches: one']);
    const first = renderPicksHtml(picksView([shared], ctx()));
    const second = renderPicksHtml(picksView([{ ...shared, reasons: ['matches: two'] }], ctx({ feedback: (id, s) => `https://o.example/${id}/${s}` })));
    expect(first).toContain('matches: one');
    expect(second).toContain('matches: two');
    expect(second).not.toContain('matches: one');
    expect(second).toContain(`https://o.example/${shared.id}/more`);
    expect(second).not.toContain('/feedback/tok/');
    expect(second).not.toContain('<script>');
  });

  it('the text part numbers every card and wraps its title as a numbered item', () => {
    const long = 'A very long title about robot grasping and tactile sensing that cannot fit on one line of the text part';
    const picks = [pick(long, ['matches: grasping'], ['Ada Lovelace', 'Grace Hopper']), pick('Short', ['by Ada Lovelace'])];
    const text = renderPicksText(picksView(picks, ctx()));
    const lines = text.split('\n');
    const title = wrap(long, '   ', '1. ');
    expect(lines.slice(3, 3 + title.length)).toEqual(title);
    expect(lines[3 + title.length]).toBe('   Ada Lovelace, Grace Hopper');
    expect(text).toContain('\n2. Short\n');
    expect(text).toContain(`Fewer like this: https://paperboy.example.org/feedback/tok/${picks[1]!.id}/fewer`);
  });
});
