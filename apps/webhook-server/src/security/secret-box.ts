import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

// Used only outside production when SECRET_ENCRYPTION_KEY is unset, so a demo starts without setup. It is public,
// so it protects nothing; the server logs a warning when it falls back to it.
const DEVELOPMENT_KEY = createHash('sha256')
  .update('webhook-server development key, not secret')
  .digest();

/**
 * Encrypts signing secrets at rest with AES-256-GCM. The associated data binds each ciphertext to its endpoint, so a
 * ciphertext copied onto another row fails to decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;
  /** True when no key was configured and the public development key is in use. */
  readonly usesDevelopmentKey: boolean;

  constructor(key: Buffer | undefined) {
    this.key = key ?? DEVELOPMENT_KEY;
    this.usesDevelopmentKey = key === undefined;
  }

  /** Returns `v1.<iv>.<tag>.<ciphertext>` in base64url parts. */
  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      iv.toString('base64url'),
      tag.toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /** Reverses `encrypt`; throws when the key or the associated data does not match. */
  decrypt(sealed: string, associatedData: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
      throw new Error('encrypted secret has an unknown format');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}
