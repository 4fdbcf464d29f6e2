// When the rollup pass may reuse a contact's `lifecyclestage` read earlier instead of reading it
// again. Forward-only lifecycle (DESIGN §2.4) compares the target with the contact's current
// stage; a stage read too long ago could miss a move made in HubSpot since, and writing the target
// would then move the contact back. So a stored stage (RecordLink.stage, kept with the link by the
// look-up that found the contact) is reused only when it was read (or written by dealbridge)
// during the same run — at or after `since` — and at most STAGE_MAX_AGE_MS ago; otherwise the pass
// reads it again. The import passes its start as `since`: a 100k-opportunity import reads every
// contact once instead of twice. Without `since` nothing stored is reused.
import type { RecordLink } from '../ports/store.js';

/** The longest a reused stage may have been read before the rollup write. */
export const STAGE_MAX_AGE_MS = 30 * 60_000;

/** The stage to reuse for this link, or undefined when it must be read again. */
export function reusableStage(
  link: RecordLink,
  since: string | undefined,
  now: Date,
): { value: string | null } | undefined {
  if (since === undefined || !link.stage) return undefined;
  const readAt = Date.parse(link.stage.readAt);
  if (Number.isNaN(readAt) || readAt < Date.parse(since)) return undefined;
  if (now.getTime() - readAt > STAGE_MAX_AGE_MS) return undefined;
  return { value: link.stage.value };
}
