// DKIM signing (RSA or Ed25519) of raw messages with mailauth, both List-Unsubscribe headers in the signed set.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { configError } from '../errors.ts';

/** nodemailer's default list plus List-Unsubscribe-Post: RFC 8058 requires both one-click headers signed. */
export const DKIM_HEADERS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:' +
  'List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive';

export type Signer = (raw: string) => Promise<string>;

export interface DkimKey {
  privateKey: string;
  algorithm: 'rsa-sha256' | 'ed25519-sha256';
}

/**
 * Reads a PEM private key for DKIM: config checks it at start, the signer uses it. A file that cannot be
 * read, is no PEM private key, or holds neither an RSA nor an Ed25519 key is a CONFIG error, one line.
 */
export function readDkimKey(path: string): DkimKey {
  const problem = (why: string) => configError(`PAPERBOY_DKIM_KEY_FILE: ${path} ${why}`);
  let privateKey: string;
  try {
    privateKey = readFileSync(path, 'utf8');
  } catch (err) {
    throw problem(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let type: string | undefined;
  try {
    type = createPrivateKey(privateKey).asymmetricKeyType;
  } catch {
    throw problem('is not a PEM private key');
  }
  if (type !== 'rsa' && type !== 'ed25519') throw problem(`holds a ${type} key; DKIM needs RSA or Ed25519`);
  return { privateKey, algorithm: type === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256' };
}

type DkimSign = (typeof import('mailauth'))['dkimSign'];
// Loaded on the first message: config reads keys through this module and must not pay for mailauth.
let mailauth: Promise<DkimSign> | null = null;

/** A signer for the configured key; a key that cannot be used is a CONFIG error (readDkimKey). */
export function createSigner(dkim: { domain: string; selector: string; keyFile: string }): Signer {
  const { privateKey, algorithm } = readDkimKey(dkim.keyFile);
  return async (raw) => {
    const dkimSign = await (mailauth ??= import('mailauth').then((m) => m.dkimSign));
    // mailauth reads the keys from signatureData (its published types describe an older shape).
    const options = {
      // One signing time for the whole signature. Without it mailauth computes t= twice (Math.round(Date.now()/1000)),
      // once for the signed hash and once for the header it writes: a signature that straddles a half second
      // carries a t= that is not the one signed, and fails verification (about 1 in 250 under load).
      signTime: new Date(),
      canonicalization: 'relaxed/relaxed',
      headerList: DKIM_HEADERS, // a colon-separated string: an array is silently replaced by the default list
      signatureData: [{ signingDomain: dkim.domain, selector: dkim.selector, privateKey, algorithm, canonicalization: 'relaxed/relaxed' }],
    } as unknown as Parameters<DkimSign>[1];
    const { signatures, errors } = await dkimSign(raw, options);
    if (!signatures.trim()) throw new Error('DKIM signing produced no signature');
    if (errors?.length) throw new Error(`DKIM signing failed: ${errors.map((e: { message?: string }) => e.message ?? String(e)).join('; ')}`);
    return signatures + raw;
  };
}
