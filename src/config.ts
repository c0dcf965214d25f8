// Environment (+ optional .env file) → validated Config; the only reader of process.env.
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import cron from 'node-cron';
import { z } from 'zod';
import { readDkimKey } from './dkim-key.ts';
import { configError } from './errors.ts';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const intFrom = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

const httpUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without query or fragment, e.g. https://papers.example.org')
  // Normalized (a space becomes %20, the host lowercase) so the URL can go into feeds and headers as it is.
  .transform((s) => new URL(s).href.replace(/\/+$/, ''));

const smtpUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must look like smtp://user:pass@host:587 or smtps://host:465');

// A From header value: "Name <addr@domain>" or a bare address; no line breaks (header injection).
const fromAddress = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    // One message per variable: a line break is the headline problem (header injection), shape second.
    if (/[\r\n]/.test(s)) ctx.addIssue({ code: 'custom', message: 'must be one line' });
    else if (!/^(?:[^<>\\]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'must be "Name <address@domain>" or an address' });
    }
  });

// HMAC keys, comma-separated for rotation (parsed here, once): each key on its own must be long enough.
const secrets = z.string().transform((s, ctx): string[] => {
  const keys = s.split(',').map((k) => k.trim());
  const short = keys.findIndex((k) => k.length < 32);
  if (short >= 0) {
    const which = keys.length > 1 ? `each comma-separated key (key ${short + 1} of ${keys.length} is not) ` : '';
    ctx.addIssue({ code: 'custom', message: `${which}must be at least 32 characters (use \`openssl rand -hex 32\`)` });
  }
  return keys;
});

// Proxy names @fastify/proxy-addr knows, besides addresses and CIDR ranges.
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const isProxyAddress = (s: string) => {
  if (PROXY_NAMES.includes(s) || isIP(s) !== 0) return true;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  return m !== null && isIP(m[1]!) !== 0 && Number(m[2]) <= (isIP(m[1]!) === 4 ? 32 : 128);
};

// fastify's trustProxy: false, true (any peer may set X-Forwarded-For) or the proxies' addresses. Hop counts are
// refused: fastify ignores them, since a client that reaches the port directly could then forge its address.
const trustProxy = z
  .string()
  .trim()
  .transform((s, ctx): boolean | string[] => {
    const v = s.toLowerCase();
    if (v === 'false') return false;
    if (v === 'true') return true;
    const parts = s.split(',').map((p) => p.trim()).filter(Boolean);
    if (/^\d+$/.test(v)) ctx.addIssue({ code: 'custom', message: 'a hop count cannot tell the proxy from a client that reaches the port directly; list the proxy addresses instead, e.g. 127.0.0.1 or 10.0.0.0/8' });
    else if (parts.length === 0 || !parts.every(isProxyAddress)) ctx.addIssue({ code: 'custom', message: 'must be false, true, or comma-separated proxy addresses or CIDR ranges such as 127.0.0.1,10.0.0.0/8' });
    return parts;
  });

/** A live source: `hf` (Hugging Face Daily Papers) or `arxiv:<category>` (one arXiv category's new papers). */
export type SourceSpec = { name: 'hf'; kind: 'hf' } | { name: `arxiv:${string}`; kind: 'arxiv'; category: string };

// arXiv category names: an archive (`hep-th`, `cs`) with an optional subject class (`cs.RO`, `math.AG`, `astro-ph.CO`).
const ARXIV_CATEGORY = /^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$/;

const sourceList = z.string().transform((s, ctx): SourceSpec[] => {
  const out: SourceSpec[] = [];
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const arxiv = /^arxiv:(.+)$/i.exec(part);
    if (part.toLowerCase() === 'hf') out.push({ name: 'hf', kind: 'hf' });
    else if (arxiv && ARXIV_CATEGORY.test(arxiv[1]!)) out.push({ name: `arxiv:${arxiv[1]!}`, kind: 'arxiv', category: arxiv[1]! });
    else ctx.addIssue({ code: 'custom', message: `"${part}" is no source: use hf or arxiv:<category> (e.g. hf,arxiv:cs.RO)` });
  }
  // Each source once, in the order given.
  return out.filter((x, i) => out.findIndex((y) => y.name === x.name) === i);
});

// The operator's contact for the User-Agent: servers that see trouble can write instead of blocking.
const contact = z
  .string()
  .trim()
  .refine((s) => !/[\u0000-\u001f\u007f()]/.test(s), 'must be one line without parentheses: an email address or a URL');

/** Every setting, with its environment variable, default and validation. */
const schema = z.object({
  PAPERBOY_DATA_DIR: z.string().trim().min(1).default('data'),
  PAPERBOY_SEEDS_DIR: z.string().trim().min(1).default('seeds'),
  PAPERBOY_TOPICS: z.string().trim().min(1).default('topics.yaml'),
  PAPERBOY_BASE_URL: httpUrl.default('http://localhost:8080'),
  PAPERBOY_SECRET: secrets.optional(),
  PAPERBOY_FROM: fromAddress.default('paperboy <paperboy@localhost>'),
  PAPERBOY_TZ: z.string().trim().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC').default('UTC'),
  PAPERBOY_SCHEDULE: z
    .string()
    .trim()
    // Five fields: node-cron also takes a seconds field, but catch-up reasons in whole minutes.
    .refine((s) => s.split(/\s+/).length === 5 && cron.validate(s), 'must be a five-field cron expression (minute hour day month weekday) such as "0 7 * * *"')
    .default('0 7 * * *'),
  PAPERBOY_FEED_EDITIONS: intFrom(1, 366).default(7),
  PAPERBOY_CONFIRM_PER_HOUR: intFrom(1, 1_000_000).default(100),
  SMTP_URL: smtpUrl.optional(),
  SMTP_POOL_CONNECTIONS: intFrom(1, 100).default(5),
  SMTP_MAX_MESSAGES: intFrom(1, 100_000).default(100),
  SMTP_RATE_PER_SECOND: intFrom(0, 100_000).default(0),
  PAPERBOY_SEND_BATCH: intFrom(1, 10_000).default(20),
  PAPERBOY_DKIM_DOMAIN: z.string().trim().min(1).optional(),
  PAPERBOY_DKIM_SELECTOR: z.string().trim().min(1).optional(),
  PAPERBOY_DKIM_KEY_FILE: z.string().trim().min(1).optional(),
  PORT: intFrom(0, 65_535).default(8080),
  PAPERBOY_TRUST_PROXY: trustProxy.default(false),
  PAPERBOY_SOURCES: sourceList.optional(),
  PAPERBOY_HF_URL: httpUrl.default('https://huggingface.co'),
  HF_TOKEN: z.string().trim().regex(/^[\x21-\x7e]+$/, 'must be one token without spaces').optional(),
  PAPERBOY_ARXIV_URL: httpUrl.default('https://export.arxiv.org'),
  PAPERBOY_ENRICH: z.string().trim().toLowerCase().pipe(z.enum(['arxiv', 'off'], { message: 'must be arxiv or off' })).default('off'),
  PAPERBOY_FETCH_DAYS: intFrom(1, 30).default(3),
  PAPERBOY_CONTACT: contact.optional(),
});

export type RawEnv = z.input<typeof schema>;

export interface Config {
  dataDir: string;
  seedsDir: string;
  topicsPath: string;
  dbPath: string;
  outboxDir: string;
  siteDir: string;
  /** Where a run writes the day's digest preview (.html, .txt, .eml). */
  previewDir: string;
  baseUrl: string;
  /** PAPERBOY_SECRET's keys (first signs, all verify); empty until app.ts generates one into the data folder. */
  secrets: string[];
  from: string;
  tz: string;
  schedule: string;
  /** How many of the newest editions the feeds hold (every paper of each). */
  feedEditions: number;
  /** Confirmation emails the subscribe form may send per hour, over all clients (besides 10 per client). */
  confirmPerHour: number;
  smtp: { url: string; poolConnections: number; maxMessages: number; ratePerSecond: number } | null;
  dkim: { domain: string; selector: string; keyFile: string } | null;
  /** Delivery rows claimed per transaction; a crash resends at most this many plus the messages in flight. */
  sendBatch: number;
  port: number;
  /** Whose X-Forwarded-For to believe for the client address (rate limits, consent records). */
  trustProxy: boolean | string[];
  /** Live sources and arXiv enrichment; no sources means fully offline. */
  sources: {
    list: SourceSpec[];
    hfUrl: string;
    hfToken: string | null;
    arxivUrl: string;
    /** PAPERBOY_ENRICH=arxiv: enrichment is a step of every run. */
    enrich: boolean;
    /** Days fetched per run, today included: late additions and upvotes keep changing for days. */
    days: number;
    /** Named in the User-Agent. */
    contact: string;
  };
}

/** The variables we read, for `paperboy config` and the docs. */
export const CONFIG_KEYS = Object.keys(schema.shape) as (keyof RawEnv)[];

/**
 * Validates an environment. Empty strings count as unset, so `FOO=` in .env falls back to the default.
 * Throws a CONFIG error with one line per bad value.
 */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const picked: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') picked[key] = value;
  }
  const result = schema.safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${String(i.path[0] ?? 'config')}: ${i.message}`);
    throw configError(lines.join('\n'));
  }
  const e = result.data;
  const dkimParts = [e.PAPERBOY_DKIM_DOMAIN, e.PAPERBOY_DKIM_SELECTOR, e.PAPERBOY_DKIM_KEY_FILE];
  if (dkimParts.some(Boolean) && !dkimParts.every(Boolean)) {
    throw configError('PAPERBOY_DKIM_*: set all of PAPERBOY_DKIM_DOMAIN, PAPERBOY_DKIM_SELECTOR and PAPERBOY_DKIM_KEY_FILE, or none');
  }
  const dkimKeyFile = e.PAPERBOY_DKIM_KEY_FILE ? resolve(cwd, e.PAPERBOY_DKIM_KEY_FILE) : null;
  // Checked now, not at the first message: a bad key must stop the run before anything is published.
  if (dkimKeyFile) readDkimKey(dkimKeyFile);
  const dataDir = resolve(cwd, e.PAPERBOY_DATA_DIR);
  return {
    dataDir,
    seedsDir: resolve(cwd, e.PAPERBOY_SEEDS_DIR),
    topicsPath: resolve(cwd, e.PAPERBOY_TOPICS),
    dbPath: resolve(dataDir, 'paperboy.db'),
    outboxDir: resolve(dataDir, 'outbox'),
    siteDir: resolve(dataDir, 'site'),
    previewDir: resolve(dataDir, 'preview'),
    baseUrl: e.PAPERBOY_BASE_URL,
    secrets: e.PAPERBOY_SECRET ?? [],
    from: e.PAPERBOY_FROM,
    tz: e.PAPERBOY_TZ,
    schedule: e.PAPERBOY_SCHEDULE,
    feedEditions: e.PAPERBOY_FEED_EDITIONS,
    confirmPerHour: e.PAPERBOY_CONFIRM_PER_HOUR,
    smtp: e.SMTP_URL
      ? { url: e.SMTP_URL, poolConnections: e.SMTP_POOL_CONNECTIONS, maxMessages: e.SMTP_MAX_MESSAGES, ratePerSecond: e.SMTP_RATE_PER_SECOND }
      : null,
    sendBatch: e.PAPERBOY_SEND_BATCH,
    dkim:
      e.PAPERBOY_DKIM_DOMAIN && e.PAPERBOY_DKIM_SELECTOR && e.PAPERBOY_DKIM_KEY_FILE
        ? { domain: e.PAPERBOY_DKIM_DOMAIN, selector: e.PAPERBOY_DKIM_SELECTOR, keyFile: dkimKeyFile! }
        : null,
    port: e.PORT,
    trustProxy: e.PAPERBOY_TRUST_PROXY,
    sources: {
      list: e.PAPERBOY_SOURCES ?? [],
      hfUrl: e.PAPERBOY_HF_URL,
      hfToken: e.HF_TOKEN ?? null,
      arxivUrl: e.PAPERBOY_ARXIV_URL,
      enrich: e.PAPERBOY_ENRICH === 'arxiv',
      days: e.PAPERBOY_FETCH_DAYS,
      contact: e.PAPERBOY_CONTACT ?? (/<([^<>]+)>/.exec(e.PAPERBOY_FROM)?.[1] ?? e.PAPERBOY_FROM),
    },
  };
}

/** Reads `.env` in cwd (if present) under the real environment: real variables win. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const dotenvPath = resolve(cwd, '.env');
  const fromFile = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  const merged = { ...fromFile, ...env };
  for (const line of unknownSettings(merged)) process.stderr.write(`paperboy: warning: ${line}\n`);
  return parseConfig(merged, cwd);
}

/**
 * Names that look like settings but are none (`PAPERBOY_SCHEDUEL`): a typo would otherwise fall back to the
 * default without a word. One line each, with the closest real name.
 */
export function unknownSettings(env: Record<string, string | undefined>): string[] {
  const known = new Set<string>(CONFIG_KEYS);
  return Object.keys(env)
    .filter((k) => /^(?:PAPERBOY|SMTP)_/.test(k) && !known.has(k))
    .sort()
    .map((k) => {
      const [best] = CONFIG_KEYS.map((c) => [c, distance(k, c)] as const).sort((a, b) => a[1] - b[1]);
      const hint = best && best[1] <= 3 ? ` (did you mean ${best[0]}?)` : '';
      return `${k} is not a setting paperboy knows; it is ignored${hint}`;
    });
}

/** Levenshtein distance, for the "did you mean" of a mistyped setting. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The effective configuration as printable pairs, secrets masked. */
export function describeConfig(config: Config): Record<string, string | number | null> {
  const maskUrl = (s: string) => {
    const u = new URL(s);
    if (u.password) u.password = '****';
    return u.toString();
  };
  return {
    PAPERBOY_DATA_DIR: config.dataDir,
    PAPERBOY_SEEDS_DIR: config.seedsDir,
    PAPERBOY_TOPICS: config.topicsPath,
    PAPERBOY_BASE_URL: config.baseUrl,
    PAPERBOY_SECRET: config.secrets.length ? '****' : '(generated in the data folder)',
    PAPERBOY_FROM: config.from,
    PAPERBOY_TZ: config.tz,
    PAPERBOY_SCHEDULE: config.schedule,
    PAPERBOY_FEED_EDITIONS: config.feedEditions,
    PAPERBOY_CONFIRM_PER_HOUR: config.confirmPerHour,
    SMTP_URL: config.smtp ? maskUrl(config.smtp.url) : '(unset: mail goes to the outbox folder)',
    SMTP_POOL_CONNECTIONS: config.smtp?.poolConnections ?? null,
    SMTP_MAX_MESSAGES: config.smtp?.maxMessages ?? null,
    SMTP_RATE_PER_SECOND: config.smtp?.ratePerSecond ?? null,
    PAPERBOY_SEND_BATCH: config.sendBatch,
    PAPERBOY_DKIM_DOMAIN: config.dkim?.domain ?? null,
    PAPERBOY_DKIM_SELECTOR: config.dkim?.selector ?? null,
    PAPERBOY_DKIM_KEY_FILE: config.dkim?.keyFile ?? null,
    PORT: config.port,
    PAPERBOY_TRUST_PROXY: Array.isArray(config.trustProxy) ? config.trustProxy.join(',') : String(config.trustProxy),
    PAPERBOY_SOURCES: config.sources.list.length ? config.sources.list.map((s) => s.name).join(',') : '(none: offline)',
    PAPERBOY_HF_URL: config.sources.hfUrl,
    HF_TOKEN: config.sources.hfToken ? '****' : null,
    PAPERBOY_ARXIV_URL: config.sources.arxivUrl,
    PAPERBOY_ENRICH: config.sources.enrich ? 'arxiv' : 'off',
    PAPERBOY_FETCH_DAYS: config.sources.days,
    PAPERBOY_CONTACT: config.sources.contact,
  };
}
