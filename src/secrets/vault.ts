// The stored connections with their secrets sealed: `save` seals, `read` opens. A key that does
// not match the rows already stored is refused before anything is written (SECRET_KEY_WRONG,
// exit 2), so a wrong key never overwrites a secret sealed under the right one.
import type { ConnectionSide, ConnectionStore } from '../engine/ports/store/connections.js';
import { open, seal, SealError } from './cipher.js';
import { keyOrigin, loadSecretKey, wrongKey, type KeyConfig, type SecretKey } from './key-source.js';

/** Binds a sealed value to its row: a ciphertext moved to another row does not open. */
export const aadOf = (connection: string, side: ConnectionSide) => `dealbridge/${connection}/${side}`;

export interface OpenedConnection<D, S> {
  details: D;
  secrets: S;
  updatedAt: string;
}

export class SecretVault {
  #key: SecretKey | undefined;

  constructor(
    private readonly store: ConnectionStore,
    private readonly keys: KeyConfig,
  ) {}

  /** The key, checked against every stored row; created (0600 file) only when `create` and none is stored. */
  async #checkedKey(create: boolean): Promise<SecretKey | undefined> {
    if (this.#key) return this.#key;
    const rows = await this.store.listConnectionRows();
    const key = loadSecretKey(this.keys, { create: create && rows.length === 0 });
    if (key === undefined) {
      if (rows.length > 0)
        throw wrongKey(
          `stored secrets are sealed under key ${rows[0]!.keyId}, and there is no key: ${keyOrigin(this.keys)} does not exist. ` +
            'Restore the key file from its backup, or set DEALBRIDGE_SECRET_KEY.',
        );
      return undefined;
    }
    const other = rows.find((r) => r.keyId !== key.id);
    if (other)
      throw wrongKey(
        `the secret key from ${key.origin === 'key file' ? `the key file ${key.file}` : key.origin} (key ${key.id}) is not the key ` +
          `the stored secrets are sealed under (key ${other.keyId}); nothing was changed. Give the right key (DEALBRIDGE_SECRET_KEY or the key file's backup).`,
      );
    this.#key = key;
    return key;
  }

  /** Checks the key against the stored rows without creating anything (doctor). */
  async check(): Promise<{ keyId: string | null; origin: string; rows: number }> {
    const key = await this.#checkedKey(false);
    const rows = (await this.store.listConnectionRows()).length;
    return { keyId: key?.id ?? null, origin: key ? key.origin : keyOrigin(this.keys), rows };
  }

  async read<D, S>(connection: string, side: ConnectionSide): Promise<OpenedConnection<D, S> | undefined> {
    const row = await this.store.getConnectionRow(connection, side);
    if (!row) return undefined;
    const key = (await this.#checkedKey(false))!;
    let plain: string;
    try {
      plain = open(key.key, row.secrets, aadOf(connection, side));
    } catch (err) {
      if (err instanceof SealError)
        throw wrongKey(
          `the stored ${side} secrets of connection "${connection}" do not open: ${err.message}`,
        );
      throw err;
    }
    return {
      details: JSON.parse(row.details) as D,
      secrets: JSON.parse(plain) as S,
      updatedAt: row.updatedAt,
    };
  }

  async save(connection: string, side: ConnectionSide, details: object, secrets: object): Promise<void> {
    const key = (await this.#checkedKey(true))!;
    await this.store.saveConnectionRow({
      connection,
      side,
      details: JSON.stringify(details),
      secrets: seal(key.key, JSON.stringify(secrets), aadOf(connection, side)),
      keyId: key.id,
      updatedAt: new Date().toISOString(),
    });
  }

  /** Changes the plain details only (last successful call, identity), keeping the sealed secrets. */
  async updateDetails(connection: string, side: ConnectionSide, patch: object): Promise<void> {
    const row = await this.store.getConnectionRow(connection, side);
    if (!row) return;
    const details = { ...(JSON.parse(row.details) as object), ...patch };
    await this.store.saveConnectionRow({ ...row, details: JSON.stringify(details) });
  }

  /** Forgets the connection (its tokens included); needs no key. */
  forget(connection: string, side: ConnectionSide): Promise<void> {
    return this.store.deleteConnectionRow(connection, side);
  }
}
