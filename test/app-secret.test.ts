// The generated key in the data folder: a creation cut short (a killed process) never becomes an empty HMAC key.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { tmpProject } from './helpers/tmp.ts';

const opened: App[] = [];
afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
});

function appWithoutSecret(dataDir: string): App {
  const { PAPERBOY_SECRET: _unused, ...env }: Record<string, string> = { ...tmpProject().env, PAPERBOY_DATA_DIR: dataDir };
  const app = createApp(parseConfig(env));
  opened.push(app);
  return app;
}

describe('data folder secret', () => {
  it('generates a 64-character key once and reads it back', () => {
    const { dataDir } = tmpProject();
    const first = appWithoutSecret(dataDir).secrets[0];
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(appWithoutSecret(dataDir).secrets[0]).toBe(first);
    expect(readdirSync(dataDir).filter((f) => f.includes('secret'))).toEqual(['secret']);
  });

  it('replaces the empty file a process killed while creating it leaves, instead of signing with an empty key', () => {
    const { dataDir } = tmpProject();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'secret'), '');
    const key = appWithoutSecret(dataDir).secrets[0];
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dataDir, 'secret'), 'utf8').trim()).toBe(key);
  });

  it('refuses a short key file with one line naming it', () => {
    const { dataDir } = tmpProject();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'secret'), 'abc\n');
    expect(() => appWithoutSecret(dataDir)).toThrow(/secret: the generated key holds 3 characters/);
  });
});
