// The double opt-in confirmation email: what was chosen, one button, the expiry, "ignore if not you".
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { renderConfirmEmail } from '../../src/render/email.ts';
import { TEXT_WIDTH } from '../../src/render/text.ts';
import { TOPICS } from './factory.ts';

const confirmUrl = 'https://paperboy.example.org/confirm?t=abc.def&x=1';

describe('renderConfirmEmail', () => {
  it('says what was signed up for, with a confirm button, expiry and an ignore note', async () => {
    const m = await renderConfirmEmail({ confirmUrl, email: 'new@example.com', topics: TOPICS.slice(0, 2), cadence: 'weekly', baseUrl: 'https://paperboy.example.org' });
    expect(m.subject).toBe('Confirm your paperboy subscription');
    const $ = cheerio.load(m.html);
    const button = $('a').filter((_, a) => $(a).text().trim() === 'Confirm my subscription');
    expect(button.attr('href')).toBe(confirmUrl);
    const body = $('body').text().replace(/\s+/g, ' ');
    expect(body).toContain('paperboy weekly digest at new@example.com');
    expect(body).toContain('Topics: Language models, Vision');
    expect(body).toContain('This link works for 72 hours');
    expect(body).toContain("If this wasn't you, ignore this email");
    for (const bad of [/<img/i, /<script/i, /@import/i, /fonts\.googleapis/i]) expect(m.html).not.toMatch(bad);
    expect(m.text).toContain(`Confirm by opening this link:\n${confirmUrl}\n`);
    expect(m.text).toContain('This link works for 72 hours.');
    expect(m.text).toContain('Topics: Language models, Vision');
    for (const line of m.text.split('\n')) expect(line === confirmUrl || Array.from(line).length <= TEXT_WIDTH).toBe(true);
  });

  it('says "all topics" for an all-topics sign-up and escapes what the user typed', async () => {
    const m = await renderConfirmEmail({ confirmUrl, email: '"<script>alert(1)</script>"@example.com', topics: null, cadence: 'daily', baseUrl: 'https://paperboy.example.org' });
    expect(m.html).not.toMatch(/<script/i);
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(cheerio.load(m.html)('body').text()).toContain('Topics: all topics');
  });
});
