// The stored connections (src/store/areas/connections.ts) as rows: what the store keeps is sealed
// already; sealing and opening is src/secrets' (the store never sees a key or a plaintext secret).

export type ConnectionSide = 'salesforce' | 'hubspot';

export interface ConnectionRow {
  /** 'default' until several connections exist (issue #15). */
  connection: string;
  side: ConnectionSide;
  /** Plain JSON: nothing secret. */
  details: string;
  /** The sealed secrets (AES-256-GCM, `v1.…`). */
  secrets: string;
  /** Fingerprint of the key the secrets are sealed under. */
  keyId: string;
  updatedAt: string;
}

export interface ConnectionStore {
  getConnectionRow(connection: string, side: ConnectionSide): Promise<ConnectionRow | undefined>;
  saveConnectionRow(row: ConnectionRow): Promise<void>;
  deleteConnectionRow(connection: string, side: ConnectionSide): Promise<void>;
  listConnectionRows(): Promise<ConnectionRow[]>;
  /** Runs fn in one transaction (rotation re-seals every row, or none). */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}
