// The settings area of the StateStore (src/store/areas/settings.ts): settings and change cursors.
import type { ChangeCursor, IsoDateTime } from '../../../domain/salesforce.js';

export interface SettingsStore {
  getSetting<T>(key: string): Promise<T | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;
  /** Every setting, by key (for the settings page). */
  listSettings(): Promise<Record<string, unknown>>;

  getCursor(name: string): Promise<ChangeCursor | undefined>;
  setCursor(name: string, cursor: ChangeCursor): Promise<void>;
  /** Every cursor with when it was last set (for status). */
  listCursors(): Promise<Map<string, ChangeCursor & { updatedAt: IsoDateTime }>>;
  deleteCursor(name: string): Promise<void>;
}
