// Test data for digests and emails: papers, classified edition papers and editions from a few fields.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Edition, EditionPaper, Paper, ParsedPaper, TopicDef, TopicMatch, TrendingKeyword } from '../../src/domain.ts';
import { byReaderInterest } from '../../src/reader-order.ts';
import { decodeSeed } from '../../src/ingest/decode.ts';
import { parseSeed } from '../../src/ingest/parse.ts';
import { SEEDS } from '../helpers/tmp.ts';

export const TOPICS: TopicDef[] = [
  { slug: 'llm', name: 'Language models', description: 'LLMs, pretraining, instruction tuning.' },
  { slug: 'vision', name: 'Vision', description: 'Images, video, diffusion.' },
  { slug: 'rl', name: 'Reinforcement learning', description: 'Agents, RLHF, reward models.' },
  { slug: 'efficiency', name: 'Efficiency', description: 'Quantization, pruning, distillation.' },
  { slug: 'safety', name: 'Safety & alignment', description: 'Red-teaming, jailbreaks, alignment.' },
  { slug: 'audio', name: 'Speech & audio', description: 'ASR, TTS, music.' },
];

/** Keywords per topic, used to classify real seed papers in tests the way topics.yaml would. */
const RULES: Record<string, string[]> = {
  llm: ['language model', 'LLM', 'transformer', 'instruction', 'pretraining', 'reasoning'],
  vision: ['image', 'video', 'diffusion', 'vision', 'visual', '3D'],
  rl: ['reinforcement', 'reward', 'agent', 'policy', 'RLHF'],
  efficiency: ['quantization', 'LoRA', 'pruning', 'distillation', 'efficient', 'memory'],
  safety: ['safety', 'jailbreak', 'alignment', 'harmful', 'privacy'],
  audio: ['speech', 'audio', 'music', 'ASR'],
};

let counter = 0;

export function paper(fields: Partial<Paper> & { title: string }): Paper {
  counter++;
  return {
    abstract: 'An abstract. It has sentences. Quite a few of them, in fact.',
    arxivId: null,
    authors: [],
    upvotes: null,
    publishedAt: null,
    extra: {},
    line: 1,
    id: fields.arxivId ?? `t-${counter.toString(16).padStart(8, '0')}`,
    firstSeen: '2026-11-24T06:00:00Z',
    seedFile: 'test.txt',
    editionId: null,
    ...fields,
  };
}

/** topics: [slug, keywords] pairs, primary first; none means "other". */
export function ep(p: Paper, ...topics: [string, string[]][]): EditionPaper {
  const matches: TopicMatch[] = topics.map(([slug, keywords], i) => ({ slug, score: 10 - i, keywords }));
  return { paper: p, classification: { primary: matches[0]?.slug ?? 'other', topics: matches } };
}

export function edition(id: string, papers: EditionPaper[], trending: TrendingKeyword[] = []): Edition {
  return {
    id,
    status: papers.length > 0 ? 'published' : 'empty',
    reason: papers.length > 0 ? null : 'nothing new in the seeds',
    createdAt: `${id}T06:00:00Z`,
    papers: [...papers].sort(byReaderInterest),
    trending,
  };
}

let seedCache: ParsedPaper[] | null = null;

/** Every paper of the real seed files (titles and abstracts as written, LaTeX and all). */
export function seedPapers(): ParsedPaper[] {
  seedCache ??= readdirSync(SEEDS)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .flatMap((f) => parseSeed(decodeSeed(readFileSync(join(SEEDS, f)))).papers);
  return seedCache;
}

export function classify(p: Pick<Paper, 'title' | 'abstract'>): [string, string[]][] {
  const text = `${p.title} ${p.abstract}`.toLowerCase();
  return Object.entries(RULES)
    .map(([slug, words]): [string, string[]] => [slug, words.filter((w) => text.includes(w.toLowerCase()))])
    .filter(([, words]) => words.length > 0)
    .sort((a, b) => b[1].length - a[1].length);
}

const NAMES = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Claude Shannon', 'Emmy Noether', 'Kurt Gödel', 'John von Neumann'];

/** A realistic edition from the real seeds: ids for most papers, authors, upvotes, keyword classification. */
export function seedEdition(id: string, count: number, offset = 0): Edition {
  const papers = seedPapers().slice(offset, offset + count).map((sp, i) => {
    const p = paper({
      ...sp,
      arxivId: i % 7 === 3 ? null : `2411.${String(10000 + offset + i).padStart(5, '0')}`,
      authors: NAMES.slice(0, (i % 6) + 1),
      upvotes: i % 5 === 4 ? null : (i * 37) % 120,
    });
    return ep(p, ...classify(p));
  });
  return edition(id, papers, [
    { phrase: 'test-time scaling', count: 6, score: 4.2 },
    { phrase: 'mixture of experts', count: 4, score: 3.1 },
    { phrase: 'speculative decoding', count: 3, score: 2.5 },
  ]);
}

const LONG_WORD = 'Supercalifragilisticexpialidocious'.repeat(3);

/** The worst case for size: n papers, long titles with escapable characters, long abstracts, many authors. */
export function hugeEdition(id: string, n: number, topics: TopicDef[] = TOPICS): Edition {
  const slugs = topics.map((t) => t.slug);
  const papers = Array.from({ length: n }, (_, i) => {
    const p = paper({
      title: `${LONG_WORD} & "quoted" <angle> title number ${i} about $\\mathcal{O}(n^2)$ attention for H$_2$O ${'very '.repeat(20)}long`,
      abstract: `We study & improve <things> in "quotes" with $\\alpha$ and $\\beta$. ${'This sentence is long and keeps going without saying much at all. '.repeat(30)}`,
      arxivId: i % 3 === 0 ? null : `2411.${String(20000 + i)}`,
      authors: Array.from({ length: 40 }, (_, k) => `Author Longname-Number${k}`),
      upvotes: i % 10 === 0 ? null : 1000 - i,
    });
    const primary = slugs[i % slugs.length]!;
    const also = slugs[(i + 1) % slugs.length]!;
    return i % 13 === 0 ? ep(p) : ep(p, [primary, ['quantization', 'LoRA', 'mixture of experts', 'long context', 'reasoning', 'agents']], [also, ['diffusion']]);
  });
  return edition(id, papers, [
    { phrase: 'test-time scaling', count: 60, score: 4.2 },
    { phrase: 'mixture of experts & <friends>', count: 40, score: 3.1 },
  ]);
}

export const XSS_TITLE = '<script>alert(1)</script> & "quotes"';
export const MJML_BREAKER = '</mj-text><mj-raw><script>alert(1)</script></mj-raw><mj-text>';
export const CTX = {
  baseUrl: 'https://paperboy.example.org',
  archiveUrl: 'https://paperboy.example.org/archive/2026-11-24/',
  topics: TOPICS,
};

/** A hand-made edition that exercises every card feature: ids and none, escaping, also-in, keywords, "more". */
export function featureEdition(): Edition {
  const known = paper({
    title: XSS_TITLE,
    arxivId: '2411.00042',
    authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Claude Shannon'],
    upvotes: 42,
    abstract: 'We quantize everything. It works well. Then we do more. And more again.',
  });
  const unknown = paper({ title: 'Splitting H$_2$O with $\\mathcal{O}(n)$ steps', upvotes: 7, abstract: 'Water, split. Cheaply.' });
  const breaker = paper({ title: MJML_BREAKER, arxivId: '2411.00043', upvotes: 3 });
  const forged = paper({ title: 'Forged %%PB_UNSUBSCRIBE%% and %%PB_EMAIL%% tokens', arxivId: '2411.00044', upvotes: 2 });
  const filler = Array.from({ length: 8 }, (_, i) =>
    ep(paper({ title: `Filler language model paper ${i}`, arxivId: `2411.001${String(i).padStart(2, '0')}`, upvotes: 1 }), ['llm', ['LLM']]),
  );
  return edition('2026-11-24', [
    ep(known, ['llm', ['quantization', 'LoRA']], ['efficiency', ['pruning']]),
    ep(unknown, ['vision', ['image']]),
    ep(breaker, ['llm', ['LLM']]),
    ep(forged, ['vision', ['video']]),
    ep(paper({ title: 'Unclassified thing' })),
    ...filler,
  ], [{ phrase: 'test-time scaling', count: 4, score: 3 }]);
}

export const RECIPIENT = {
  unsubscribeUrl: 'https://paperboy.example.org/unsubscribe?t=abc&s="x"',
  preferencesUrl: 'https://paperboy.example.org/preferences?t=abc',
  email: 'reader+digest@example.com',
};
