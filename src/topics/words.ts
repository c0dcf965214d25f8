// The classifier's hot loop: a paper's text → word ids, one pass over the characters, no string per word.
import { joins } from './terms.ts';
import { isWordCode } from './text.ts';
import { vocabKeys } from './rules.ts';

/**
 * Every UTF-16 code unit → itself lowercased (ASCII letters) when it is a word character (see isWordCode),
 * else 0. One table read per character is the cheapest test the scanning loop can do.
 */
const FOLD = new Uint16Array(65536);
for (let c = 1; c < 65536; c++) if (isWordCode(c)) FOLD[c] = c >= 65 && c <= 90 ? c + 32 : c;

/**
 * The words of one text that some rule uses: word ids (base stem, agent noun; -1 when none), the word's
 * ordinal in the text (phrases need consecutive ordinals) and its offsets (acronyms are checked letter by letter).
 */
export class WordBuffer {
  /** Relevant words held. */
  length = 0;
  /** All words of the text, relevant or not. */
  words = 0;
  /** Whether the text is all ASCII (regex rules then take their faster twin). */
  ascii = true;
  base = new Int32Array(256);
  agent = new Int32Array(256);
  ordinal = new Int32Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);

  push(base: number, agent: number, ordinal: number, start: number, end: number): void {
    if (this.length === this.base.length) this.grow();
    const i = this.length++;
    this.base[i] = base;
    this.agent[i] = agent;
    this.ordinal[i] = ordinal;
    this.start[i] = start;
    this.end[i] = end;
  }

  private grow(): void {
    const n = this.base.length * 2;
    for (const k of ['base', 'agent', 'ordinal', 'start', 'end'] as const) {
      const next = new Int32Array(n);
      next.set(this[k]);
      this[k] = next;
    }
  }
}

/**
 * A second reader of every word of a text (the learned field model): its value of a word is memoized beside
 * the rule ids, and scan() hands it each word in order, so one pass over a paper's characters serves both.
 */
export interface WordReader {
  wordOf(word: string): number;
  /** The next word's value, and whether only spaces, hyphens or slashes separate it from the word before. */
  readWord(value: number, joined: boolean): void;
}

// Past this many distinct words the memo starts afresh: memory stays bounded on endless input.
const MAX_WORDS = 1 << 21;
const EMPTY = -2;

/**
 * Word (lowercased) → word ids, memoized in an open-addressing table keyed by two 32-bit hashes computed
 * while scanning, so no string is made for a word already seen: the vocabulary of papers is small next to
 * their word count, and stemming runs once per distinct word. (Two different words agreeing on all 64
 * bits is as likely as not once in billions of vocabularies.) Parallel typed arrays, not objects: measured
 * faster than one interleaved array, and far faster than a Map of strings.
 */
export class WordTable {
  /**
   * Slot i at 4i: hash 1, hash 2, the word's rule ids as an index into `pairBase`/`pairAgent` (-1: no rule uses
   * it; EMPTY: a free slot), the second reader's value. 16 bytes a slot, four to a cache line: a word costs one
   * line of the table, where five parallel arrays cost up to five.
   */
  private slots = new Int32Array(0);
  private mask = 0;
  private size = 0;
  /** The distinct (base id, agent id) pairs of words some rule uses, few and read often (so cached). */
  private pairBase: number[] = [];
  private pairAgent: number[] = [];
  private readonly pairOf = new Map<number, number>();

  constructor(
    private readonly vocab: Map<string, number>,
    private readonly second: WordReader | null = null,
  ) {
    this.reset(1 << 15);
  }

  /**
   * Splits `text` into `out` (cleared first), keeping only the words some rule uses; with `all` (and a second
   * reader), also hands the reader every word.
   */
  scan(text: string, out: WordBuffer, all = false): void {
    out.length = 0;
    const reader = all ? this.second : null;
    const track = reader !== null;
    let words = 0;
    let joined = false;
    // Every character OR-ed together: below 128 when the text is all ASCII (a regex test would read it again).
    let high = 0;
    const n = text.length;
    let i = 0;
    while (i < n) {
      let raw = text.charCodeAt(i);
      let c = FOLD[raw]!;
      if (c === 0) {
        high |= raw;
        // Between two words only spaces, hyphens and slashes keep a phrase together.
        if (track && !joins(raw)) joined = false;
        i++;
        continue;
      }
      // A word: its characters hashed in a tight loop of their own (measured faster than one loop with a state).
      const start = i;
      let a = 0;
      let b = 0x811c9dc5 | 0;
      do {
        // A word character folds only ASCII letters, so its value is ≥ 128 exactly when the character is.
        high |= c;
        a = (Math.imul(a, 31) + c) | 0;
        b = Math.imul(b ^ c, 0x01000193);
        if (++i === n) break;
        raw = text.charCodeAt(i);
        c = FOLD[raw]!;
      } while (c !== 0);
      let at = this.find(a, b);
      if (this.slots[at + 2] === EMPTY) at = this.insert(at, text.slice(start, i), a, b);
      const slots = this.slots;
      const pair = slots[at + 2]!;
      if (pair >= 0) out.push(this.pairBase[pair]!, this.pairAgent[pair]!, words, start, i);
      if (track) {
        reader.readWord(slots[at + 3]!, joined);
        joined = true;
      }
      words++;
    }
    out.words = words;
    out.ascii = high < 128;
  }

  /** The offset of the slot holding the word, or of the free slot where it belongs. */
  private find(a: number, b: number): number {
    const slots = this.slots;
    for (let slot = spread(a) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot << 2;
      if (slots[at + 2] === EMPTY || (slots[at] === a && slots[at + 1] === b)) return at;
    }
  }

  private insert(at: number, word: string, a: number, b: number): number {
    if (this.size >= MAX_WORDS || this.size * 2 >= this.mask + 1) {
      if (this.size >= MAX_WORDS) this.reset(this.mask + 1);
      else this.rehash();
      at = this.find(a, b);
    }
    // The stemmer lowercases the word itself.
    const [baseKey, agentKey] = vocabKeys(word);
    const base = this.vocab.get(baseKey) ?? -1;
    const agent = agentKey === null ? -1 : (this.vocab.get(agentKey) ?? -1);
    let pair = -1;
    if (base >= 0 || agent >= 0) {
      // Ids are below 2^26 (a vocabulary's size), so the two fit one number exactly.
      const key = base * 0x4000000 + agent;
      pair = this.pairOf.get(key) ?? -1;
      if (pair < 0) {
        pair = this.pairBase.length;
        this.pairOf.set(key, pair);
        this.pairBase.push(base);
        this.pairAgent.push(agent);
      }
    }
    const slots = this.slots;
    slots[at] = a;
    slots[at + 1] = b;
    slots[at + 2] = pair;
    slots[at + 3] = this.second === null ? 0 : this.second.wordOf(word);
    this.size++;
    return at;
  }

  private reset(capacity: number): void {
    this.slots = new Int32Array(capacity * 4);
    for (let at = 2; at < this.slots.length; at += 4) this.slots[at] = EMPTY;
    this.mask = capacity - 1;
    this.size = 0;
  }

  private rehash(): void {
    const old = this.slots;
    this.reset((this.mask + 1) * 2);
    for (let from = 0; from < old.length; from += 4) {
      if (old[from + 2] === EMPTY) continue;
      const at = this.find(old[from]!, old[from + 1]!);
      this.slots[at] = old[from]!;
      this.slots[at + 1] = old[from + 1]!;
      this.slots[at + 2] = old[from + 2]!;
      this.slots[at + 3] = old[from + 3]!;
      this.size++;
    }
  }
}

/** Mixes the high bits of a word hash into the low ones the table indexes by (murmur3's finalizer). */
function spread(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Whether the word at [start, end) of `text` is `exact` or its plural (LLM, LLMs). */
export function isSpelled(text: string, start: number, end: number, exact: string): boolean {
  const n = exact.length;
  const len = end - start;
  if (len !== n && !(len === n + 1 && text.charCodeAt(end - 1) === 115)) return false;
  return text.startsWith(exact, start);
}
