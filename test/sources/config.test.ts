// Source settings: parsed, validated in one line each, secrets masked, offline by default.
import { describe, expect, it } from 'vitest';
import { describeConfig, parseConfig } from '../../src/config.ts';

describe('source settings', () => {
  it('are offline by default, with the documented defaults', () => {
    const c = parseConfig({}, '/srv');
    expect(c.sources).toEqual({
      list: [],
      hfUrl: 'https://huggingface.co',
      hfToken: null,
      arxivUrl: 'https://export.arxiv.org',
      enrich: false,
      days: 3,
      contact: 'paperboy@localhost',
    });
  });

  it('parse a source list, each once, and mask the token', () => {
    const c = parseConfig(
      { PAPERBOY_SOURCES: 'hf, arxiv:cs.RO,hf,arxiv:astro-ph.CO', HF_TOKEN: 'hf_abc', PAPERBOY_ENRICH: 'ARXIV', PAPERBOY_FETCH_DAYS: '5', PAPERBOY_FROM: 'Lab <news@lab.example>' },
      '/srv',
    );
    expect(c.sources.list.map((s) => s.name)).toEqual(['hf', 'arxiv:cs.RO', 'arxiv:astro-ph.CO']);
    expect(c.sources).toMatchObject({ enrich: true, days: 5, contact: 'news@lab.example', hfToken: 'hf_abc' });
    const d = describeConfig(c);
    expect(d.HF_TOKEN).toBe('****');
    expect(d.PAPERBOY_SOURCES).toBe('hf,arxiv:cs.RO,arxiv:astro-ph.CO');
  });

  it('refuse bad values with one line each', () => {
    expect(() => parseConfig({ PAPERBOY_SOURCES: 'hf,rss:foo', PAPERBOY_ENRICH: 'yes', PAPERBOY_FETCH_DAYS: '0', PAPERBOY_HF_URL: 'ftp://x' }, '/srv')).toThrow(
      /PAPERBOY_SOURCES: "rss:foo" is no source[\s\S]*PAPERBOY_ENRICH: must be arxiv or off[\s\S]*PAPERBOY_FETCH_DAYS: must be between 1 and 30/,
    );
    expect(() => parseConfig({ PAPERBOY_CONTACT: 'me\n(evil)' }, '/srv')).toThrow(/PAPERBOY_CONTACT/);
  });
});
