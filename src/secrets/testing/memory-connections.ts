// The ConnectionStore in memory, for the API's inject tests over the engine's fakes.
import type { ConnectionRow, ConnectionSide, ConnectionStore } from '../../engine/ports/store/connections.js';

export class MemoryConnections implements ConnectionStore {
  readonly rows = new Map<string, ConnectionRow>();
  getConnectionRow(connection: string, side: ConnectionSide): Promise<ConnectionRow | undefined> {
    return Promise.resolve(this.rows.get(`${connection}/${side}`));
  }
  saveConnectionRow(row: ConnectionRow): Promise<void> {
    this.rows.set(`${row.connection}/${row.side}`, { ...row });
    return Promise.resolve();
  }
  deleteConnectionRow(connection: string, side: ConnectionSide): Promise<void> {
    this.rows.delete(`${connection}/${side}`);
    return Promise.resolve();
  }
  listConnectionRows(): Promise<ConnectionRow[]> {
    return Promise.resolve([...this.rows.values()]);
  }
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const before = new Map(this.rows);
    try {
      return await fn();
    } catch (err) {
      this.rows.clear();
      for (const [k, v] of before) this.rows.set(k, v);
      throw err;
    }
  }
}
