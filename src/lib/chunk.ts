// The one way the codebase cuts a list into batches (HubSpot's 100 inputs, SOQL IN clauses, SQL
// parameter limits): every caller names its own size.
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new RangeError(`chunk size must be at least 1 (got ${size})`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
