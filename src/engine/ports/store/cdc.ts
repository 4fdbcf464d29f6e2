// The Change Data Capture area of the StateStore (src/store/areas/cdc.ts, migration 0007).
import type { IsoDateTime } from '../../../domain/salesforce.js';
import type { ErrorCode } from '../../../errors/index.js';

/** Which path brings changes: `live` CDC, or polling alone (with why). */
export type CdcStatus = 'live' | 'connecting' | 'down' | 'not-selected' | 'off';

export interface CdcState {
  channel: string;
  /** Replay id of the last event whose outcome is stored (opaque; null before the first). */
  replayId: string | null;
  /** Commit time of that event. */
  lastEventAt: IsoDateTime | null;
  status: CdcStatus;
  /** Why CDC is not live (the error, "Opportunity not selected", …). */
  reason: string | null;
  /** The catalogue code of why CDC is not live (CDC_NOT_SELECTED, CDC_STREAM_DOWN, …), if one says. */
  code: ErrorCode | null;
  /** When the subscriber last wrote this row (it touches it at least once a minute while running). */
  updatedAt: IsoDateTime;
}

export interface CdcStore {
  getCdcState(channel: string): Promise<CdcState | undefined>;
  /** Stores the replay id reached; call inside the transaction that stores its events' outcome. */
  saveReplayId(channel: string, replayId: string, lastEventAt: IsoDateTime): Promise<void>;
  /** Stores the status (and touches updated_at), keeping the replay id. */
  saveCdcStatus(
    channel: string,
    status: CdcStatus,
    reason: string | null,
    code?: ErrorCode | null,
  ): Promise<void>;
  /** Forgets the replay id (an expired one: the next subscription starts at -1 after a cursor comparison). */
  clearReplayId(channel: string): Promise<void>;
}
