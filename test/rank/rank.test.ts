// The ranking core: keywords (BM25 with phrases), likeness to followed/marked papers, authors, reasons in words.
import { describe, expect, it } from 'vitest';
import { buildCorpus, parseKeywords, rankFor, type MarkedPaper, type RankDoc, type ReaderInterests } from '../../src/rank/rank.ts';
import { stem, terms } from '../../src/rank/tokenize.ts';

const doc = (id: string, title: string, abstract: string, authors: string[] = []): RankDoc => ({ id, title, abstract, authors });
const DOCS: RankDoc[] = [
  doc('g1', 'Tactile Sensing for Robot Grasping', 'We learn grasp policies for a robot hand from tactile sensors and vision.', ['Ada Lovelace']),
  doc('g2', 'Sim-to-Real Transfer of Grasping Policies', 'A robot grasping policy trained in simulation transfers to the real world.'),
  doc('l1', 'Scaling Laws for Language Models', 'We study how language model loss scales with parameters and data tokens.'),
  doc('l2', 'Instruction Tuning of Large Language Models', 'Instruction tuning improves language models on unseen prompts.', ['Grace Hopper']),
  doc('v1', 'Diffusion Models for Image Generation', 'A diffusion model generates images from text prompts with high fidelity.'),
  doc('v2', 'Video Diffusion with Temporal Attention', 'We extend image diffusion models to video generation with temporal attention.'),
  doc('c1', 'Robot Arms in Factories: a Survey', 'Industrial robot arms and their programming; no learning involved.'),
  doc('s1', 'Grasping the Meaning of Idioms', 'Language models struggle with grasping idiomatic meaning in context.'),
];
const corpus = buildCorpus(DOCS);
const ids = DOCS.map((d) => d.id);
const none: ReaderInterests = { keywords: [], authors: [], liked: [], disliked: [] };

describe('tokenize', () => {
  it('stems plurals and verb forms alike and drops stop words', () => {
    expect(stem('grasping')).toBe(stem('grasp'));
    expect(stem('policies')).toBe('policy');
    expect(terms('the grasping of robots')).toEqual(['grasp', 'robot']);
  });
  it('makes phrases of adjacent words only', () => {
    expect(terms('robot grasping policies')).toEqual(['robot', 'robot grasp', 'grasp', 'grasp policy', 'policy']);
  });
  it('reads keyword text separated by commas, semicolons and lines, once each', () => {
    expect(parseKeywords('robot grasping, tactile sensing;\nsim-to-real, Robot grasping, the')).toEqual(['robot grasping', 'tactile sensing', 'sim-to-real']);
  });
});

describe('rankFor', () => {
  it('ranks by keywords and says which matched', () => {
    const picks = rankFor(corpus, ids, { ...none, keywords: ['robot grasping', 'tactile sensing'] }, 3);
    expect(picks.map((p) => p.id).slice(0, 2)).toEqual(['g1', 'g2']);
    expect(picks[0]!.reasons[0]).toBe('matches: tactile sensing, robot grasping');
  });
  it('counts a phrase as a phrase: "grasping" about idioms ranks below robot grasping', () => {
    const picks = rankFor(corpus, ids, { ...none, keywords: ['robot grasping'] });
    expect(picks.findIndex((p) => p.id === 's1')).toBe(-1); // "grasping" alone is not the whole keyword
    expect(picks[0]!.id).toMatch(/^g/);
  });
  it('only ranks the candidates (the reader’s topics)', () => {
    const picks = rankFor(corpus, ['l1', 'l2', 'v1'], { ...none, keywords: ['robot grasping', 'language models'] });
    expect(picks.map((p) => p.id).sort()).toEqual(['l1', 'l2']);
  });
  it('picks nothing without evidence', () => {
    expect(rankFor(corpus, ids, { ...none, keywords: ['quantum chromodynamics'] })).toEqual([]);
    expect(rankFor(corpus, ids, none)).toEqual([]);
  });
  it('finds papers like the ones a reader follows, and names the paper', () => {
    const liked: MarkedPaper[] = [{ ...doc('x', 'Latent Diffusion Models', 'High-resolution image generation with latent diffusion models and text prompts.'), via: 'follow' }];
    const picks = rankFor(corpus, ids, { ...none, liked }, 2);
    expect(picks.map((p) => p.id)).toEqual(['v1', 'v2']);
    expect(picks[0]!.reasons).toContain("like 'Latent Diffusion Models' you follow");
  });
  it('"fewer like this" pushes similar papers down', () => {
    const base = rankFor(corpus, ids, { ...none, keywords: ['models'] }, 8).map((p) => p.id);
    const fewer = rankFor(corpus, ids, { ...none, keywords: ['models'], disliked: [doc('v1', DOCS[4]!.title, DOCS[4]!.abstract)] }, 8).map((p) => p.id);
    expect(fewer).not.toContain('v1'); // a marked paper is never picked again
    expect(base).toContain('v2');
    const at = fewer.indexOf('v2');
    expect(at === -1 || at > base.indexOf('v2')).toBe(true);
  });
  it('picks papers by a followed author', () => {
    const picks = rankFor(corpus, ids, { ...none, authors: ['grace hopper'] });
    expect(picks).toEqual([{ id: 'l2', score: 1, reasons: ['by Grace Hopper'] }]);
  });
  it('trains a per-reader model once there is enough feedback, still ranking liked kinds first', () => {
    const mk = (d: RankDoc): MarkedPaper => ({ ...d, via: 'marked' });
    const liked = [
      mk(doc('a', 'Robot grasp learning', 'robot hands grasp objects with tactile feedback')),
      mk(doc('b', 'Dexterous robot manipulation', 'a robot hand manipulates and grasps objects')),
      mk(doc('c', 'Grasp detection for robots', 'detecting grasp poses for robot arms from images')),
    ];
    const disliked = [doc('d', 'Language model scaling', 'language model loss scaling'), doc('e', 'Prompting language models', 'prompts for language models'), doc('f', 'Image diffusion', 'image diffusion model generation')];
    const picks = rankFor(corpus, ids, { ...none, liked, disliked }, 3);
    expect(picks.map((p) => p.id).sort()).toEqual(['c1', 'g1', 'g2']); // the robot papers, none about language or images
    expect(picks[0]!.reasons.some((r) => r.endsWith('you marked'))).toBe(true);
  });
  it('"more like this" moves the ranking: a marked paper pulls its neighbour up', () => {
    const i = { ...none, keywords: ['models'] };
    const base = rankFor(corpus, ids, i, 8).map((p) => p.id);
    const v1: MarkedPaper = { ...DOCS[4]!, via: 'marked' };
    const after = rankFor(corpus, ids, { ...i, liked: [v1] }, 8);
    expect(after.map((p) => p.id)).not.toContain('v1');
    expect(after[0]!.id).toBe('v2'); // the other diffusion paper
    expect(base.indexOf('v2')).toBeGreaterThan(0);
    expect(after[0]!.reasons).toContain("like 'Diffusion Models for Image Generation' you marked");
  });
  it('a followed paper pulls its close neighbour above an unrelated paper, with or without the other candidates', () => {
    const liked: MarkedPaper[] = [{ ...doc('y', 'Dexterous grasping with tactile hands', 'A robot hand grasps objects using tactile sensing.'), via: 'follow' }];
    const picks = rankFor(corpus, ids, { ...none, liked }, 8).map((p) => p.id);
    expect(picks.indexOf('g1')).toBeGreaterThanOrEqual(0);
    expect(picks.indexOf('g1')).toBeLessThan(picks.indexOf('l1') === -1 ? Infinity : picks.indexOf('l1'));
    expect(picks).not.toContain('v1');
    // Candidate lists are resolved once per list: a second list of other ids ranks its own papers only.
    expect(rankFor(corpus, ['l1', 'v1'], { ...none, liked }, 8).map((p) => p.id)).not.toContain('g1');
  });
  it('is deterministic', () => {
    const i = { ...none, keywords: ['diffusion', 'language models'] };
    expect(rankFor(corpus, ids, i)).toEqual(rankFor(corpus, ids, i));
  });
});
