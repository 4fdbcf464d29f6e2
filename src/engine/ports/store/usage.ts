// The usage area of the StateStore (src/store/areas/usage.ts): API calls per hour and side.
import type { IsoDateTime } from '../../../domain/salesforce.js';
import type { Side } from '../store.js';

export interface UsageStore {
  recordApiCalls(side: Side, count: number, at: IsoDateTime): Promise<void>;
  /** Calls per hour bucket since `since`. */
  apiCalls(side: Side, since: IsoDateTime): Promise<{ hour: IsoDateTime; count: number }[]>;
}
