// The nouns of paperboy as plain types; every layer speaks these and nothing else.

/** A paper as a format parser hands it over: text only, no store fields yet. */
export interface ParsedPaper {
  /** Title as written in the seed (LaTeX kept), control characters stripped, whitespace collapsed. */
  title: string;
  /** Abstract as written in the seed, same cleaning as the title. */
  abstract: string;
  /** arXiv id such as `2410.17243` (no version suffix) when the seed knows it. */
  arxivId: string | null;
  authors: string[];
  upvotes: number | null;
  /** ISO timestamp the listing gives for the paper, if any. */
  publishedAt: string | null;
  /** Optional extras newer Hugging Face responses carry; kept when present. */
  extra: PaperExtra;
  /** 1-based line in the seed file where the paper starts (JSON/HTML: the item's index + 1). */
  line: number;
  /** The title held U+FFFD (dropped by cleaning). In a file read leniently that is a byte the file lost: see scan.ts. */
  titleHadFFFD?: boolean;
  /** arXiv categories, primary first, when a source or an enrichment knows them (author-chosen: strong topic evidence). */
  categories?: string[];
  /** Why the paper is kept but in doubt (an abstract that may be cut off), until a later listing repairs it. */
  doubt?: string | null;
}

export interface PaperExtra {
  aiSummary?: string;
  aiKeywords?: string[];
  githubRepo?: string;
  projectPage?: string;
  numComments?: number;
  /** The authors' comment on arXiv ("12 pages, accepted at ICRA 2025"), from an arXiv listing or enrichment. */
  arxivComment?: string;
}

/** A paper as the store remembers it. */
export interface Paper extends ParsedPaper {
  /** Stable id: the arXiv id when known, else `t-` + hash of the normalized title. */
  id: string;
  /** ISO timestamp when paperboy first saw the paper. */
  firstSeen: string;
  /** Path (relative to the seeds folder) of the seed file the paper first came from. */
  seedFile: string;
  /** Edition the paper was published in, or null while it waits for the next edition. */
  editionId: string | null;
  /** When the paper first reached the feeds (ISO, whole seconds; distinct per paper), or null before it did. */
  listedAt?: string | null;
}

/** A problem found while parsing: the line (0 when the whole file) and a one-line message. */
export interface ParseProblem {
  line: number;
  message: string;
}

export interface ParseResult {
  format: string;
  papers: ParsedPaper[];
  problems: ParseProblem[];
}

/** A topic compiled from topics.yaml. */
export interface TopicDef {
  slug: string;
  name: string;
  description: string;
  /** Slugs this topic had before (topics.yaml `formerly`): readers who chose one keep the topic, feeds keep the old name. */
  formerly?: string[];
}

/** A reader's stored topic slugs with renamed ones read as their topic's current slug (unknown ones dropped). */
export function currentSlugs(wanted: readonly string[], topics: readonly TopicDef[]): string[] {
  const set = new Set(wanted);
  return topics.filter((t) => set.has(t.slug) || (t.formerly ?? []).some((s) => set.has(s))).map((t) => t.slug);
}

/** One topic a paper belongs to, with why. */
export interface TopicMatch {
  slug: string;
  score: number;
  /** The keywords (as written in topics.yaml) that matched, strongest first. */
  keywords: string[];
}

/** The classification of one paper: topics ordered by score, primary first. Empty means "other". */
export interface Classification {
  primary: string; // a topic slug, or OTHER_TOPIC
  topics: TopicMatch[];
}

export const OTHER_TOPIC = 'other';

export type Cadence = 'daily' | 'weekly';
export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed', 'bounced'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

export interface Subscriber {
  id: number;
  email: string;
  status: SubscriberStatus;
  /** Topic slugs; null means all topics (including ones added later). */
  topics: string[] | null;
  cadence: Cadence;
  /** 0 = Sunday … 6 = Saturday; used when cadence is weekly. */
  weekday: number;
  createdAt: string;
  confirmedAt: string | null;
}

/** What a subscriber chose; equal selections get equal digests. */
export interface Selection {
  topics: string[] | null;
  cadence: Cadence;
}

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

/** A phrase that shows up far more in an edition than in the stored history. */
export interface TrendingKeyword {
  phrase: string;
  /** Papers in the edition that contain the phrase. */
  count: number;
  score: number;
}

/** A paper as it appears in an edition: the paper plus why it landed in its topics. */
export interface EditionPaper {
  paper: Paper;
  classification: Classification;
}

export type EditionStatus = 'published' | 'empty';

/** The papers first seen since the previous edition, for one date. */
export interface Edition {
  /** The local date `YYYY-MM-DD` (in PAPERBOY_TZ); also the edition's id. */
  id: string;
  status: EditionStatus;
  /** Why an edition is empty (`nothing new in the seeds`, `no seed files`), else null. */
  reason: string | null;
  createdAt: string;
  /** Papers ordered by upvotes (desc, unknown last) then title. */
  papers: EditionPaper[];
  trending: TrendingKeyword[];
}

/** One topic's part of a digest. */
export interface DigestSection {
  topic: TopicDef;
  /** Papers shown in the email (cut to a budget). */
  papers: EditionPaper[];
  /** Papers in this section that the email leaves to the web archive. */
  more: number;
  /** All papers of the section, shown + more. */
  total: number;
}

/** An edition (or a week of editions) cut to one selection. */
export interface Digest {
  /** The editions it covers, oldest first. For a daily digest, one. */
  editionIds: string[];
  /** The last edition's date; the digest's date. */
  date: string;
  selection: Selection;
  sections: DigestSection[];
  /** Distinct papers across all sections. */
  paperCount: number;
  trending: TrendingKeyword[];
}
