// Topic rules and classification on hand-made papers: inflections, acronyms, excludes, regexes, weights, errors.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/topics/classify.ts';
import { explainPaper, formatExplanation } from '../../src/topics/report.ts';
import { compileTopics } from '../../src/topics/rules.ts';

const yaml = `
topics:
  - slug: efficiency
    name: Efficiency
    description: Smaller, faster models.
    keywords: [quantization, LoRA, KV cache, fine-tuning]
  - slug: rl
    name: Reinforcement learning
    keywords: [reinforcement learning, RL]
    exclude: [multi-agent]
  - slug: versions
    name: GPT versions
    regex: ['GPT-[0-9]+']
`;
const topics = compileTopics(yaml, 'topics.yaml');
const paper = (title: string, abstract = '') => classify({ title, abstract }, topics);

describe('keyword matching', () => {
  it('handles inflections with one entry', () => {
    for (const w of ['Quantize', 'Quantized', 'Quantizing', 'Quantization', 'Quantisation', 'quantizes']) {
      expect(paper(`${w} Everything`).primary).toBe('efficiency');
    }
  });

  it('matches acronyms case-sensitively as whole words: LoRA is not flora, RL is not URL', () => {
    expect(paper('LoRA Adapters at Scale').primary).toBe('efficiency');
    expect(paper('LoRAs Everywhere').primary).toBe('efficiency');
    expect(paper('The Flora of Madagascar').primary).toBe('other');
    expect(paper('lora is not an acronym here').primary).toBe('other');
    expect(paper('Offline RL from Logs').primary).toBe('rl');
    expect(paper('A URL Shortener').primary).toBe('other');
    expect(paper('Compressing the KV Cache').primary).toBe('efficiency');
    expect(paper('Compressing the kv cache').primary).toBe('other');
  });

  it('treats hyphens and spaces alike in phrases', () => {
    expect(paper('Fine tuning is all you need').primary).toBe('efficiency');
    expect(paper('Fine-Tuning is all you need').primary).toBe('efficiency');
  });

  it('applies excludes', () => {
    expect(paper('Reinforcement Learning for Robots').primary).toBe('rl');
    expect(paper('Multi-Agent Reinforcement Learning').primary).toBe('other');
  });

  it('applies regexes', () => {
    expect(paper('What GPT-4 Knows').primary).toBe('versions');
    expect(paper('What GPT Knows').primary).toBe('other');
  });
});

describe('scoring', () => {
  const long = 'We study a new problem in depth. '.repeat(20);

  it('weighs title matches over abstract matches and never takes one passing mention', () => {
    expect(paper('Quantization of Transformers').topics[0]).toMatchObject({ slug: 'efficiency', score: 3, keywords: ['quantization'] });
    expect(paper('A Study of Transformers', `${long} We also try quantization once.`).primary).toBe('other');
    expect(paper('A Study of Transformers', `${long} Quantization helps. More quantization helps more. LoRA and fine-tuning too.`).primary).toBe('efficiency');
  });

  it('orders topics by score with a primary, and lists the rest as also-in', () => {
    const c = paper('LoRA for Reinforcement Learning', 'We apply reinforcement learning, RL and more RL, with quantization.');
    expect(c.primary).toBe('rl');
    expect(c.topics.map((t) => t.slug)).toEqual(['rl', 'efficiency']);
    expect(c.topics[1]!.keywords[0]).toBe('LoRA');
  });

  it('is deterministic: ties go to the topic listed first', () => {
    const c = paper('LoRA and RL');
    expect(c.topics.map((t) => t.slug)).toEqual(['efficiency', 'rl']);
    expect(paper('LoRA and RL')).toEqual(c);
  });

  it('editing the YAML changes the grouping without code changes', () => {
    const edited = compileTopics(yaml.replace('keywords: [reinforcement learning, RL]', 'keywords: [reinforcement learning, RL, reward]'), 't.yaml');
    expect(classify({ title: 'Reward Shaping Revisited', abstract: '' }, topics).primary).toBe('other');
    expect(classify({ title: 'Reward Shaping Revisited', abstract: '' }, edited).primary).toBe('rl');
  });

  it('explains a paper: matched keywords, points, threshold, excludes', () => {
    const x = explainPaper({ title: 'Multi-Agent Reinforcement Learning with LoRA', abstract: '' }, topics);
    expect(x.primary).toBe('efficiency');
    expect(x.candidates.find((c) => c.slug === 'rl')).toMatchObject({ excludedBy: ['multi-agent'], assigned: false, score: 0 });
    const text = formatExplanation(x);
    expect(text).toContain('rl: 0 points, excluded by multi-agent');
    expect(text).toContain('LoRA: title ×1, abstract ×0 → 3');
  });
});

describe('topics.yaml errors name the file, the line and the topic', () => {
  const err = (text: string) => {
    try {
      compileTopics(text, 'topics.yaml');
    } catch (e) {
      return (e as Error).message;
    }
    return 'compiled';
  };

  it('invalid YAML', () => {
    expect(err('topics:\n  - slug: a\n    name: [unclosed\n')).toMatch(/^topics\.yaml:\d+: invalid YAML: /);
  });
  it('a regex that does not compile', () => {
    expect(err("topics:\n  - slug: vision\n    name: Vision\n    keywords: [image]\n    regex:\n      - 'ok'\n      - '(['\n")).toMatch(
      /^topics\.yaml:7: topic "vision": regex \/\(\[\/ does not compile: /,
    );
  });
  it('duplicate slugs, bad slugs, missing names, reserved slug, no rules', () => {
    expect(err('topics:\n  - slug: a\n    name: A\n    keywords: [x]\n  - slug: a\n    name: B\n    keywords: [y]\n')).toBe(
      'topics.yaml:5: topic "a": duplicate slug (first defined on line 2)',
    );
    expect(err('topics:\n  - slug: Bad Slug\n    name: A\n    keywords: [x]\n')).toMatch(/^topics\.yaml:2: topic "Bad Slug": slug: slug must be lowercase/);
    expect(err('topics:\n  - slug: a\n    keywords: [x]\n')).toMatch(/^topics\.yaml:2: topic "a": name: /);
    expect(err('topics:\n  - slug: other\n    name: O\n    keywords: [x]\n')).toMatch(/reserved/);
    expect(err('topics:\n  - slug: a\n    name: A\n')).toBe('topics.yaml:2: topic "a": needs at least one keyword or regex');
    expect(err('- just a list\n')).toMatch(/^topics\.yaml:1: expected "topics:"/);
  });
});
