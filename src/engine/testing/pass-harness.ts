// The sync-pass unit tests' world: the fakes over each store kind they run on, and a Salesforce
// contact that is also in HubSpot.
import { openStore } from '../../store/index.js';
import type { StateStore } from '../ports/store.js';
import type { EngineOptions } from '../sync/pass.js';
import { createHarness, MemoryStore, type Harness } from './fakes.js';

export const passStores: Record<string, () => Promise<StateStore>> = {
  memory: async () => new MemoryStore(),
  sqlite: async () => openStore(':memory:'),
};

export function passHarness(openState: () => Promise<StateStore>) {
  const harness = async (options: Partial<EngineOptions> = {}): Promise<Harness> =>
    createHarness(options, await openState());
  return {
    harness,
    async ready(): Promise<Harness> {
      const h = await harness();
      await h.enable();
      return h;
    },
    /** A Salesforce contact that is also in HubSpot (email differs in case). */
    linkedContact(h: Harness, email = 'Ann@Example.com') {
      const c = h.sf.addContact({ Email: email, LastName: 'Ann' });
      const hs = h.hs.addContact(email.toLowerCase());
      return { c, hs };
    },
  };
}
