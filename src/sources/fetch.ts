// `fetch`: every configured source for each day of the window, written as seed files; one failure stops nothing else.
import { join } from 'node:path';
import { addDays } from '../clock.ts';
import type { Config, SourceSpec } from '../config.ts';
import type { FetchStateRepo } from '../store/fetch-state.ts';
import { fetchArxivDay } from './arxiv.ts';
import type { Clients } from './clients.ts';
import type { DayListing, SourceContext } from './context.ts';
import { fetchHfDay } from './hf.ts';
import { writeSeedFile } from './seed-writer.ts';

export interface SourceDayReport {
  source: string;
  date: string;
  /** written: a seed file is new or changed; unchanged: same bytes as last time; empty: the day has no papers yet. */
  status: 'written' | 'unchanged' | 'empty' | 'failed';
  /** Seed files (relative to the seeds folder) that were written. */
  written: string[];
  papers: number;
  notModified: number;
  error?: string;
}

export interface FetchReport {
  dates: string[];
  /** Things the operator should fix that stopped nothing (a contact address no one can reach). */
  warnings: string[];
  days: SourceDayReport[];
  filesWritten: number;
  failed: number;
}

export interface FetchOptions {
  config: Config;
  state: FetchStateRepo;
  clients: Clients;
  now: () => Date;
  /** The newest date; the window goes back `days - 1` days from it. */
  date: string;
  days: number;
}

export async function fetchSources(opts: FetchOptions): Promise<FetchReport> {
  const dates = Array.from({ length: opts.days }, (_, i) => addDays(opts.date, -i));
  const report: FetchReport = { dates, warnings: [], days: [], filesWritten: 0, failed: 0 };
  const { contact } = opts.config.sources;
  if (/@localhost$/i.test(contact)) {
    report.warnings.push(`the User-Agent names ${contact}, which no server operator can write to: set PAPERBOY_CONTACT (or PAPERBOY_FROM) to a real address or URL`);
  }
  for (const source of opts.config.sources.list) {
    for (const date of dates) {
      const day = await fetchOne(opts, source, date);
      report.days.push(day);
      report.filesWritten += day.written.length;
      if (day.status === 'failed') report.failed++;
    }
  }
  // Answers of days that left the window are no longer asked for: their stored bodies go.
  opts.state.prune(new Date(opts.now().getTime() - (opts.days + 7) * 86_400_000));
  return report;
}

async function fetchOne(opts: FetchOptions, source: SourceSpec, date: string): Promise<SourceDayReport> {
  const { sources } = opts.config;
  const base = { source: source.name, date, written: [] as string[], papers: 0, notModified: 0 };
  let listing: DayListing;
  try {
    if (source.kind === 'hf') {
      listing = await fetchHfDay(ctx(opts, opts.clients.hf), sources.hfUrl, sources.hfToken, date);
    } else {
      listing = await fetchArxivDay(ctx(opts, opts.clients.arxiv), sources.arxivUrl, source.category, date);
    }
    if (listing.files.length === 0) return { ...base, status: 'empty', notModified: listing.notModified };
    // All files of a day are checked before any is written: a day is written whole or not at all.
    const written = listing.files.filter((f) => writeSeedFile(join(opts.config.seedsDir, f.path), f.bytes) === 'written').map((f) => f.path);
    return { ...base, status: written.length ? 'written' : 'unchanged', written, papers: listing.papers, notModified: listing.notModified };
  } catch (err) {
    if ((err as Error)?.name === 'SqliteError') throw err;
    return { ...base, status: 'failed', error: oneLine(err) };
  }
}

const ctx = (opts: FetchOptions, client: SourceContext['client']): SourceContext => ({ client, state: opts.state, now: opts.now });

const oneLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 300);
