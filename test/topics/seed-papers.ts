// The distinct papers of seeds/*.txt for topic tests and tuning: the real parser when present, else a plain split.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SEEDS_DIR = join(ROOT, 'seeds');

export interface SeedPaper {
  title: string;
  abstract: string;
}

type Parse = (text: string) => { papers: SeedPaper[] };

// The ingest parser belongs to another part of the tree; topic tests must not break while it is being written.
async function realParser(): Promise<Parse | null> {
  try {
    const parse = await import('../../src/ingest/parse.ts');
    return (text) => parse.parseSeed(text);
  } catch {
    return null;
  }
}

const HEADER =
  /^(?:new|subscribe|daily papers|by\s*AK and the research community|get trending papers in your email inbox(?: once a day)?!?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}(?:, \d{4})?)$/i;

/** The fallback: header lines out, a leading "Subscribe" off the first title, then title/abstract pairs. */
export function splitSeed(text: string): SeedPaper[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  let i = 0;
  while (i < lines.length && HEADER.test(lines[i]!)) i++;
  const body = lines.slice(i);
  if (body[0]?.startsWith('Subscribe')) body[0] = body[0].slice('Subscribe'.length);
  const papers: SeedPaper[] = [];
  for (let j = 0; j + 1 < body.length; j += 2) papers.push({ title: body[j]!, abstract: body[j + 1]! });
  return papers;
}

const key = (title: string) => title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** All seed papers, first occurrence of each title kept, in file order. */
export async function seedPapers(): Promise<SeedPaper[]> {
  const parse = (await realParser()) ?? ((text: string) => ({ papers: splitSeed(text) }));
  const seen = new Set<string>();
  const out: SeedPaper[] = [];
  for (const file of readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort()) {
    for (const p of parse(readFileSync(join(SEEDS_DIR, file), 'utf8')).papers) {
      if (seen.has(key(p.title))) continue;
      seen.add(key(p.title));
      out.push({ title: p.title, abstract: p.abstract });
    }
  }
  return out;
}
