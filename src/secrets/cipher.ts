// AES-256-GCM sealing of the secrets dealbridge stores (refresh and access tokens, client secrets,
// private-app tokens). Pure functions over node:crypto: a fresh 96-bit IV per seal, the 128-bit
// tag checked on open, and an "additional authenticated data" string that binds a sealed value to
// its row, so a ciphertext copied into another connection's row does not open there.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** A 256-bit key as given: 44 base64 characters (`openssl rand -base64 32`) or 64 hex digits. */
export function parseSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === KEY_BYTES ? key : undefined;
  }
  return undefined;
}

/** A new random key, base64 (what a key file holds). */
export function newSecretKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/**
 * The key's fingerprint, stored beside every sealed value: a wrong key is then told apart from a
 * damaged value, and named ("sealed under key 3f2a…, the key given is 9b1c…") without revealing it.
 */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('dealbridge-secret-key-id').update(key).digest('hex').slice(0, 16);
}

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/** `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The plaintext, or SealError when the key, the row (aad) or the value is not the one sealed. */
export function open(key: Buffer, sealed: string, aad: string): string {
  const [version, iv, tag, body, ...rest] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || body === undefined || rest.length > 0)
    throw new SealError('not a sealed value of this version');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SealError('the value does not open with this key (wrong key, or the value was changed)');
  }
}
