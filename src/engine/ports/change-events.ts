// The Change Data Capture stream as the engine sees it: which entities the org selected, one
// subscription to the all-changes channel from a replay position, and the event delivery
// allocation. src/salesforce/change-events.ts implements it with jsforce's streaming client.
import type { IsoDateTime, SfContactRole, SfOpportunity } from '../../domain/salesforce.js';

/** The ChangeEventHeader fields the engine reads (Salesforce's names). */
export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  /** CREATE, UPDATE, DELETE, UNDELETE, GAP_CREATE, GAP_UPDATE, GAP_DELETE, GAP_UNDELETE, GAP_OVERFLOW */
  changeType: string;
  changedFields: string[];
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  transactionKey: string;
  sequenceNumber: number;
  changeOrigin: string;
}

export interface ChangeEvent {
  /** Opaque; stored as text, compared only as Salesforce orders delivery. */
  replayId: string;
  header: ChangeEventHeader;
  /** The record fields the event carries (only the changed ones on an update), by API name. */
  fields: Record<string, unknown>;
  /**
   * Opportunity events: the fields parsed as a query row's would be (money as decimal text,
   * datetimes normalised; LastModifiedDate as SystemModstamp, which events never carry); other
   * fields in `extra`, by API name.
   */
  opportunity?: Partial<SfOpportunity>;
  /**
   * Fields whose value the transport may have rounded (faye parses the CometD JSON itself, so an
   * Amount of more than 15 significant digits arrives as the nearest double): the record is read
   * by id, whose JSON dealbridge parses exactly, instead of taking the event's value.
   */
  inexact?: string[];
  /** OpportunityContactRole events, likewise. */
  contactRole?: Partial<SfContactRole>;
}

/** Why a subscription ended or could not start. */
export type StreamFailure =
  | { kind: 'replay-invalid'; message: string }
  | { kind: 'limit'; message: string }
  | { kind: 'auth'; message: string }
  | { kind: 'dropped'; message: string };

export interface ChangeStreamHandlers {
  /** Each event, in the order Salesforce delivers them (commit order). */
  onEvent(e: ChangeEvent): void;
  /** The subscription is up (after the handshake and subscribe succeeded). */
  onUp(): void;
  /** It ended; the engine decides when to subscribe again. Called at most once per subscription. */
  onDown(f: StreamFailure): void;
}

export interface ChangeSubscription {
  close(): Promise<void>;
}

export interface ChangeEventPort {
  /**
   * Entities selected for Change Data Capture on the standard channel (Tooling API
   * PlatformEventChannelMember), by object name: `Opportunity`, `OpportunityContactRole`, …
   */
  selectedEntities(): Promise<string[]>;
  /** Subscribes to /data/ChangeEvents after `replayId` (-1: new events only, -2: all retained). */
  subscribe(replayId: string | -1 | -2, handlers: ChangeStreamHandlers): ChangeSubscription;
  /** `DailyDeliveredPlatformEvents` of /limits: change events delivered to CometD clients per 24 h. */
  deliveryAllocation(): Promise<{ max: number; remaining: number; at: IsoDateTime } | undefined>;
}

export const ALL_CHANGES_CHANNEL = '/data/ChangeEvents';
