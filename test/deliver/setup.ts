// Delivery test setup: a temp project with one seed edition built, N active subscribers, SMTP pointed at a test server.
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { SEEDS, tmpProject, type TmpProject } from '../helpers/tmp.ts';

export const DATE = '2026-11-24';
export const NOW = new Date('2026-11-24T07:00:00Z');

export interface DeliverySetup {
  proj: TmpProject;
  app: App;
  env: Record<string, string>;
  emails: string[];
}

export async function setupDelivery(n: number, smtpUrl: string | null, extraEnv: Record<string, string> = {}): Promise<DeliverySetup> {
  const proj = tmpProject();
  copyFileSync(join(SEEDS, '003_78b85e7718955e76.txt'), join(proj.seedsDir, 'seed.txt'));
  const env = { ...proj.env, PAPERBOY_BASE_URL: 'https://papers.example.org', PAPERBOY_FROM: 'Paperboy <news@papers.example.org>', ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}), ...extraEnv };
  const app = createApp(parseConfig(env), { now: () => NOW });
  await runOnce(app, { send: false, trigger: 'cli' });
  const emails = Array.from({ length: n }, (_, i) => `reader${i}@example.org`);
  app.db.transaction(() => {
    for (const email of emails) {
      app.subscribers.upsert({ email, topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: NOW.toISOString(), ip: null, source: 'test' } });
    }
  })();
  return { proj, app, env, emails };
}

/**
 * The messages delivered to the outbox for DATE, by file name, with each project's own draws masked (its readers'
 * public ids, and the signatures of their links, which depend on them): what is left compares across projects.
 */
export function maskedOutbox(w: DeliverySetup): Map<string, string> {
  const dir = join(w.app.config.outboxDir, DATE);
  const ids = w.emails.map((e) => w.app.subscribers.findByEmail(e)!.publicId);
  const mask = (raw: string) =>
    ids.reduce((out, id, i) => out.replaceAll(id, `public-id-${i}`), raw).replace(/\/(unsubscribe|preferences|my|feedback|feed)\/public-id-(\d)\.[\w\r\n=-]{27,40}/g, '/$1/$2');
  return new Map(readdirSync(dir).map((f) => [f, mask(readFileSync(join(dir, f), 'utf8'))]));
}
