// Delivery test setup: a temp project with one seed edition built, N active subscribers, SMTP pointed at a test server.
import { copyFileSync } from 'node:fs';
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
