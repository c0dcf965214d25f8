// topics.yaml → compiled matchers; every error names the file, the line and the topic.
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node } from './yaml.ts';
import { z } from 'zod';
import { OTHER_TOPIC, type TopicDef } from '../domain.ts';
import { configError } from '../errors.ts';
import type { FieldModel } from './model.ts';
import { isAcronym, stemWord, words } from './text.ts';

/**
 * One way of writing a keyword, as a sequence of word ids (see `vocab`) that must follow each other in a
 * paper. `exact` holds the spelling of acronym words (matched case-sensitively, plural s allowed).
 */
export interface Candidate {
  group: number;
  topic: number;
  exclude: boolean;
  /** From `title_only`: counts in titles, never in abstracts. */
  titleOnly: boolean;
  /** From `ignore`: claims its words for the topic without scoring (so "vision-language model" is no "language model"). */
  ignore: boolean;
  /** The spelling that matched, as written in topics.yaml (`LLM`, `fine-tuning`). */
  label: string;
  ids: Int32Array;
  exact: (string | null)[];
}

/** A keyword entry of topics.yaml: one keyword or a list of synonyms that count once. */
export interface KeywordGroup {
  topic: number;
  /** The field of topics.yaml the entry comes from. */
  kind: 'keywords' | 'title_only' | 'ignore' | 'exclude' | 'regex';
  /** As written in topics.yaml (synonyms joined with " | "). */
  label: string;
}

/**
 * The candidates starting with one word. Phrases are keyed again by their second word, so a common first
 * word ("model", "language") costs one map lookup instead of a try per phrase that starts with it.
 */
export interface IndexEntry {
  /** Candidates of two or more words by the id of their second word, longest first. */
  phrases: Map<number, Candidate[]> | null;
  /** One-word candidates. */
  words: Candidate[] | null;
}

export interface RegexRule {
  topic: number;
  group: number;
  label: string;
  re: RegExp;
  /**
   * The same regex without the `u` flag paperboy adds, for text that is all ASCII: it finds the same match
   * there (Unicode case folding differs only outside ASCII), and /iu scans about ten times slower than /i.
   * Null when the pattern could read differently without `u` (non-ASCII, letter or digit escapes but \b\w\d\s).
   */
  ascii: RegExp | null;
}

export interface CompiledTopics {
  /** In file order; the order ties are broken in. */
  topics: TopicDef[];
  groups: KeywordGroup[];
  /** Stem (or "~" + agent noun) → word id. */
  vocab: Map<string, number>;
  /** Word id → the candidates whose first word it is: one array lookup per word of a paper. */
  index: (IndexEntry | undefined)[];
  regexes: RegexRule[];
  /** Spellings that match nothing an earlier spelling of the same topic does not ("graphs" after "graph"): harmless, but noise to an editor. */
  redundant: { slug: string; spelling: string }[];
  /** Per topic, from `categories`: the arXiv categories it is for (empty: any computer-science or ML paper; "*": any paper). */
  categories: string[][];
  /** Per topic, from `home_for`: papers of these categories that no topic of theirs took land here. */
  homeFor: string[][];
  /** The learned field model, read on first use; null: keywords and known categories only. */
  model: () => FieldModel | null;
}

export interface CompileOptions {
  /** The learned field model (or a loader, called on first classification); none: keywords and known categories only. */
  model?: FieldModel | (() => FieldModel) | null;
}

/** An arXiv category ("cs.CV"), a whole archive ("q-bio.", with its dot), or "*" for any paper. */
const CATEGORY = /^(?:\*|[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?\.?)$/;
const CATEGORY_HINT = 'must be an arXiv category like "cs.CV", an archive with its dot like "q-bio.", or "*"';
const entry = z.union([z.string(), z.array(z.string()).min(1, 'a list of synonyms must not be empty')]);
const topicSchema = z.strictObject({
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens (like "speech-audio")')
    .max(48, 'must be at most 48 characters')
    .refine((s) => s !== OTHER_TOPIC, `"${OTHER_TOPIC}" is reserved for papers without a topic`),
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  description: z.string().trim().max(300, 'must be at most 300 characters').default(''),
  keywords: z.array(entry).default([]),
  title_only: z.array(entry).default([]),
  ignore: z.array(entry).default([]),
  exclude: z.array(entry).default([]),
  regex: z.array(z.string().min(1, 'must not be empty')).default([]),
  categories: z.array(z.string().regex(CATEGORY, CATEGORY_HINT)).default([]),
  home_for: z.array(z.string().regex(CATEGORY, CATEGORY_HINT)).default([]),
  // A renamed topic keeps its readers' choices and its old feed URL.
  formerly: z.array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug (lowercase letters, digits, hyphens)')).default([]),
});

type TopicInput = z.infer<typeof topicSchema>;

export function compileTopics(yamlText: string, fileName: string, options: CompileOptions = {}): CompiledTopics {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: unknown): number => {
    const range = (node as Node | undefined)?.range;
    return range ? lines.linePos(range[0]).line : 1;
  };
  const fail = (node: unknown, message: string): never => {
    throw configError(`${fileName}:${lineOf(node)}: ${message}`);
  };
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lines.linePos(yamlError.pos[0]).line;
    throw configError(`${fileName}:${line}: invalid YAML${nearTopic(yamlText, line)}: ${yamlError.message.split('\n')[0]}`);
  }

  const root = doc.contents;
  const list = isMap(root) ? root.get('topics', true) : undefined;
  const keyName = (key: unknown) => String(isScalar(key) ? key.value : key);
  const unknown = isMap(root) ? root.items.find((pair) => keyName(pair.key) !== 'topics') : undefined;
  if (unknown) return fail(unknown.key, `unknown top-level field "${keyName(unknown.key)}" (the file holds only "topics:")`);
  if (!isSeq(list)) return fail(list ?? root, 'expected "topics:" followed by a list of topics');
  if (list.items.length === 0) return fail(list, '"topics:" lists no topics');

  const builder = new Builder();
  const firstLine = new Map<string, number>();
  list.items.forEach((node, i) => {
    const raw: unknown = isNode(node) ? node.toJSON() : node;
    const slug = (raw as { slug?: unknown } | null)?.slug;
    const who = typeof slug === 'string' ? `topic "${slug}"` : `topic #${i + 1}`;
    const t = validate(raw, node, who, fail);
    if (firstLine.has(t.slug)) fail(node, `${who}: duplicate slug (first defined on line ${firstLine.get(t.slug)})`);
    firstLine.set(t.slug, lineOf(node));
    // A former slug names one topic's feed file and readers' choices: it may not be any topic's slug, now or before.
    for (const old of t.formerly) {
      if (old === OTHER_TOPIC || firstLine.has(old)) fail(node, `${who}: formerly "${old}" is already ${old === OTHER_TOPIC ? 'reserved' : `used on line ${firstLine.get(old)}`}`);
      firstLine.set(old, lineOf(node));
    }
    if (t.keywords.length + t.title_only.length + t.regex.length === 0) fail(node, `${who}: needs at least one keyword or regex`);
    const field = (name: string, j: number) => (isMap(node) ? (node.get(name, true) as { items?: Node[] } | undefined)?.items?.[j] : undefined) ?? node;
    builder.addTopic(t, (name, j, message) => fail(field(name, j), `${who}: ${message}`));
  });
  const compiled = builder.done();
  const source = options.model ?? null;
  let model: FieldModel | null | undefined = typeof source === 'function' ? undefined : source;
  compiled.model = () => (model === undefined ? (model = (source as () => FieldModel)()) : model);
  return compiled;
}

function validate(raw: unknown, node: unknown, who: string, fail: (node: unknown, message: string) => never): TopicInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(node, `${who}: expected a mapping with slug, name, description, keywords`);
  const parsed = topicSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = issue.path[0];
  // The deepest YAML node the issue points at (`keywords.1` is the second item), for its line.
  const path = issue.path.map((k) => (typeof k === 'number' ? k : String(k)));
  const deepest = (depth: number): Node | undefined => {
    for (let d = depth; d > 0; d--) {
      const found = isMap(node) ? (node.getIn(path.slice(0, d), true) as Node | undefined) : undefined;
      if (isNode(found)) return found;
    }
    return undefined;
  };
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(topicSchema.shape).join(', ');
    const keyNode = isMap(node) ? node.items.find((pair) => isScalar(pair.key) && pair.key.value === issue.keys[0])?.key : undefined;
    return fail(keyNode ?? node, `${who}: unknown field "${issue.keys[0]}" (known: ${known})`);
  }
  const field = path.map(String).join('.');
  const missing = key !== undefined && issue.path.length === 1 && (raw as Record<string, unknown>)[String(key)] == null;
  const expected = issue.code === 'invalid_type' ? issue.expected : undefined;
  // A keyword entry is text or a list of texts; zod calls a number there an "invalid input" of the union.
  const badEntry = issue.code === 'invalid_union' && path.length >= 2;
  const message = missing
    ? 'is required'
    : badEntry
      ? `must be text or a list of synonyms like [a, b] (quote numbers and yes/no: "${String(valueAt(raw, path))}")`
      : expected === 'array'
        ? 'must be a list, like [a, b]'
        : expected === 'string'
          ? 'must be text'
          : issue.message;
  return fail(deepest(path.length) ?? node, `${who}: ${field}: ${message}`);
}

/** Which topic a broken line sits in or just after (the last "slug:" at or above it), when the YAML cannot say. */
function nearTopic(text: string, line: number): string {
  // Lines above the error only: a parser notices an unclosed bracket where the next topic starts.
  const above = text.split('\n').slice(0, line - 1);
  for (let i = above.length - 1; i >= 0; i--) {
    const m = /^\s*-?\s*slug:\s*["']?([^"'#\s]+)/.exec(above[i]!);
    if (m) return ` (in or after topic "${m[1]}" on line ${i + 1})`;
  }
  return '';
}

const valueAt = (raw: unknown, path: (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), raw);

/** Collects candidates, word ids and regexes topic by topic, in file order. */
class Builder {
  private topics: TopicDef[] = [];
  private groups: KeywordGroup[] = [];
  private vocab = new Map<string, number>();
  private candidates: Candidate[] = [];
  private regexes: RegexRule[] = [];
  private redundant: CompiledTopics['redundant'] = [];
  private categories: string[][] = [];
  private homeFor: string[][] = [];

  addTopic(t: TopicInput, fail: (field: string, index: number, message: string) => never): void {
    const topic = this.topics.length;
    this.topics.push({ slug: t.slug, name: t.name, description: t.description, ...(t.formerly.length ? { formerly: t.formerly } : {}) });
    this.categories.push(t.categories);
    this.homeFor.push(t.home_for);
    // "language model" and "language models" compile alike: keep one, or a paper would score twice.
    const seen = new Set<string>();
    const fields = [['keywords', false, false], ['title_only', false, true], ['ignore', false, false], ['exclude', true, false]] as const;
    for (const [field, exclude, titleOnly] of fields) {
      const ignore = field === 'ignore';
      t[field].forEach((e, j) => {
        const synonyms = typeof e === 'string' ? [e] : e;
        const group = this.groups.length;
        let added = 0;
        for (const spelling of synonyms) {
          const variants = compileSpelling(spelling, this.vocab);
          if (variants.length === 0) fail(field, j, `keyword "${spelling}" has no words`);
          let own = 0;
          for (const v of variants) {
            const signature = `${field}:${[...v.ids].join(' ')}:${v.exact.join(' ')}`;
            if (seen.has(signature)) continue;
            seen.add(signature);
            this.candidates.push({ group, topic, exclude, titleOnly, ignore, label: spelling.trim(), ...v });
            added++;
            own++;
          }
          if (own === 0) this.redundant.push({ slug: t.slug, spelling: spelling.trim() });
        }
        if (added > 0) this.groups.push({ topic, kind: field, label: synonyms.map((s) => s.trim()).join(' | ') });
      });
    }
    t.regex.forEach((source, j) => {
      const group = this.groups.length;
      const re = compileRegex(source, (m) => fail('regex', j, `regex ${show(source)} does not compile: ${m}`));
      this.regexes.push({ topic, group, label: source, re, ascii: asciiTwin(re) });
      this.groups.push({ topic, kind: 'regex', label: source });
    });
  }

  done(): CompiledTopics {
    const index: (IndexEntry | undefined)[] = new Array(this.vocab.size);
    for (const c of this.candidates) {
      const entry = (index[c.ids[0]!] ??= { phrases: null, words: null });
      if (c.ids.length === 1) (entry.words ??= []).push(c);
      else {
        const phrases = (entry.phrases ??= new Map());
        const list = phrases.get(c.ids[1]!) ?? [];
        list.push(c);
        phrases.set(c.ids[1]!, list);
      }
    }
    // Longest first, so "large language model" claims its words before "language model" can; at equal
    // length an ignore rule goes first, so it can hold back a keyword spelled alike ("server" vs "serving").
    const order = (a: Candidate, b: Candidate) => b.ids.length - a.ids.length || Number(b.ignore) - Number(a.ignore);
    for (const entry of index) {
      entry?.words?.sort(order);
      for (const list of entry?.phrases?.values() ?? []) list.sort(order);
    }
    return {
      topics: this.topics,
      groups: this.groups,
      vocab: this.vocab,
      index,
      regexes: this.regexes,
      redundant: this.redundant,
      categories: this.categories,
      homeFor: this.homeFor,
      model: () => null,
    };
  }
}

/**
 * A spelling → its word sequences. Text is split at hyphens too, so a space in a keyword matches a space
 * or a hyphen; a hyphen in a keyword also matches nothing at all: "fine-tuning" matches fine-tuning,
 * fine tuning and finetuning (not for acronyms: "GPT-4" is not "GPT4").
 */
function compileSpelling(spelling: string, vocab: Map<string, number>): { ids: Int32Array; exact: (string | null)[] }[] {
  const idOf = (key: string) => {
    let id = vocab.get(key);
    if (id === undefined) vocab.set(key, (id = vocab.size));
    return id;
  };
  // Acronyms are found by their lowercase stem and then checked letter by letter.
  const word = (w: string) => {
    const s = stemWord(w);
    return isAcronym(w) ? { id: idOf(s.base), exact: w } : { id: idOf(s.agent === null ? s.base : `~${s.agent}`), exact: null };
  };
  let sequences: { id: number; exact: string | null }[][] = [[]];
  for (const chunk of spelling.trim().split(/\s+/)) {
    const parts = words(chunk);
    if (parts.length === 0) continue;
    const forms = [parts.map(word)];
    if (parts.length > 1 && chunk.includes('-') && !parts.some(isAcronym)) forms.push([word(parts.join(''))]);
    sequences = sequences.flatMap((seq) => forms.map((f) => [...seq, ...f]));
  }
  return sequences.filter((seq) => seq.length > 0).map((seq) => ({ ids: Int32Array.from(seq, (w) => w.id), exact: seq.map((w) => w.exact) }));
}

/** Vocabulary keys for a word of a paper: its base stem and, for -er/-or nouns, "~" + the noun. */
export const vocabKeys = (lowerWord: string): [string, string | null] => {
  const s = stemWord(lowerWord);
  return [s.base, s.agent === null ? null : `~${s.agent}`];
};

/** See RegexRule.ascii. */
export function asciiTwin(re: RegExp): RegExp | null {
  if (!re.unicode || re.unicodeSets) return null;
  if (!/^[\x20-\x7e]*$/.test(re.source) || /\\[A-Za-z0-9](?<!\\[bwdsDS])/.test(re.source)) return null;
  try {
    return new RegExp(re.source, re.flags.replace('u', ''));
  } catch {
    return null;
  }
}

const show = (source: string) => (source.startsWith('/') ? source : `/${source}/`);

/** `pattern` (case-sensitive) or `/pattern/flags`; g and y are dropped (they make test() stateful). */
function compileRegex(source: string, fail: (message: string) => never): RegExp {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(source);
  const [pattern, flags] = literal ? [literal[1]!, literal[2]!.replace(/[gy]/g, '')] : [source, ''];
  try {
    return new RegExp(pattern, flags.includes('u') || flags.includes('v') ? flags : `${flags}u`);
  } catch (err) {
    return fail((err as Error).message);
  }
}
