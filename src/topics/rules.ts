// topics.yaml → compiled matchers; every error names the file, the line and the topic.
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { OTHER_TOPIC, type TopicDef } from '../domain.ts';
import { configError } from '../errors.ts';
import { tokenize } from './text.ts';

/** One keyword compiled: a sequence of stems (phrases) or of exact words (acronyms). */
export interface KeywordMatcher {
  /** As written in topics.yaml; what explanations show. */
  label: string;
  /** Exact-case words for acronyms (`LoRA`, `KV cache` keeps `KV` exact), else null. */
  exact: (string | null)[];
  /** The exact words with a plural s (LLMs), precomputed for the hot loop. */
  exactPlural: (string | null)[];
  stems: string[];
}

export interface CompiledTopic extends TopicDef {
  keywords: KeywordMatcher[];
  excludes: KeywordMatcher[];
  regexes: { label: string; re: RegExp }[];
}

export interface CompiledTopics {
  topics: TopicDef[];
  compiled: CompiledTopic[];
  /** Stem of the first word → the keywords that start with it: one map lookup per token of a paper. */
  index: Map<string, { topic: number; keyword: KeywordMatcher; exclude: boolean }[]>;
}

const keywordList = z.array(z.string().trim().min(1, 'keywords must not be empty')).default([]);
const topicSchema = z.strictObject({
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'slug must be lowercase letters, digits and hyphens (at most 48)')
    .refine((s) => s !== OTHER_TOPIC, `slug "${OTHER_TOPIC}" is reserved for papers without a topic`),
  name: z.string().trim().min(1, 'name is required').max(80),
  description: z.string().trim().max(300).default(''),
  keywords: keywordList,
  exclude: keywordList,
  regex: keywordList,
});
const fileSchema = z.object({ topics: z.array(z.unknown()).min(1, 'at least one topic is required') });

/**
 * A word is matched exactly (case-sensitive) when it has an uppercase letter after its first character
 * (LLM, LoRA, KV, GPT-4), so "LoRA" never matches "flora" and "RL" never matches "URL" (tokens are whole words).
 * Other words match case-insensitively with light stemming (quantize = quantized = quantization).
 */
export function compileKeyword(label: string): KeywordMatcher {
  const tokens = tokenize(label);
  const exact = tokens.raw.map((w) => (/^.+\p{Lu}/u.test(w) || /^\p{Lu}\p{N}/u.test(w) ? w : null));
  return { label, exact, exactPlural: exact.map((w) => (w === null ? null : `${w}s`)), stems: tokens.stem };
}

export function compileTopics(yamlText: string, fileName: string): CompiledTopics {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? 1;
    throw configError(`${fileName}:${line}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  const top = fileSchema.safeParse(doc.toJS());
  if (!top.success) throw configError(`${fileName}:${lineOf(root)}: expected "topics:" with a list of topics`);
  const items = isMap(root) && isSeq(root.get('topics', true)) ? (root.get('topics', true) as unknown as { items: Node[] }).items : [];

  const compiled: CompiledTopic[] = [];
  const seen = new Map<string, number>();
  top.data.topics.forEach((raw, i) => {
    const node = items[i];
    const line = lineOf(node);
    const name = (raw as { slug?: unknown })?.slug;
    const label = typeof name === 'string' ? `topic "${name}"` : `topic #${i + 1}`;
    const parsed = topicSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length ? `${issue.path.join('.')}: ` : '';
      const fieldNode = isMap(node) && issue.path[0] !== undefined ? (node.get(String(issue.path[0]), true) as Node | undefined) : undefined;
      throw configError(`${fileName}:${lineOf(fieldNode ?? node)}: ${label}: ${field}${issue.message}`);
    }
    const t = parsed.data;
    if (seen.has(t.slug)) throw configError(`${fileName}:${line}: ${label}: duplicate slug (first defined on line ${seen.get(t.slug)})`);
    seen.set(t.slug, line);
    if (t.keywords.length === 0 && t.regex.length === 0) throw configError(`${fileName}:${line}: ${label}: needs at least one keyword or regex`);
    const regexes = t.regex.map((source, j) => {
      try {
        return { label: `/${source}/`, re: new RegExp(source, 'u') };
      } catch (err) {
        const seq = isMap(node) ? (node.get('regex', true) as { items?: Node[] } | undefined) : undefined;
        throw configError(`${fileName}:${lineOf(seq?.items?.[j] ?? node)}: ${label}: regex /${source}/ does not compile: ${(err as Error).message}`);
      }
    });
    // "language model" and "language models" compile alike: keep one, or a paper would score twice.
    const signature = (k: KeywordMatcher) => k.stems.map((s, j) => k.exact[j] ?? s.toLowerCase()).join(' ');
    const unique = new Map<string, KeywordMatcher>();
    for (const k of t.keywords.map(compileKeyword)) if (k.stems.length > 0 && !unique.has(signature(k))) unique.set(signature(k), k);
    const keywords = [...unique.values()];
    compiled.push({ slug: t.slug, name: t.name, description: t.description, keywords, excludes: t.exclude.map(compileKeyword), regexes });
  });

  const index: CompiledTopics['index'] = new Map();
  compiled.forEach((topic, ti) => {
    for (const [list, exclude] of [[topic.keywords, false], [topic.excludes, true]] as const) {
      for (const keyword of list) {
        // Acronyms too are keyed by stem (LLMs → llm); matchesAt then checks the exact spelling.
        const key = keyword.stems[0]!;
        if (!index.has(key)) index.set(key, []);
        index.get(key)!.push({ topic: ti, keyword, exclude });
      }
    }
  });
  return { topics: compiled.map(({ slug, name, description }) => ({ slug, name, description })), compiled, index };
}
