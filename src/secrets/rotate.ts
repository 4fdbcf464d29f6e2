// `dealbridge secrets rotate`: every stored secret opened with the current key and sealed again
// under a new one, in one transaction. With a key file, the new key is written beside it first
// (`<file>.new`, 0600), the rows are re-sealed, then the new file replaces the old: a failure at
// any step before the rename leaves the old key and the old rows as they were. With
// DEALBRIDGE_SECRET_KEY the new key is taken from DEALBRIDGE_NEW_SECRET_KEY (the admin sets it
// as the key afterwards). A row that does not open stops everything before any write (exit 2).
import { existsSync, renameSync, rmSync } from 'node:fs';
import type { ConnectionStore } from '../engine/ports/store/connections.js';
import { DealbridgeError } from '../errors/index.js';
import { keyId, newSecretKey, open, parseSecretKey, seal, SealError } from './cipher.js';
import { keyOrigin, loadSecretKey, wrongKey, writeKeyFile, type KeyConfig } from './key-source.js';
import { aadOf } from './vault.js';

export interface RotateResult {
  rows: number;
  oldKeyId: string | null;
  newKeyId: string;
  /** Where the new key now is: the key file, or DEALBRIDGE_NEW_SECRET_KEY (to be set as the key). */
  newKeyAt: string;
}

export async function rotateSecrets(
  store: ConnectionStore,
  keys: KeyConfig,
  newKeyText: string | undefined,
): Promise<RotateResult> {
  const rows = await store.listConnectionRows();
  const current = loadSecretKey(keys, { create: false });
  if (current === undefined && rows.length > 0)
    throw wrongKey(
      `stored secrets exist but there is no key: ${keyOrigin(keys)} does not exist; nothing was changed`,
    );
  const opened = rows.map((row) => {
    if (current === undefined || row.keyId !== current.id)
      throw wrongKey(
        `the current key (${current?.id ?? 'none'}) is not the key the ${row.side} secrets of connection "${row.connection}" are sealed under (${row.keyId}); nothing was changed`,
      );
    try {
      return { row, plain: open(current.key, row.secrets, aadOf(row.connection, row.side)) };
    } catch (err) {
      if (err instanceof SealError)
        throw wrongKey(
          `the ${row.side} secrets of connection "${row.connection}" do not open: ${err.message}; nothing was changed`,
        );
      throw err;
    }
  });

  const fromEnv = keys.key !== undefined;
  let text: string;
  if (fromEnv) {
    if (newKeyText === undefined)
      throw new DealbridgeError(
        'CONFIG_INVALID',
        'DEALBRIDGE_SECRET_KEY is set: give the new key in DEALBRIDGE_NEW_SECRET_KEY (e.g. `openssl rand -base64 32`), then set it as DEALBRIDGE_SECRET_KEY',
        { field: 'DEALBRIDGE_NEW_SECRET_KEY' },
      );
    text = newKeyText;
  } else text = newKeyText ?? newSecretKey();
  const newKey = parseSecretKey(text);
  if (newKey === undefined)
    throw new DealbridgeError(
      'CONFIG_INVALID',
      'DEALBRIDGE_NEW_SECRET_KEY: must be 32 bytes, base64 or hex',
      {
        field: 'DEALBRIDGE_NEW_SECRET_KEY',
      },
    );
  const newId = keyId(newKey);
  const pending = `${keys.keyFile}.new`;
  if (!fromEnv) {
    if (existsSync(pending)) rmSync(pending);
    writeKeyFile(pending, text);
  }
  try {
    const at = new Date().toISOString();
    await store.transaction(async () => {
      for (const { row, plain } of opened)
        await store.saveConnectionRow({
          ...row,
          secrets: seal(newKey, plain, aadOf(row.connection, row.side)),
          keyId: newId,
          updatedAt: at,
        });
    });
  } catch (err) {
    if (!fromEnv) rmSync(pending, { force: true });
    throw err;
  }
  if (!fromEnv) renameSync(pending, keys.keyFile);
  return {
    rows: rows.length,
    oldKeyId: current?.id ?? null,
    newKeyId: newId,
    newKeyAt: fromEnv ? 'DEALBRIDGE_NEW_SECRET_KEY' : keys.keyFile,
  };
}
