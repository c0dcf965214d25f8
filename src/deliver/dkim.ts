// DKIM signing (RSA or Ed25519) of raw messages with mailauth, both List-Unsubscribe headers in the signed set.
import { readDkimKey } from '../dkim-key.ts';

/** nodemailer's default list plus List-Unsubscribe-Post: RFC 8058 requires both one-click headers signed. */
export const DKIM_HEADERS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:' +
  'List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive';

export type Signer = (raw: string) => Promise<string>;

type DkimSign = (typeof import('mailauth'))['dkimSign'];
// Loaded on the first message: a process that signs nothing (most commands) does not pay for mailauth.
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
