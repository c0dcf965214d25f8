// Configuration: defaults, .env under the real environment, one line per bad value, masked secrets.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, parseConfig, unknownSettings } from '../src/config.ts';
import { tmpProject } from './helpers/tmp.ts';

const errorOf = (env: Record<string, string>) => {
  try {
    parseConfig(env, '/srv');
  } catch (err) {
    return (err as Error).message;
  }
  return null;
};

describe('config', () => {
  it('has working defaults relative to the working directory', () => {
    const c = parseConfig({}, '/srv');
    expect(c).toMatchObject({
      dataDir: '/srv/data',
      seedsDir: '/srv/seeds',
      topicsPath: '/srv/topics.yaml',
      dbPath: '/srv/data/paperboy.db',
      outboxDir: '/srv/data/outbox',
      siteDir: '/srv/data/site',
      baseUrl: 'http://localhost:8080',
      tz: 'UTC',
      schedule: '0 7 * * *',
      smtp: null,
      dkim: null,
      port: 8080,
      feedEditions: 7,
      confirmPerHour: 100,
      trustProxy: false,
    });
  });

  it('reports every bad value, one line each', () => {
    const msg = errorOf({
      PAPERBOY_BASE_URL: 'ftp://x',
      PAPERBOY_SCHEDULE: 'every day',
      PAPERBOY_FROM: 'a@b.c\r\nBcc: x@y.z',
      PORT: '99999',
      PAPERBOY_SECRET: 'short',
    });
    expect(msg?.split('\n')).toEqual([
      'PAPERBOY_BASE_URL: must be an http(s) URL without query or fragment, e.g. https://papers.example.org',
      'PAPERBOY_SECRET: must be at least 32 characters (use `openssl rand -hex 32`)',
      'PAPERBOY_FROM: must be one line',
      'PAPERBOY_SCHEDULE: must be a five-field cron expression (minute hour day month weekday) such as "0 7 * * *"',
      'PORT: must be between 0 and 65535',
    ]);
    expect(errorOf({ PAPERBOY_DKIM_DOMAIN: 'example.org' })).toMatch(/^PAPERBOY_DKIM_\*: set all of/);
    // node-cron takes a seconds field too, but catch-up works in whole minutes: refused rather than never caught up.
    expect(errorOf({ PAPERBOY_SCHEDULE: '30 0 7 * * *' })).toMatch(/^PAPERBOY_SCHEDULE: must be a five-field cron expression/);
  });

  it('checks the DKIM key at start, before anything is published', () => {
    const proj = tmpProject();
    const dkim = (keyFile: string) => errorOf({ PAPERBOY_DKIM_DOMAIN: 'example.org', PAPERBOY_DKIM_SELECTOR: 's1', PAPERBOY_DKIM_KEY_FILE: keyFile });
    expect(dkim('/nonexistent/key.pem')).toBe('PAPERBOY_DKIM_KEY_FILE: /nonexistent/key.pem cannot be read (ENOENT)');
    writeFileSync(join(proj.dir, 'junk.pem'), '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
    expect(dkim(join(proj.dir, 'junk.pem'))).toBe(`PAPERBOY_DKIM_KEY_FILE: ${join(proj.dir, 'junk.pem')} is not a PEM private key`);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(proj.dir, 'ec.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(dkim(join(proj.dir, 'ec.pem'))).toMatch(/holds a ec key; DKIM needs RSA or Ed25519$/);
    const ed = generateKeyPairSync('ed25519').privateKey;
    writeFileSync(join(proj.dir, 'ed.pem'), ed.export({ type: 'pkcs8', format: 'pem' }));
    expect(dkim(join(proj.dir, 'ed.pem'))).toBeNull();
  });

  it('treats empty values as unset and strips a trailing slash from the base URL', () => {
    const c = parseConfig({ PAPERBOY_TZ: '', PAPERBOY_BASE_URL: 'https://papers.example.org/digest/' }, '/srv');
    expect(c.tz).toBe('UTC');
    expect(c.baseUrl).toBe('https://papers.example.org/digest');
    // Normalized, so it can go into feeds and headers as it is.
    expect(parseConfig({ PAPERBOY_BASE_URL: 'https://Papers.Example.org/p b' }, '/srv').baseUrl).toBe('https://papers.example.org/p%20b');
  });

  it('reads .env below the real environment', () => {
    const proj = tmpProject();
    writeFileSync(join(proj.dir, '.env'), 'PAPERBOY_TZ=Europe/Berlin\nPORT=9000\n');
    const c = loadConfig({ PORT: '9100' }, proj.dir);
    expect(c.tz).toBe('Europe/Berlin');
    expect(c.port).toBe(9100);
  });

  it('names mistyped settings (with the closest real one) instead of ignoring them silently', () => {
    expect(unknownSettings({ PAPERBOY_SCHEDUEL: '0 8 * * *', SMTP_PASWORD: 'x', PAPERBOY_TZ: 'UTC', HOME: '/root' })).toEqual([
      'PAPERBOY_SCHEDUEL is not a setting paperboy knows; it is ignored (did you mean PAPERBOY_SCHEDULE?)',
      'SMTP_PASWORD is not a setting paperboy knows; it is ignored',
    ]);
    expect(unknownSettings({ PAPERBOY_DATA_DIR: 'x', SMTP_URL: 'smtp://h' })).toEqual([]);
  });

  it('masks secrets when printed', () => {
    const c = parseConfig({ SMTP_URL: 'smtp://user:hunter2@mail.example.org:587', PAPERBOY_SECRET: 'x'.repeat(40) }, '/srv');
    const d = describeConfig(c);
    expect(JSON.stringify(d)).not.toContain('hunter2');
    expect(JSON.stringify(d)).not.toContain('x'.repeat(40));
    expect(d.SMTP_URL).toBe('smtp://user:****@mail.example.org:587');
  });
});

describe('PAPERBOY_FROM', () => {
  it('accepts named and bare addresses, including the default', () => {
    for (const from of ['paperboy <paperboy@localhost>', '"Paper Boy" <news@papers.example.org>', 'news@example.org']) {
      expect(parseConfig({ PAPERBOY_FROM: from }, '/srv').from).toBe(from);
    }
    expect(errorOf({ PAPERBOY_FROM: 'not an address' })).toBe('PAPERBOY_FROM: must be "Name <address@domain>" or an address');
  });
});

describe('PAPERBOY_TRUST_PROXY', () => {
  it('is false by default, or true, or the proxies as addresses and CIDR ranges', () => {
    expect(parseConfig({ PAPERBOY_TRUST_PROXY: 'true' }, '/srv').trustProxy).toBe(true);
    expect(parseConfig({ PAPERBOY_TRUST_PROXY: 'False' }, '/srv').trustProxy).toBe(false);
    expect(parseConfig({ PAPERBOY_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback' }, '/srv').trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
    expect(describeConfig(parseConfig({ PAPERBOY_TRUST_PROXY: '127.0.0.1,::1' }, '/srv')).PAPERBOY_TRUST_PROXY).toBe('127.0.0.1,::1');
  });

  it('refuses anything else in one line, and hop counts with the reason', () => {
    for (const bad of ['yes', '10.0.0.0/33', '300.1.1.1', '127.0.0.1,nope']) {
      expect(errorOf({ PAPERBOY_TRUST_PROXY: bad })).toBe('PAPERBOY_TRUST_PROXY: must be false, true, or comma-separated proxy addresses or CIDR ranges such as 127.0.0.1,10.0.0.0/8');
    }
    expect(errorOf({ PAPERBOY_TRUST_PROXY: '1' })).toMatch(/^PAPERBOY_TRUST_PROXY: a hop count cannot tell the proxy from a client/);
  });
});

describe('PAPERBOY_SECRET', () => {
  it('checks each comma-separated key on its own', () => {
    const long = 'k'.repeat(32);
    // Split and trimmed once here; app.ts only adds a generated key when there is none.
    expect(parseConfig({ PAPERBOY_SECRET: `${long}, ${'j'.repeat(40)}` }, '/srv').secrets).toEqual([long, 'j'.repeat(40)]);
    expect(parseConfig({}, '/srv').secrets).toEqual([]);
    expect(describeConfig(parseConfig({ PAPERBOY_SECRET: `${long},${'j'.repeat(40)}` }, '/srv')).PAPERBOY_SECRET).toBe('****');
    // Long enough as a whole string, but the second key alone is short.
    expect(errorOf({ PAPERBOY_SECRET: `${'k'.repeat(40)},short` })).toBe(
      'PAPERBOY_SECRET: each comma-separated key (key 2 of 2 is not) must be at least 32 characters (use `openssl rand -hex 32`)',
    );
    expect(errorOf({ PAPERBOY_SECRET: `${long},` })).toMatch(/key 2 of 2 is not/);
  });
});
