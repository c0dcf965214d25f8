// DKIM: digests signed with RSA and Ed25519 keys verify with mailauth, both List-Unsubscribe headers signed.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth';
import { describe, expect, it, vi } from 'vitest';
import { readDkimKey } from '../../src/dkim-key.ts';
import { createSigner } from '../../src/deliver/dkim.ts';
import { deliver } from '../../src/deliver/send.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { tmpProject } from '../helpers/tmp.ts';
import { DATE, setupDelivery } from './setup.ts';

describe.each(['rsa', 'ed25519'] as const)('DKIM with an %s key', (type) => {
  it('signs every digest so that a verifier accepts it, List-Unsubscribe and List-Unsubscribe-Post included', async () => {
    const keys = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
    const dir = tmpProject().dir;
    const keyFile = join(dir, 'dkim.pem');
    writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const publicDer = keys.publicKey.export({ type: 'spki', format: 'der' });
    // Ed25519 DNS records carry the raw 32-byte key, RSA ones the SPKI DER.
    const p = type === 'rsa' ? publicDer.toString('base64') : publicDer.subarray(publicDer.length - 32).toString('base64');
    const record = `v=DKIM1; k=${type}; p=${p}`;
    const smtp = await startSmtp();
    const { app } = await setupDelivery(2, smtp.url, { PAPERBOY_DKIM_DOMAIN: 'papers.example.org', PAPERBOY_DKIM_SELECTOR: 'pb2026', PAPERBOY_DKIM_KEY_FILE: keyFile });
    try {
      const r = await deliver(app, { date: DATE, retryDelaysMs: [5] });
      expect(r.sent).toBe(2);
      for (const m of smtp.messages) {
        const resolver = async (name: string, rr: string) => {
          if (rr === 'TXT' && name === 'pb2026._domainkey.papers.example.org') return [[record]];
          throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
        };
        const result = await dkimVerify(m.raw, { resolver });
        const sig = result.results[0]!;
        expect(sig.status.result, JSON.stringify(sig.status)).toBe('pass');
        expect(sig.signingDomain).toBe('papers.example.org');
        const keys = (sig as unknown as { signingHeaders?: { keys?: string } }).signingHeaders?.keys ?? '';
        const signed = keys.toLowerCase().split(/:\s*/);
        expect(signed).toContain('list-unsubscribe');
        expect(signed).toContain('list-unsubscribe-post');
      }
    } finally {
      await app.close();
      await smtp.close();
    }
  });
});

describe('the DKIM signing time', () => {
  it('is one for the whole signature, however long signing takes (t= in the header is the t= signed)', async () => {
    const keys = generateKeyPairSync('ed25519');
    const keyFile = join(tmpProject().dir, 'dkim.pem');
    writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const der = keys.publicKey.export({ type: 'spki', format: 'der' });
    const record = `v=DKIM1; k=ed25519; p=${der.subarray(der.length - 32).toString('base64')}`;
    const sign = createSigner({ domain: 'papers.example.org', selector: 's1', keyFile });
    const raw = 'From: a@papers.example.org\r\nTo: b@example.org\r\nSubject: t\r\nDate: Tue, 24 Nov 2026 07:00:00 +0000\r\n\r\nbody\r\n';
    await sign(raw); // loads mailauth before the clock is stepped
    // A clock that moves a second between any two readings: the worst case of a signature made across a
    // half-second boundary, which failed about 1 in 250 digests under load when the time was read twice.
    let t = Date.UTC(2026, 10, 24, 7);
    const now = vi.spyOn(Date, 'now').mockImplementation(() => (t += 1000));
    let signed: string;
    try {
      signed = await sign(raw);
    } finally {
      now.mockRestore();
    }
    const result = await dkimVerify(signed, { resolver: async () => [[record]] });
    expect(result.results[0]!.status.result, JSON.stringify(result.results[0]!.status)).toBe('pass');
  });
});

describe('the DKIM key', () => {
  it('is read by one loader: config at start and the signer give the same one-line CONFIG error', () => {
    const dir = tmpProject().dir;
    const ed = join(dir, 'ed.pem');
    writeFileSync(ed, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(readDkimKey(ed)).toMatchObject({ algorithm: 'ed25519-sha256', privateKey: expect.stringContaining('BEGIN PRIVATE KEY') });
    const ec = join(dir, 'ec.pem');
    writeFileSync(ec, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const line = `PAPERBOY_DKIM_KEY_FILE: ${ec} holds a ec key; DKIM needs RSA or Ed25519`;
    expect(() => readDkimKey(ec)).toThrow(line);
    expect(() => createSigner({ domain: 'example.org', selector: 's1', keyFile: ec })).toThrow(expect.objectContaining({ code: 'CONFIG', message: line }));
  });
});
