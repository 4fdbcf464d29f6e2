import type { Store } from '../index.js';
import { dealLink, sfId } from './fixtures.js';

/** `count` small transactions as one worker would run them: a link, an API count, a setting. */
export async function writeLoad(store: Store, worker: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await store.transaction(async () => {
      await store.saveDealLinks([dealLink(sfId(`W${worker}`, i))]);
      await store.recordApiCalls('hubspot', 1, '2024-05-20T10:30:00.000Z');
      await store.setSetting(`worker-${worker}`, i);
    });
  }
}
