// A DKIM private key read and checked: config checks it at start, deliver/dkim.ts signs with it (no mailauth here).
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { configError } from './errors.ts';

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
