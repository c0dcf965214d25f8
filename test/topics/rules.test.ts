// topics.yaml → matchers: keyword syntax (inflections, acronyms, hyphens, synonyms, title_only, ignore, exclude, regex) and errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/topics/classify.ts';
import { loadTopics } from '../../src/topics/load.ts';
import { asciiTwin, compileTopics } from '../../src/topics/rules.ts';
import { stemWord } from '../../src/topics/text.ts';
import { PaperboyError } from '../../src/errors.ts';

const yaml = `
topics:
  - slug: efficiency
    name: Efficiency
    description: Smaller, faster models.
    keywords: [quantization, LoRA, KV cache, fine-tuning, [large language model, LLM], recommendation]
  - slug: rl
    name: Reinforcement learning
    keywords: [reinforcement learning, RL, CLIP]
    exclude: [multi-agent]
  - slug: arch
    name: Architectures
    keywords: [transformer]
    title_only: [benchmark]
    ignore: [transformer-based]
  - slug: versions
    name: GPT versions
    regex: ['GPT-[0-9]+', '/\\bllama ?[0-9]/i']
`;
const topics = compileTopics(yaml, 'topics.yaml');
const primary = (title: string, abstract = '') => classify({ title, abstract }, topics).primary;

describe('keywords', () => {
  it('match every inflection of one entry (quantize … quantization, British spelling too)', () => {
    for (const w of ['Quantize', 'Quantized', 'Quantizing', 'Quantization', 'Quantizations', 'quantizes', 'Quantizer', 'Quantisation', 'quantising']) {
      expect(primary(`${w} Everything`), w).toBe('efficiency');
    }
    expect(primary('Quanta of Everything')).toBe('other');
  });

  it('stem plurals, -ed, -ing, -ation and -er so that inflections meet', () => {
    const same = (...ws: string[]) => expect(new Set(ws.map((w) => stemWord(w).base)).size, ws.join(' ')).toBe(1);
    same('generate', 'generated', 'generating', 'generation', 'generations', 'generative', 'generator');
    same('policy', 'policies');
    same('classes', 'class');
    same('planning', 'planned', 'plans', 'plan', 'planner');
    same('distill', 'distilled', 'distillation');
    same('LLMs', 'LLM');
    expect(stemWord('transformation').base).toBe(stemWord('transformer').base);
    // …but an -er noun keeps a form of its own, which is what a keyword like "transformer" matches.
    expect(stemWord('transformer').agent).toBe('transformer');
    expect(stemWord('transformation').agent).toBeNull();
  });

  it('treat -er nouns as words of their own: "transformer" is not "transformation", "recommendation" covers "recommender"', () => {
    expect(primary('Transformers at Scale')).toBe('arch');
    expect(primary('A Transformation of Data')).toBe('other');
    expect(primary('Recommenders for News')).toBe('efficiency');
  });

  it('match acronyms case-sensitively as whole words: LoRA is not flora, RL is not URL, CLIP is not clip', () => {
    expect(primary('LoRA Adapters at Scale')).toBe('efficiency');
    expect(primary('LoRAs Everywhere')).toBe('efficiency');
    expect(primary('The Flora of Madagascar')).toBe('other');
    expect(primary('lora is not an acronym here')).toBe('other');
    expect(primary('Offline RL from Logs')).toBe('rl');
    expect(primary('A URL Shortener')).toBe('other');
    expect(primary('Contrastive Learning With CLIP')).toBe('rl');
    expect(primary('A Video Clip Dataset')).toBe('other');
    expect(primary('Compressing the KV Cache')).toBe('efficiency');
    expect(primary('Compressing the KV-caches')).toBe('efficiency');
    expect(primary('Compressing the kv cache')).toBe('other');
  });

  it('treat hyphens, spaces and nothing alike for a hyphenated keyword', () => {
    for (const t of ['Fine tuning is all you need', 'Fine-Tuning is all you need', 'Finetuning is all you need', 'Fine-tuned and Ready']) {
      expect(primary(t), t).toBe('efficiency');
    }
    expect(primary('Fine Art Tuning')).toBe('other');
  });

  it('need the words of a phrase in order and adjacent', () => {
    expect(primary('Reinforcement Learning for Robots')).toBe('rl');
    expect(primary('Learning Reinforcement Schedules')).toBe('other');
    expect(primary('Reinforcement and Learning')).toBe('other');
  });

  it('count synonyms once: "large language models (LLMs)" is one keyword', () => {
    const c = classify({ title: 'Large Language Models (LLMs) and LLM Agents', abstract: '' }, topics);
    expect(c.topics[0]).toMatchObject({ slug: 'efficiency', score: 3, keywords: ['large language model'] });
  });

  it('apply excludes anywhere in the paper', () => {
    expect(primary('Reinforcement Learning for Robots')).toBe('rl');
    expect(primary('Multi-Agent Reinforcement Learning')).toBe('other');
    expect(primary('Reinforcement Learning for Robots', 'We study a multi-agent setting.')).toBe('other');
  });

  it('count title_only keywords in titles only', () => {
    expect(primary('A Benchmark for Everything')).toBe('arch');
    expect(primary('Something', 'benchmark benchmark benchmark benchmark benchmark')).toBe('other');
  });

  it('let ignore rules hold words back from a topic without vetoing it', () => {
    expect(primary('A Transformer-Based Sensor Fusion Method')).toBe('other');
    expect(primary('A Transformer-Based Sensor Fusion Transformer')).toBe('arch');
  });

  it('apply regexes (case-sensitive, or with /flags/)', () => {
    expect(primary('What GPT-4 Knows')).toBe('versions');
    expect(primary('What GPT Knows')).toBe('other');
    expect(primary('What gpt-4 knows')).toBe('other');
    expect(primary('Fine Print', 'We evaluate LLAMA 3 and llama 2 on it.')).toBe('other'); // abstract only: 1.5 points
    expect(primary('Adapting Llama3 to Law')).toBe('versions');
  });

  it('run a regex without the added u flag only where that finds the same match (all-ASCII pattern and text)', () => {
    expect(String(asciiTwin(/\battributions?\b/iu))).toBe('/\\battributions?\\b/i');
    // Letter escapes that read differently without u, non-ASCII patterns and v keep the Unicode regex only.
    for (const re of [/\p{L}x/u, /\u{41}/u, /x\Wy/iu, /é/iu, new RegExp('ab', 'v')]) expect(asciiTwin(re), String(re)).toBeNull();
    // Non-ASCII text keeps Unicode case folding: ſ (long s) folds to s only with u.
    const t = compileTopics("topics:\n  - slug: x\n    name: X\n    regex: ['/\\bsafety\\b/i']\n", 't.yaml');
    expect(classify({ title: 'ſafety', abstract: '' }, t).primary).toBe('x');
    expect(classify({ title: 'SAFETY', abstract: '' }, t).primary).toBe('x');
  });

  it('change the grouping when the YAML changes, without code changes', () => {
    const edited = compileTopics(yaml.replace('keywords: [reinforcement learning, RL, CLIP]', 'keywords: [reinforcement learning, RL, CLIP, reward]'), 't.yaml');
    expect(classify({ title: 'Reward Shaping Revisited', abstract: '' }, topics).primary).toBe('other');
    expect(classify({ title: 'Reward Shaping Revisited', abstract: '' }, edited).primary).toBe('rl');
    const renamed = compileTopics(yaml.replace('slug: rl', 'slug: decision-making'), 't.yaml');
    expect(classify({ title: 'Offline RL', abstract: '' }, renamed).primary).toBe('decision-making');
  });

  it('keeps topics in file order with their names and descriptions', () => {
    expect(topics.topics).toEqual([
      { slug: 'efficiency', name: 'Efficiency', description: 'Smaller, faster models.' },
      { slug: 'rl', name: 'Reinforcement learning', description: '' },
      { slug: 'arch', name: 'Architectures', description: '' },
      { slug: 'versions', name: 'GPT versions', description: '' },
    ]);
  });
});

describe('spellings that add nothing', () => {
  it('are listed for the editor: a plural, a hyphen variant, an inflection of an earlier spelling', () => {
    const t = compileTopics('topics:\n  - slug: g\n    name: G\n    keywords: [graph, graphs, time-series, time series, distill]\n    title_only: [distillation, distill]\n', 'topics.yaml');
    expect(t.redundant).toEqual([
      { slug: 'g', spelling: 'graphs' },
      { slug: 'g', spelling: 'time series' },
      { slug: 'g', spelling: 'distill' },
    ]);
  });
});

describe('topics.yaml errors name the file, the line and the topic', () => {
  const err = (text: string) => {
    try {
      compileTopics(text, 'topics.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(PaperboyError);
      expect((e as PaperboyError).code).toBe('CONFIG');
      return (e as Error).message;
    }
    return 'compiled';
  };
  const topic = (extra: string, slug = 'vision') => `topics:\n  - slug: ${slug}\n    name: Vision\n${extra}`;

  it('invalid YAML, with its line', () => {
    expect(err('topics:\n  - slug: a\n    name: [unclosed\n    keywords: [x]\n')).toMatch(/^topics\.yaml:[34]: invalid YAML \(in or after topic "a" on line 2\): /);
    // The parser notices an unclosed list only where the next topic starts: the message names the one before.
    expect(err('topics:\n  - slug: a\n    name: A\n    keywords: [foo, bar\n  - slug: b\n    name: B\n    keywords: [baz]\n')).toMatch(
      /^topics\.yaml:5: invalid YAML \(in or after topic "a" on line 2\): /,
    );
    expect(err("topics:\n  - slug: a\n    name: A\n    name: B\n    keywords: [x]\n")).toMatch(/^topics\.yaml:4: invalid YAML \(in or after topic "a" on line 2\): .*unique/);
  });

  it('a regex that does not compile, naming the topic and the regex line', () => {
    expect(err(topic("    keywords: [image]\n    regex:\n      - 'ok'\n      - '(['\n"))).toMatch(/^topics\.yaml:7: topic "vision": regex \/\(\[\/ does not compile: /);
    expect(err(topic("    regex: ['/a(/i']\n"))).toMatch(/^topics\.yaml:4: topic "vision": regex \/a\(\/i does not compile/);
  });

  it('duplicate slugs, with both lines', () => {
    expect(err('topics:\n  - slug: a\n    name: A\n    keywords: [x]\n  - slug: a\n    name: B\n    keywords: [y]\n')).toBe(
      'topics.yaml:5: topic "a": duplicate slug (first defined on line 2)',
    );
  });

  it('bad slugs, the reserved slug "other", missing or empty fields, unknown fields', () => {
    expect(err(topic('    keywords: [x]\n', 'Bad Slug'))).toMatch(/^topics\.yaml:2: topic "Bad Slug": slug: must be lowercase/);
    expect(err(topic('    keywords: [x]\n', 'a_b'))).toMatch(/^topics\.yaml:2: topic "a_b": slug: must be lowercase/);
    expect(err(topic('    keywords: [x]\n', 'other'))).toMatch(/^topics\.yaml:2: topic "other": slug: "other" is reserved/);
    expect(err('topics:\n  - slug: a\n    keywords: [x]\n')).toBe('topics.yaml:2: topic "a": name: is required');
    expect(err("topics:\n  - slug: a\n    name: ''\n    keywords: [x]\n")).toBe('topics.yaml:3: topic "a": name: must not be empty');
    expect(err('topics:\n  - name: A\n    keywords: [x]\n')).toBe('topics.yaml:2: topic #1: slug: is required');
    expect(err(topic('    keywords: [x]\n    keyword: [x]\n'))).toMatch(/^topics\.yaml:5: topic "vision": unknown field "keyword" \(known: slug, name, description, keywords, title_only, ignore, exclude, regex, categories, home_for, formerly\)/);
    expect(err(topic(''))).toBe('topics.yaml:2: topic "vision": needs at least one keyword or regex');
    expect(err(topic("    keywords:\n      - ok\n      - '--'\n"))).toBe('topics.yaml:6: topic "vision": keyword "--" has no words');
    expect(err(topic('    keywords: [x, 3]\n'))).toBe('topics.yaml:4: topic "vision": keywords.1: must be text or a list of synonyms like [a, b] (quote numbers and yes/no: "3")');
    // The item's own line, not the field's.
    expect(err(topic('    keywords:\n      - x\n      - 42\n'))).toMatch(/^topics\.yaml:6: topic "vision": keywords\.1: must be text/);
    expect(err(topic('    keywords:\n      - x\n      - [ ]\n'))).toBe('topics.yaml:6: topic "vision": keywords.1: a list of synonyms must not be empty');
    expect(err(topic('    keywords: x\n'))).toBe('topics.yaml:4: topic "vision": keywords: must be a list, like [a, b]');
    expect(err(topic('    keywords: [x]\n    description: 5\n'))).toBe('topics.yaml:5: topic "vision": description: must be text');
  });

  it('a file that is not a list of topics', () => {
    expect(err('- just a list\n')).toMatch(/^topics\.yaml:1: expected "topics:" followed by a list of topics/);
    expect(err('topics: 3\n')).toMatch(/^topics\.yaml:1: expected "topics:"/);
    expect(err('topics: []\n')).toBe('topics.yaml:1: "topics:" lists no topics');
    expect(err('topics:\n  - just a string\n')).toMatch(/^topics\.yaml:2: topic #1: expected a mapping/);
    expect(err('topics:\n  - slug: a\n    name: A\n    keywords: [x]\ntopic: oops\n')).toBe(
      'topics.yaml:5: unknown top-level field "topic" (the file holds only "topics:")',
    );
  });

  it('loadTopics reads the file and says clearly when it is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-topics-'));
    expect(() => loadTopics(join(dir, 'nope.yaml'))).toThrow(/topics file .*nope\.yaml does not exist/);
    writeFileSync(join(dir, 'mine.yaml'), 'topics:\n  - slug: a\n    name: A\n    regex: ["("]\n');
    expect(() => loadTopics(join(dir, 'mine.yaml'))).toThrow(/^mine\.yaml:4: topic "a": regex/);
    writeFileSync(join(dir, 'ok.yaml'), yaml);
    expect(loadTopics(join(dir, 'ok.yaml')).topics.map((t) => t.slug)).toEqual(['efficiency', 'rl', 'arch', 'versions']);
  });
});

describe('formerly', () => {
  it('the shipped topics.yaml keeps the renamed multimodal topic reachable under its old slug', () => {
    const topics = loadTopics(new URL('../../topics.yaml', import.meta.url).pathname).topics;
    expect(topics.find((t) => t.slug === 'vision-language')?.formerly).toEqual(['multimodal']);
  });

  it('a former slug may not be another topic\'s slug (now or before), nor "other": one line naming it', () => {
    const yaml = (extra: string) => `topics:\n  - slug: a\n    name: A\n    keywords: [x]\n    formerly: [b]\n  - slug: ${extra}\n    name: B\n    keywords: [y]\n`;
    expect(() => compileTopics(yaml('b'), 'topics.yaml')).toThrow(/topics\.yaml:\d+: topic "b": duplicate slug/);
    expect(() => compileTopics(yaml('c\n    formerly: [b]'), 'topics.yaml')).toThrow(/topic "c": formerly "b" is already used on line 2/);
    expect(() => compileTopics(yaml('c\n    formerly: [other]'), 'topics.yaml')).toThrow(/formerly "other" is already reserved/);
    expect(compileTopics(yaml('c'), 'topics.yaml').topics.map((t) => t.formerly ?? [])).toEqual([['b'], []]);
  });
});
