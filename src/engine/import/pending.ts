// The contacts and accounts an import run has touched, waiting for their rollups at the end of the
// run. Rollups are deferred to the end because a contact's opportunities are spread over the whole
// org: written per batch, a contact with three opportunities would be written three times. So that
// a resumed run still computes them, each checkpoint also stores the ids first touched in that
// batch (one settings row per batch; O(distinct ids) in all), and a resume reads them back.
import type { StateStore } from '../state.js';

const countKey = (runId: string) => `import.${runId}.touched.count`;
const partKey = (runId: string, n: number) => `import.${runId}.touched.${n}`;

interface Part {
  c: string[];
  a: string[];
}

export class PendingRollups {
  readonly contacts = new Set<string>();
  readonly accounts = new Set<string>();
  private parts = 0;

  private constructor(private readonly runId: string) {}

  static async load(store: StateStore, runId: string): Promise<PendingRollups> {
    const p = new PendingRollups(runId);
    p.parts = (await store.getSetting<number>(countKey(runId))) ?? 0;
    for (let n = 0; n < p.parts; n++) {
      const part = await store.getSetting<Part | null>(partKey(runId, n));
      for (const id of part?.c ?? []) p.contacts.add(id);
      for (const id of part?.a ?? []) p.accounts.add(id);
    }
    return p;
  }

  /** Adds ids; returns a writer for the checkpoint's transaction (undefined when nothing is new). */
  add(
    contactIds: Iterable<string>,
    accountIds: Iterable<string>,
  ): ((store: StateStore) => Promise<void>) | undefined {
    const c = [...contactIds].filter((id) => !this.contacts.has(id));
    const a = [...accountIds].filter((id) => !this.accounts.has(id));
    for (const id of c) this.contacts.add(id);
    for (const id of a) this.accounts.add(id);
    if (c.length + a.length === 0) return undefined;
    const n = this.parts++;
    return async (store) => {
      await store.setSetting(partKey(this.runId, n), { c, a } satisfies Part);
      await store.setSetting(countKey(this.runId), n + 1);
    };
  }

  /** After the rollups are written: the parts are emptied (the store has no delete for settings). */
  async clear(store: StateStore): Promise<void> {
    await store.transaction(async () => {
      for (let n = 0; n < this.parts; n++) await store.setSetting(partKey(this.runId, n), null);
      await store.setSetting(countKey(this.runId), 0);
    });
  }
}
