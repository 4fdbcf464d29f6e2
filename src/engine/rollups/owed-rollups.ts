// Contacts and accounts whose rollups a pass still owes. The sync writes them to the store in the
// same transaction as each page's outcome and cursor, and clears them only after the rollup pass
// that covers them has returned: a crash in between leaves them for the next pass, so moving the
// cursor can never lose a rollup. One rollup pass per sync pass (not per batch) writes each
// contact and company once, however many pages touched it.
import type { Touched } from '../sync/batch.js';
import type { StateStore } from '../ports/store.js';

export const PENDING_ROLLUPS_SETTING = 'rollups.pending';

interface Stored {
  contacts: string[];
  accounts: string[];
}

export class OwedRollups {
  readonly contactIds = new Set<string>();
  readonly accountIds = new Set<string>();
  private dirty = false;

  private constructor(private readonly store: StateStore) {}

  static async load(store: StateStore): Promise<OwedRollups> {
    const p = new OwedRollups(store);
    const stored = await store.getSetting<Partial<Stored>>(PENDING_ROLLUPS_SETTING);
    for (const id of stored?.contacts ?? []) p.contactIds.add(id);
    for (const id of stored?.accounts ?? []) p.accountIds.add(id);
    return p;
  }

  get size(): number {
    return this.contactIds.size + this.accountIds.size;
  }

  add(t: Pick<Touched, 'contactIds' | 'accountIds'>): void {
    for (const id of t.contactIds) {
      if (!this.contactIds.has(id)) {
        this.contactIds.add(id);
        this.dirty = true;
      }
    }
    for (const id of t.accountIds) {
      if (!this.accountIds.has(id)) {
        this.accountIds.add(id);
        this.dirty = true;
      }
    }
  }

  /** Persists what was added since the last save; call inside the page's transaction. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    await this.store.setSetting(PENDING_ROLLUPS_SETTING, {
      contacts: [...this.contactIds],
      accounts: [...this.accountIds],
    } satisfies Stored);
    this.dirty = false;
  }

  /** The owed set, as the rollup hook takes it. */
  touched(): Touched {
    return {
      opportunityIds: new Set(),
      contactIds: new Set(this.contactIds),
      accountIds: new Set(this.accountIds),
    };
  }

  /** After the rollups of `done` were written: forget them (ids added meanwhile stay owed). */
  async settle(done: Touched): Promise<void> {
    for (const id of done.contactIds) this.contactIds.delete(id);
    for (const id of done.accountIds) this.accountIds.delete(id);
    this.dirty = true;
    await this.save();
  }
}
