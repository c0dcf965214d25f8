// The command table: parses arguments, calls the command modules, maps errors to exit codes. Nothing else.
import { Command, InvalidArgumentError, Option } from 'commander';
import { createApp, type App } from './app.ts';
import { formatIngestReport, runIngest } from './commands/ingest.ts';
import { formatPapers, listPapers } from './commands/papers.ts';
import { describeConfig, loadConfig } from './config.ts';
import { PaperboyError, type ErrorCode } from './errors.ts';

/** Exit codes by error code; documented in the README. */
const EXIT: Record<ErrorCode | 'UNEXPECTED', number> = {
  UNEXPECTED: 1,
  BAD_INPUT: 2,
  NOT_FOUND: 3,
  DELIVERY: 4,
  PAUSED: 5,
  SEED_REJECTED: 6,
  LOCKED: 75, // EX_TEMPFAIL: another run holds the lease; cron may simply try again later
  CONFIG: 78, // EX_CONFIG
};

const print = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const printJson = (v: unknown) => print(JSON.stringify(v, null, 2));

/** Opens the app for one command and always closes it. */
async function withApp<T>(fn: (app: App) => T | Promise<T>): Promise<T> {
  const app = createApp(loadConfig());
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

const isoDateArg = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return v;
};

export function buildCli(): Command {
  const program = new Command('paperboy')
    .description('Turns Hugging Face Daily Papers listings into a daily digest: email, RSS/JSON feeds and a web archive.')
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ sortSubcommands: false });

  program
    .command('run')
    .description('one whole run: ingest new seed files (more steps land as they are built)')
    .option('--json', 'print the run report as JSON')
    .action((o: { json?: boolean }) =>
      withApp((app) => {
        const report = runIngest(app, !o.json && process.stderr.isTTY === true);
        if (o.json) printJson({ ingest: report });
        else print(formatIngestReport(report));
      }),
    );

  program
    .command('ingest')
    .description('ingest every seed file whose content has not been seen before')
    .option('--json', 'print the report as JSON')
    .action((o: { json?: boolean }) =>
      withApp((app) => {
        const report = runIngest(app, !o.json && process.stderr.isTTY === true);
        if (o.json) printJson(report);
        else print(formatIngestReport(report));
      }),
    );

  program
    .command('papers')
    .description('list stored papers, newest first')
    .option('--json', 'print one JSON array, one object per paper')
    .option('--since <date>', 'only papers first seen on or after this date (YYYY-MM-DD)', isoDateArg)
    .option('--limit <n>', 'at most this many papers', (v) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError('expected a whole number');
      return Number(v);
    })
    .action((o: { json?: boolean; since?: string; limit?: number }) =>
      withApp((app) => {
        const papers = listPapers(app, o);
        if (o.json) printJson(papers);
        else print(formatPapers(papers));
      }),
    );

  program
    .command('config')
    .description('print the effective configuration (secrets masked)')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }) => {
      const described = describeConfig(loadConfig());
      if (o.json) printJson(described);
      else print(Object.entries(described).map(([k, v]) => `${k.padEnd(24)} ${v ?? '(unset)'}`).join('\n'));
    });

  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (err instanceof PaperboyError) {
      process.stderr.write(`paperboy: ${err.message}\n`);
      process.exitCode = EXIT[err.code];
    } else {
      process.stderr.write(`paperboy: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = EXIT.UNEXPECTED;
    }
  }
}

export { Option };
