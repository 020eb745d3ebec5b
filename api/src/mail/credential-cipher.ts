import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createPrivateDirectory, makePrivate } from '../platform/private-files';

const VERSION = 'v1';
const IV_BYTES = 12; // NIST SP 800-38D: 96-bit IVs for GCM
const TAG_BYTES = 16;

/**
 * Mail credentials at rest: AES-256-GCM (authenticated), with the row the secret belongs to as
 * associated data, so a ciphertext copied into another mailbox or profile fails to decrypt.
 */
export class CredentialCipher {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the mail credential key must be 32 bytes');
    this.key = Buffer.from(key);
  }

  /** `owner` names the row, e.g. "mailbox:<id>" or "profile:<id>". */
  encrypt(plaintext: string, owner: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(owner, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** Throws when the value was tampered with, belongs to another row, or was made with another key. */
  decrypt(stored: string, owner: string): string {
    const [version, payload] = stored.split(':', 2);
    if (version !== VERSION || !payload) throw new Error('unrecognized credential format');
    const raw = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(owner, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** Parses MAIL_CREDENTIAL_KEY (base64 or hex of 32 bytes); undefined when it is not one. */
export function parseCredentialKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const candidates = [/^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : undefined, Buffer.from(trimmed, 'base64')];
  return candidates.find((key) => key?.length === 32);
}

/**
 * The embedded default: a key generated on first start and kept beside the SQLite file (mode 600).
 * Deployments with several api processes set MAIL_CREDENTIAL_KEY instead, the same in each.
 */
export function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = path.join(dataDir, 'mail-credential.key');
  createPrivateDirectory(dataDir);
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    makePrivate(file);
  }
  const key = parseCredentialKey(fs.readFileSync(file, 'utf8'));
  if (!key) throw new Error(`${file} does not hold a 32-byte key (base64)`);
  return key;
}
