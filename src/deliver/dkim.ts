// DKIM signing (RSA or Ed25519) of raw messages with mailauth, both List-Unsubscribe headers in the signed set.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dkimSign } from 'mailauth';
import { configError } from '../errors.ts';

/** nodemailer's default list plus List-Unsubscribe-Post: RFC 8058 requires both one-click headers signed. */
export const DKIM_HEADERS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:' +
  'List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive';

export type Signer = (raw: string) => Promise<string>;

/** A signer for the configured key; a key that cannot be read or is neither RSA nor Ed25519 is a CONFIG error. */
export function createSigner(dkim: { domain: string; selector: string; keyFile: string }): Signer {
  let privateKey: string;
  let algorithm: 'rsa-sha256' | 'ed25519-sha256';
  try {
    privateKey = readFileSync(dkim.keyFile, 'utf8');
    const type = createPrivateKey(privateKey).asymmetricKeyType;
    if (type !== 'rsa' && type !== 'ed25519') throw new Error(`a ${type} key; use RSA or Ed25519`);
    algorithm = type === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256';
  } catch (err) {
    throw configError(`PAPERBOY_DKIM_KEY_FILE: ${dkim.keyFile} is not a usable private key (${(err as Error).message})`);
  }
  return async (raw) => {
    // mailauth reads the keys from signatureData (its published types describe an older shape).
    const options = {
      canonicalization: 'relaxed/relaxed',
      headerList: DKIM_HEADERS, // a colon-separated string: an array is silently replaced by the default list
      signatureData: [{ signingDomain: dkim.domain, selector: dkim.selector, privateKey, algorithm, canonicalization: 'relaxed/relaxed' }],
    } as unknown as Parameters<typeof dkimSign>[1];
    const { signatures, errors } = await dkimSign(raw, options);
    if (!signatures.trim()) throw new Error('DKIM signing produced no signature');
    if (errors?.length) throw new Error(`DKIM signing failed: ${errors.map((e: { message?: string }) => e.message ?? String(e)).join('; ')}`);
    return signatures + raw;
  };
}
