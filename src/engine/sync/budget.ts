// dealbridge's share of the org's daily Salesforce API allocation (`salesforceBudgetPercent`):
// one pure reading of the usage, for the pass's check before it calls and for its refusal.
import type { ApiUsageReading } from '../../domain/salesforce.js';

/** The budget, when this usage reading has reached it; null while there is room (or no reading). */
export function budgetReached(
  usage: ApiUsageReading | undefined,
  percent: number,
): { used: number; max: number; limit: number } | null {
  if (!usage || usage.max <= 0) return null;
  const limit = Math.floor((usage.max * percent) / 100);
  return usage.used >= limit ? { used: usage.used, max: usage.max, limit } : null;
}
