// Where the key that seals stored secrets comes from: DEALBRIDGE_SECRET_KEY, else a key file
// (default: `secret.key` next to the SQLite state file). The file is created 0600, with a new
// random key, the first time a secret is stored and none exists; it is never created while sealed
// rows exist (a new key would not open them, and their secrets would look lost).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DealbridgeError } from '../errors/index.js';
import { keyId, newSecretKey, parseSecretKey } from './cipher.js';

export interface KeyConfig {
  key: string | undefined;
  keyFile: string;
}

export interface SecretKey {
  key: Buffer;
  id: string;
  origin: 'DEALBRIDGE_SECRET_KEY' | 'key file';
  /** The key file, when the key came from one. */
  file?: string;
  created: boolean;
}

export function wrongKey(message: string): DealbridgeError {
  return new DealbridgeError('SECRET_KEY_WRONG', message, { field: 'DEALBRIDGE_SECRET_KEY' });
}

function readKeyFile(file: string): Buffer {
  const key = parseSecretKey(readFileSync(file, 'utf8'));
  if (key === undefined) throw wrongKey(`the key file ${file} does not hold a 32-byte key (base64 or hex)`);
  return key;
}

/** Writes a new key file, 0600 in a folder 0700; fails if the file exists (never overwrites a key). */
export function writeKeyFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${text}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

/**
 * The key, or undefined when none is given, no key file exists and `create` is false. With
 * `create`, a missing key file is made with a new key.
 */
export function loadSecretKey(cfg: KeyConfig, opts: { create: boolean }): SecretKey | undefined {
  if (cfg.key !== undefined) {
    const key = parseSecretKey(cfg.key);
    if (key === undefined) throw wrongKey('DEALBRIDGE_SECRET_KEY is not a 32-byte key (base64 or hex)');
    return { key, id: keyId(key), origin: 'DEALBRIDGE_SECRET_KEY', created: false };
  }
  if (existsSync(cfg.keyFile)) {
    const key = readKeyFile(cfg.keyFile);
    return { key, id: keyId(key), origin: 'key file', file: cfg.keyFile, created: false };
  }
  if (!opts.create) return undefined;
  const text = newSecretKey();
  writeKeyFile(cfg.keyFile, text);
  const key = parseSecretKey(text)!;
  return { key, id: keyId(key), origin: 'key file', file: cfg.keyFile, created: true };
}

/** Where the key would come from, for messages: never the key itself. */
export function keyOrigin(cfg: KeyConfig): string {
  return cfg.key !== undefined ? 'DEALBRIDGE_SECRET_KEY' : `the key file ${cfg.keyFile}`;
}
