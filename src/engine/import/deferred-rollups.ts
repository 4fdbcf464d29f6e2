// The contacts and accounts an import run has touched, waiting for their rollups at the end of the
// run. Rollups are deferred to the end because a contact's opportunities are spread over the whole
// org: written per batch, a contact with three opportunities would be written three times.
//
// A run streams the org in Id order from its start, so what it touched is, but for a few, what the
// mirror holds for opportunities up to the run's checkpoint: the contacts of their live roles and
// their accounts. The store lists those in pages (`contactIdsUpTo`, `accountIdsUpTo`), read at the
// end, and memory stays flat whatever the org's size (1M opportunities touch ~500k contacts:
// ~50 MB of ids in Sets, ×3-4 in V8's heap headroom). The few the mirror no longer shows — a
// contact whose role was removed, an account an opportunity left — are kept here.
//
// So that a resumed run still computes them, each checkpoint also stores the ids first kept in
// that batch (one settings row per batch), and a resume reads them back.
import type { BatchOutcome } from '../sync/batch.js';
import type { MirrorStore, SettingsStore, StateStore } from '../ports/store.js';

/** What the end of a run reads: the mirror's ids up to the checkpoint. */
type MirrorIdPages = Pick<MirrorStore, 'contactIdsUpTo' | 'accountIdsUpTo'>;

const countKey = (runId: string) => `import.${runId}.touched.count`;
const partKey = (runId: string, n: number) => `import.${runId}.touched.${n}`;

interface Part {
  c: string[];
  a: string[];
}

/** Ids per rollup call at the end of a run (applyRollups reads and writes them in parts of 1,000). */
export const ROLLUP_PAGE = 5000;

export class DeferredImportRollups {
  readonly contacts = new Set<string>();
  readonly accounts = new Set<string>();
  private parts = 0;

  private constructor(
    private readonly runId: string,
    private readonly pages: MirrorIdPages,
  ) {}

  static async load(store: SettingsStore & MirrorIdPages, runId: string): Promise<DeferredImportRollups> {
    const p = new DeferredImportRollups(runId, store);
    p.parts = (await store.getSetting<number>(countKey(runId))) ?? 0;
    for (let n = 0; n < p.parts; n++) {
      const part = await store.getSetting<Part | null>(partKey(runId, n));
      for (const id of part?.c ?? []) p.contacts.add(id);
      for (const id of part?.a ?? []) p.accounts.add(id);
    }
    return p;
  }

  /**
   * A batch of a run the workers share (src/worker): its part is written at its own index, whatever
   * the order the batches are stored in; `setParts` gives the count once every batch is stored.
   */
  static partOf(
    runId: string,
    index: number,
    outcome: Pick<BatchOutcome, 'touched' | 'roles' | 'mirrors'>,
  ): ((store: SettingsStore) => Promise<void>) | undefined {
    const { c, a } = unshown(outcome);
    if (c.length + a.length === 0) return undefined;
    return (store) => store.setSetting(partKey(runId, index), { c, a } satisfies Part);
  }

  static async setParts(store: SettingsStore, runId: string, count: number): Promise<void> {
    await store.setSetting(countKey(runId), count);
  }

  /** How many parts a run has stored so far (a resumed run's batches number on from there). */
  static async partsOf(store: SettingsStore, runId: string): Promise<number> {
    return (await store.getSetting<number>(countKey(runId))) ?? 0;
  }

  /**
   * Notes a stored batch's touched ids; returns a writer for the checkpoint's transaction
   * (undefined when nothing is new): only ids the mirror will not show.
   */
  add(
    outcome: Pick<BatchOutcome, 'touched' | 'roles' | 'mirrors'>,
  ): ((store: SettingsStore) => Promise<void>) | undefined {
    const fresh = unshown(outcome);
    const c = fresh.c.filter((id) => !this.contacts.has(id));
    const a = fresh.a.filter((id) => !this.accounts.has(id));
    for (const id of c) this.contacts.add(id);
    for (const id of a) this.accounts.add(id);
    if (c.length + a.length === 0) return undefined;
    const n = this.parts++;
    return async (store) => {
      await store.setSetting(partKey(this.runId, n), { c, a } satisfies Part);
      await store.setSetting(countKey(this.runId), n + 1);
    };
  }

  /**
   * Everything the run touched up to `checkpointId`, in pages of at most `size` ids: contacts
   * first, then accounts. A contact may come twice (from the mirror and as kept here): a rollup
   * recomputed with nothing changed costs no call.
   */
  async *touched(
    checkpointId: string | null,
    size = ROLLUP_PAGE,
  ): AsyncGenerator<{ contactIds: string[]; accountIds: string[] }> {
    if (checkpointId !== null) {
      for (const kind of ['contact', 'account'] as const) {
        for (let after = ''; ;) {
          const ids =
            kind === 'contact'
              ? await this.pages.contactIdsUpTo(checkpointId, after, size)
              : await this.pages.accountIdsUpTo(checkpointId, after, size);
          if (ids.length === 0) break;
          yield kind === 'contact'
            ? { contactIds: ids, accountIds: [] }
            : { contactIds: [], accountIds: ids };
          after = ids[ids.length - 1] as string;
        }
      }
    }
    const contacts = [...this.contacts];
    for (let i = 0; i < contacts.length; i += size)
      yield { contactIds: contacts.slice(i, i + size), accountIds: [] };
    const accounts = [...this.accounts];
    for (let i = 0; i < accounts.length; i += size)
      yield { contactIds: [], accountIds: accounts.slice(i, i + size) };
  }

  /** After the rollups are written: the parts are emptied (the store has no delete for settings). */
  async clear(store: StateStore): Promise<void> {
    await store.transaction(async () => {
      for (let n = 0; n < this.parts; n++) await store.setSetting(partKey(this.runId, n), null);
      await store.setSetting(countKey(this.runId), 0);
    });
  }
}

/** The touched ids the mirror will not show (a contact whose role was removed, an account left). */
function unshown(outcome: Pick<BatchOutcome, 'touched' | 'roles' | 'mirrors'>): Part {
  const shown = new Set(outcome.roles.filter((r) => !r.IsDeleted).map((r) => r.ContactId));
  const shownAccounts = new Set(outcome.mirrors.map((m) => m.accountId));
  return {
    c: [...outcome.touched.contactIds].filter((id) => !shown.has(id)),
    a: [...outcome.touched.accountIds].filter((id) => !shownAccounts.has(id)),
  };
}
