// The command table: parses arguments, calls the command modules, maps errors to exit codes. Nothing else.
// Everything but commander is imported lazily, inside the action that needs it: `--help` loads no config (zod),
// `paperboy ingest` no MJML, fastify or nodemailer. A new command follows the same pattern (see withApp).
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { App } from './app.ts';
import { PaperboyError, storeError, type ErrorCode } from './errors.ts';

/** Exit codes by error code; documented in the README. */
const EXIT: Record<ErrorCode | 'UNEXPECTED', number> = {
  UNEXPECTED: 1,
  BAD_INPUT: 2,
  NOT_FOUND: 3,
  DELIVERY: 4,
  PAUSED: 5,
  SEED_REJECTED: 6,
  LOCKED: 75, // EX_TEMPFAIL: another run holds the lease; cron may simply try again later
  STORE: 74, // EX_IOERR: the store file is damaged or cannot be read or written
  CONFIG: 78, // EX_CONFIG
};

const print = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const printJson = (v: unknown) => print(JSON.stringify(v, null, 2));

/** Opens the app for one command and always closes it. */
export async function withApp<T>(fn: (app: App) => T | Promise<T>): Promise<T> {
  const [{ createApp }, { loadConfig }] = await Promise.all([import('./app.ts'), import('./config.ts')]);
  const app = createApp(loadConfig());
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

export const isoDateArg = (v: string) => {
  // Date.parse rolls 2024-02-30 over to March: a real calendar date reads back as itself.
  const real = /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
  if (!real) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return v;
};
const wholeNumber = (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('expected a whole number');
  return Number(v);
};
const positiveNumber = (v: string) => {
  const n = wholeNumber(v);
  if (n < 1 || n > 10_000) throw new InvalidArgumentError('expected a whole number from 1 to 10000');
  return n;
};
const portNumber = (v: string) => {
  const n = wholeNumber(v);
  // The same range as PORT: 0 asks the system for any free port (the log line says which).
  if (n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535 (0: any free port)');
  return n;
};
const topicList = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

export function buildCli(): Command {
  const program = new Command('paperboy')
    .description('Turns Hugging Face Daily Papers listings into a daily digest: email, RSS/JSON feeds and a web archive.')
    .showHelpAfterError('(add --help for usage)')
    // Usage errors throw instead of exiting with commander's 1, so main() can give them exit code 2.
    .exitOverride();

  program
    .command('run')
    .description('one whole run: ingest new seed files, build the edition, write feeds + archive + preview, deliver to due subscribers')
    .option('--date <date>', 'the edition date (YYYY-MM-DD); default: today in PAPERBOY_TZ', isoDateArg)
    .option('--no-send', 'build everything but send no email')
    .option('--json', 'print the run report as JSON')
    .action((o: { date?: string; send: boolean; json?: boolean }) =>
      withApp(async (app) => {
        const { runCommand, formatRunReport, pausedError } = await import('./commands/run.ts');
        const report = await runCommand(app, { date: o.date, send: o.send, json: o.json ?? false });
        if (o.json) printJson(report);
        else print(formatRunReport(report));
        const paused = pausedError(report);
        if (paused) throw paused;
      }),
    );

  program
    .command('ingest')
    .description('ingest every seed file whose content has not been seen before')
    .option('--retry-rejected', 'try the files rejected before once more (e.g. after an upgrade)')
    .option('--json', 'print the report as JSON')
    .action((o: { json?: boolean; retryRejected?: boolean }) =>
      withApp(async (app) => {
        const { runIngest, formatIngestReport } = await import('./commands/ingest.ts');
        const { progressMode } = await import('./progress.ts');
        const report = runIngest(app, progressMode(o.json === true), o.retryRejected ?? false);
        if (o.json) printJson(report);
        else print(formatIngestReport(report));
      }),
    );

  program
    .command('fetch')
    .description('download the configured sources (PAPERBOY_SOURCES) for a date and the days before it into the seeds folder')
    .option('--date <date>', 'the newest date to fetch (YYYY-MM-DD); default: today in PAPERBOY_TZ', isoDateArg)
    .option('--days <n>', 'how many days up to --date to fetch again (default: PAPERBOY_FETCH_DAYS)', positiveNumber)
    .option('--json', 'print the report as JSON')
    .action((o: { date?: string; days?: number; json?: boolean }) =>
      withApp(async (app) => {
        const { fetchCommand, formatFetch } = await import('./commands/fetch.ts');
        const report = await fetchCommand(app, o);
        if (o.json) printJson(report ?? { dates: [], warnings: [], days: [], filesWritten: 0, failed: 0 });
        else print(formatFetch(report));
      }),
    );

  program
    .command('enrich')
    .description('fill in arXiv ids, categories, authors and links from arXiv for papers that still need them')
    .option('--limit <n>', 'at most this many title lookups (3 s each); default: all', positiveNumber)
    .option('--json', 'print the report as JSON')
    .action((o: { limit?: number; json?: boolean }) =>
      withApp(async (app) => {
        const { enrichCommand, formatEnrichReport } = await import('./commands/fetch.ts');
        const report = await enrichCommand(app, o);
        if (o.json) printJson(report);
        else print(formatEnrichReport(report));
      }),
    );

  program
    .command('papers')
    .description('list stored papers, newest first')
    .option('--json', 'print one JSON array, one object per paper')
    .option('--since <date>', 'only papers first seen on or after this date (YYYY-MM-DD)', isoDateArg)
    .option('--limit <n>', 'at most this many papers', wholeNumber)
    .action((o: { json?: boolean; since?: string; limit?: number }) =>
      withApp(async (app) => {
        const { listPapers, formatPapers } = await import('./commands/papers.ts');
        const papers = listPapers(app, o);
        if (o.json) printJson(papers);
        else print(formatPapers(papers));
      }),
    );

  program
    .command('topics')
    .description('show each topic with its paper count and examples, the unassigned papers and the trending keywords')
    .option('--explain <paper>', 'explain why one paper landed where it did: an id, an arXiv id or link, a whole title, or a part of a title only one paper has')
    .option('--json', 'print as JSON')
    .action((o: { explain?: string; json?: boolean }) =>
      withApp(async (app) => {
        const { topicsCommand } = await import('./commands/topics.ts');
        print(topicsCommand(app, o));
      }),
    );

  program
    .command('preview')
    .description('write a digest as .html, .txt and .eml for looking at before anyone receives it')
    .option('--topics <slugs>', 'comma-separated topic slugs (default: all topics)', topicList)
    .addOption(new Option('--cadence <cadence>', 'daily or weekly').choices(['daily', 'weekly']).default('daily'))
    .option('--date <date>', 'the edition date (default: the latest edition)', isoDateArg)
    .option('--out <dir>', 'output folder (default: data/preview)')
    .option('--json', 'print where the files landed as JSON')
    .action((o: { topics?: string[]; cadence: 'daily' | 'weekly'; date?: string; out?: string; json?: boolean }) =>
      withApp(async (app) => {
        const { previewCommand } = await import('./commands/preview.ts');
        const r = await previewCommand(app, o);
        if (o.json) printJson(r);
        else print(`${r.papers} papers, subject: ${r.subject}\n  ${r.html} (${Math.round(r.htmlBytes / 1024)} KB)\n  ${r.text}\n  ${r.eml}`);
      }),
    );

  program
    .command('send')
    .description('deliver the digests of a date through the ledger; resumes after a crash or a pause')
    .option('--date <date>', 'the edition date (default: the latest edition)', isoDateArg)
    .option('--edition <id>', 'same as --date (editions are named by their date)', isoDateArg)
    .option('--resend-failed', 'queue failed deliveries of that date again')
    .option('--retry-deferred', 'send rows waiting out a temporary failure (4xx, timeouts) now, not when due')
    .option('--json', 'print the report as JSON')
    .action((o: { date?: string; edition?: string; resendFailed?: boolean; retryDeferred?: boolean; json?: boolean }) =>
      withApp(async (app) => {
        const { sendCommand, formatDeliveryReport, pausedError } = await import('./commands/send.ts');
        const r = await sendCommand(app, o);
        if (o.json) printJson(r);
        else print(formatDeliveryReport(r));
        const paused = pausedError(r);
        if (paused) throw paused;
      }),
    );

  program
    .command('serve')
    .description('serve the site (feeds, archive, subscribe pages) and run the daily schedule, until SIGTERM')
    .option('--port <port>', 'port (default: PORT or 8080)', portNumber)
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--no-schedule', 'serve only; do not run the daily job')
    .action((o: { port?: number; host: string; schedule: boolean }) =>
      withApp(async (app) => {
        const { serveCommand } = await import('./commands/serve.ts');
        await serveCommand(app, o);
      }),
    );

  const subs = program.command('subscribers').description('manage subscribers: add, set, remove, list, import, export');
  subs
    .command('add <email>')
    .description('add a subscriber; sends a confirmation email unless --active')
    .option('--topics <slugs>', 'comma-separated topic slugs (default: all topics)')
    .addOption(new Option('--cadence <cadence>', 'daily or weekly').choices(['daily', 'weekly']).default('daily'))
    .option('--weekday <day>', 'weekday for weekly digests (monday … sunday)', 'monday')
    .option('--active', 'skip the opt-in: you vouch for this address')
    .option('--reactivate', 'an address that unsubscribed here: alone, ask it again by email (a confirmation); with --active, take it (or a bounced one) back')
    .option('--keywords <text>', 'interests for "Picked for you": phrases separated by commas ("robot grasping, tactile sensing")')
    .option('--follow <ids>', 'papers to find more like: arXiv ids or links, separated by commas or spaces')
    .option('--authors <names>', 'authors to pick papers by, separated by commas or semicolons')
    .option('--json', 'print the result as JSON')
    .action((email: string, o: { topics?: string; cadence: string; weekday: string; active?: boolean; reactivate?: boolean; keywords?: string; follow?: string; authors?: string; json?: boolean }) =>
      withApp(async (app) => {
        const { addSubscriber } = await import('./commands/subscribers.ts');
        print(await addSubscriber(app, email, o));
      }),
    );
  subs
    .command('set <email>')
    .description("change a known subscriber's topics, cadence and interests (only the options given; \"\" clears a list)")
    .option('--topics <slugs>', 'comma-separated topic slugs ("" = all topics)')
    .addOption(new Option('--cadence <cadence>', 'daily or weekly').choices(['daily', 'weekly']))
    .option('--weekday <day>', 'weekday for weekly digests (monday … sunday)')
    .option('--keywords <text>', 'interests: phrases separated by commas ("robot grasping, tactile sensing")')
    .option('--follow <ids>', 'papers to find more like: arXiv ids or links, separated by commas or spaces')
    .option('--authors <names>', 'authors to pick papers by, separated by commas or semicolons')
    .option('--clear-feedback', "forget every \"more/fewer like this\" the reader gave")
    .option('--json', 'print the result as JSON')
    .action((email: string, o: { topics?: string; cadence?: string; weekday?: string; keywords?: string; follow?: string; authors?: string; clearFeedback?: boolean; json?: boolean }) =>
      withApp(async (app) => {
        const { setSubscriber } = await import('./commands/subscribers.ts');
        print(setSubscriber(app, email, o));
      }),
    );
  subs
    .command('remove <email>')
    .description('unsubscribe an address (or delete it with --purge)')
    .option('--purge', 'delete the row and its consent record instead of unsubscribing')
    .option('--json', 'print the result as JSON')
    .action((email: string, o: { purge?: boolean; json?: boolean }) =>
      withApp(async (app) => {
        const { removeSubscriber } = await import('./commands/subscribers.ts');
        print(removeSubscriber(app, email, o));
      }),
    );
  subs
    .command('list')
    .description('list subscribers')
    .option('--status <status>', 'only pending, active, unsubscribed or bounced')
    .option('--json', 'print a JSON array')
    .action((o: { status?: string; json?: boolean }) =>
      withApp(async (app) => {
        const { listSubscribers, formatSubscribers } = await import('./commands/subscribers.ts');
        const list = listSubscribers(app, o.status);
        if (o.json) printJson(list);
        else print(formatSubscribers(list));
      }),
    );
  subs
    .command('import <file>')
    .description('import a CSV with header email,topics,cadence[,weekday,status] (file or - for stdin)')
    .option('--active', 'skip the opt-in for these addresses (a list moved from another tool)')
    .option('--reactivate', 'addresses that unsubscribed here: alone, ask them again by email (a confirmation); with --active, take them (and bounced ones) back')
    .option('--json', 'print the report as JSON')
    .action((file: string, o: { active?: boolean; reactivate?: boolean; json?: boolean }) =>
      withApp(async (app) => {
        const { importSubscribers, formatImport, readInput } = await import('./commands/subscribers.ts');
        const r = await importSubscribers(app, readInput(file), { active: o.active ?? false, reactivate: o.reactivate ?? false });
        if (o.json) printJson(r);
        else print(formatImport(r));
      }),
    );
  subs
    .command('export [file]')
    .description('export active and pending subscribers as CSV (email,topics,cadence,weekday,status) to a file or stdout')
    .action((file: string | undefined) =>
      withApp(async (app) => {
        const { exportSubscribers, writeOutput } = await import('./commands/subscribers.ts');
        writeOutput(file, exportSubscribers(app));
      }),
    );

  program
    .command('config')
    .description('print the effective configuration (secrets masked)')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const { describeConfig, loadConfig } = await import('./config.ts');
      const described = describeConfig(loadConfig());
      if (o.json) printJson(described);
      else print(Object.entries(described).map(([k, v]) => `${k.padEnd(24)} ${v ?? '(unset)'}`).join('\n'));
    });

  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (thrown) {
    // SQLite failing mid-command (a damaged page found late, a lock held past the wait) is one line too.
    const err = storeError(thrown) ?? thrown;
    if (err instanceof CommanderError) {
      // Commander has printed the message (or the help) already.
      process.exitCode = err.exitCode === 0 ? 0 : EXIT.BAD_INPUT;
    } else if (err instanceof PaperboyError) {
      process.stderr.write(`paperboy: ${err.message}\n`);
      process.exitCode = EXIT[err.code];
    } else {
      process.stderr.write(`paperboy: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = EXIT.UNEXPECTED;
    }
  }
}
