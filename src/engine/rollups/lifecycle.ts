// Lifecycle stage (DESIGN §2.4, S6): forward only, `other` left alone.

export const lifecycleOrder: readonly string[] = Object.freeze([
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
]);

/** Rank of a stage; empty or unknown (custom stages HubSpot lets portals add) rank below all. */
function rank(stage: string | null): number {
  if (stage === null) return -1;
  return lifecycleOrder.indexOf(stage.trim().toLowerCase());
}

/**
 * The stage to write, or null to leave it: forward only, `other` untouched. The opportunities are
 * those the contact has a (live) contact role on: a won one makes a customer (also when the role
 * was added after the win), an open one an opportunity; lost ones change nothing.
 */
export function nextLifecycleStage(
  current: string | null,
  roles: { isClosed: boolean; isWon: boolean; isDeleted: boolean }[],
): string | null {
  if (current?.trim().toLowerCase() === 'other') return null;
  const live = roles.filter((r) => !r.isDeleted);
  const target = live.some((r) => r.isWon)
    ? 'customer'
    : live.some((r) => !r.isClosed)
      ? 'opportunity'
      : null;
  if (target === null) return null;
  return rank(target) > rank(current) ? target : null;
}
