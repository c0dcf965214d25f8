// The field model's fast path (typed tables, the keyword scanner's shared pass, packed sort keys) against a plain reference built from the trainer's reading of a paper.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gatherEvidence } from '../../src/topics/classify.ts';
import { FieldModel, type ModelFile } from '../../src/topics/model.ts';
import { compileTopics } from '../../src/topics/rules.ts';
import { lengthScale, paperTerms } from '../../src/topics/terms.ts';
import type { CorpusRow } from '../../src/topics/train.ts';
import { ROOT } from './seed-papers.ts';

const slice = gunzipSync(readFileSync(join(ROOT, 'test/fixtures/topics-corpus.jsonl.gz')))
  .toString('utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as CorpusRow);
const file = JSON.parse(readFileSync(join(ROOT, 'src/topics/model/fields.json'), 'utf8')) as ModelFile;

/** The model as its file says, read the slow and obvious way: maps of strings, a sort with a comparator. */
function reference(model: ModelFile) {
  const terms = new Map(model.terms.map(([term, spelling, weights]) => [term, { spelling, weights }]));
  const scores = (p: { title: string; abstract: string }) => {
    const t = paperTerms(p.title, p.abstract);
    return model.fields.map((f) => {
      let sum = 0;
      for (const [term, v] of t.values) sum += (terms.get(term)?.weights[f.name] ?? 0) * v;
      return f.bias + sum * lengthScale(t.length);
    });
  };
  const spellings = (p: { title: string; abstract: string }, field: string, count: number) => {
    const ranked = [...paperTerms(p.title, p.abstract).values]
      .map(([term, v]) => ({ term, w: terms.get(term)?.weights[field] ?? 0, v }))
      .filter((x) => x.w > 0)
      .map(({ term, w, v }) => ({ term, points: Math.round(w * v * 100) / 100 }))
      .sort((a, b) => b.points - a.points || (a.term < b.term ? -1 : 1))
      .slice(0, 40);
    // A word is left out when a listed phrase holding it has at least half its points.
    const hidden = (x: { term: string; points: number }) =>
      !x.term.includes(' ') && ranked.some((y) => y.term.includes(' ') && y.term.split(' ').includes(x.term) && y.points >= x.points / 2);
    return ranked
      .filter((x) => !hidden(x))
      .slice(0, count)
      .map((x) => terms.get(x.term)!.spelling);
  };
  return { scores, spellings };
}

describe('the field model\'s fast path', () => {
  it('scores every paper of the committed slice as the reference does, field by field, through the shared pass and on its own', () => {
    const ref = reference(file);
    const shared = new FieldModel(file);
    const own = new FieldModel(file);
    const topics = compileTopics(readFileSync(join(ROOT, 'topics.yaml'), 'utf8'), 'topics.yaml', { model: () => shared });
    for (const p of slice) {
      const paper = { title: p.title, abstract: p.abstract };
      const expected = ref.scores(paper);
      gatherEvidence(paper, topics);
      const a = shared.scores(paper);
      const b = own.scores(paper);
      expect(b.score, p.title).toEqual(a.score);
      expected.forEach((x, k) => {
        expect(a.score[k]!, `${p.title}: ${file.fields[k]!.name}`).toBeCloseTo(x, 9);
        expect(a.hit[k]).toBe(a.score[k]! >= file.fields[k]!.threshold);
      });
    }
  });

  it('names the same words for every field of every paper of the slice as the reference ranking', () => {
    const ref = reference(file);
    const model = new FieldModel(file);
    let named = 0;
    for (const p of slice) {
      const paper = { title: p.title, abstract: p.abstract };
      file.fields.forEach((f, k) => {
        const words = model.topSpellings(paper, k, 5);
        expect(words, `${p.title}: ${f.name}`).toEqual(ref.spellings(paper, f.name, 5));
        expect(model.contributions(paper, k).slice(0, 5).map((c) => c.spelling)).toEqual(words);
        named += words.length;
      });
    }
    expect(named).toBeGreaterThan(slice.length * 10);
  });

  it('ranks with a comparator when weights are too large for packed sort keys, and still as the reference does', () => {
    const big: ModelFile = { ...file, terms: file.terms.map(([t, s, w]) => [t, s, Object.fromEntries(Object.entries(w).map(([f, x]) => [f, x * 2 ** 40]))]) };
    const ref = reference(big);
    const model = new FieldModel(big);
    for (const p of slice.slice(0, 100)) {
      const paper = { title: p.title, abstract: p.abstract };
      big.fields.forEach((f, k) => expect(model.topSpellings(paper, k, 5), `${p.title}: ${f.name}`).toEqual(ref.spellings(paper, f.name, 5)));
    }
  });
  it('finds the same phrases when the vocabulary is too large to key a word pair by one Int32', () => {
    // 46,341 words first: the real words' ids are then so large that first × words + second overflows an Int32.
    const filler: ModelFile['terms'] = Array.from({ length: 46_341 }, (_, i) => [`zzfiller${i}`, `zzfiller${i}`, {}]);
    const wide: ModelFile = { ...file, terms: [...filler, ...file.terms] };
    const ref = reference(file);
    const model = new FieldModel(wide);
    for (const p of slice.slice(0, 200)) {
      const paper = { title: p.title, abstract: p.abstract };
      const expected = ref.scores(paper);
      model.scores(paper).score.forEach((x, k) => expect(x, `${p.title}: ${file.fields[k]!.name}`).toBeCloseTo(expected[k]!, 9));
    }
  });
});
