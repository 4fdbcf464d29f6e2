// The Change Data Capture codes of the error catalogue (catalogue.ts takes them in its order): why
// the change-event feed is not the live path. The feed stores the code with its status
// (saveCdcStatus), `status --json` shows it in `livePath.code`, and Sync health shows its message
// and fix. Kept apart so that catalogue.ts stays small; the German texts are in catalogue-de.ts.
import type { ErrorInfo, exitCodes } from './catalogue.js';

export type CdcErrorCode =
  | 'CDC_REPLAY_ID_EXPIRED'
  | 'CDC_NOT_SELECTED'
  | 'CDC_STREAM_DOWN'
  | 'CDC_EVENT_ALLOCATION_SPENT'
  | 'CDC_AUTH_FAILED';

const pass = { scope: 'pass', retryable: true, severity: 'error' } as const;

export function cdcEntries(exit: typeof exitCodes): Record<CdcErrorCode, Omit<ErrorInfo, 'code'>> {
  return {
    CDC_REPLAY_ID_EXPIRED: {
      title: 'Change event replay id expired',
      description:
        'Salesforce no longer holds the replay id dealbridge stored (change events are retained for 72 hours), or never issued it: the subscription failed with `400::The replayId {…} you provided was invalid`. dealbridge forgets it, subscribes for new events only (-1) and runs a cursor comparison from its stored change cursors at once, so no change is lost.',
      fix: 'Nothing to do: it recovers by itself. If it recurs, sync or serve was stopped for more than 72 hours; keep one running.',
      ...pass,
      exitCode: exit.unavailable,
    },
    CDC_NOT_SELECTED: {
      title: 'Opportunity not selected for Change Data Capture',
      description:
        "The org has not selected Opportunity for Change Data Capture (the Tooling API's PlatformEventChannelMember lists no OpportunityChangeEvent on the ChangeEvents channel), so no change events come: polling at the full interval is the live path. dealbridge asks again every 5 minutes.",
      fix: 'In Salesforce, Setup › Integrations › Change Data Capture: move Opportunity (and Account and Opportunity Contact Role) to Selected Entities and save. dealbridge subscribes within 5 minutes.',
      ...pass,
      exitCode: exit.setup,
    },
    CDC_STREAM_DOWN: {
      title: 'Change event stream down',
      description:
        "The Streaming API connection (CometD at /cometd/XX.X) dropped or could not be made: a network failure, Salesforce's maintenance, or a long poll the server ended. Polling runs at the full interval meanwhile; dealbridge subscribes again from the stored replay id after 1 s, doubling to 60 s.",
      fix: 'Nothing to do unless it lasts: check the network path to the Salesforce instance and status.salesforce.com.',
      ...pass,
      exitCode: exit.unavailable,
    },
    CDC_EVENT_ALLOCATION_SPENT: {
      title: 'Event delivery allocation spent',
      description:
        "Salesforce refused the CometD connect: the org's event delivery allocation (DailyDeliveredPlatformEvents in /limits, change events delivered to CometD clients per 24 hours, shared by every subscriber of the org) is spent. It is not the REST API allocation. Polling is the live path meanwhile; dealbridge tries again every 5 minutes.",
      fix: 'Select for Change Data Capture only the entities subscribers need (dealbridge: Opportunity, Opportunity Contact Role, Account), look for other subscribers using the allocation, or buy more event delivery from Salesforce; the feed resumes as the rolling 24-hour window frees deliveries.',
      ...pass,
      exitCode: exit.budget,
    },
    CDC_AUTH_FAILED: {
      title: 'Change event stream refused the login',
      description:
        "The Streaming API refused the handshake or subscribe (401 or 403): an expired or revoked session, or a user without the permissions change events need. Polling is the live path meanwhile; dealbridge tries again with backoff, with a fresh session when the REST calls' refresh gets one.",
      fix: "Check the integration user's access: API Enabled, and View All Data (or View All for Opportunity, Account and Opportunity Contact Role), which Salesforce requires to deliver their change events; then check the connected app's OAuth settings as for AUTH_FAILED.",
      ...pass,
      exitCode: exit.auth,
    },
  };
}
