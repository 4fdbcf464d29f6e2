// The bad-input corpus (issue #17): what arrives from Salesforce (or from HubSpot's answers) that a
// connector must survive, one case per row: how the record is made (the fewest fields a data loader
// sends) or which fault is injected, what dealbridge does, and the outcome the end-to-end tests
// assert (src/engine/bad-input/*.integration.test.ts); docs/bad-input.md is rendered
// from this table (render.ts) and checked against it (corpus.test.ts).
import type { ErrorCode } from '../../../errors/index.js';
import { faultCases } from './fault-cases.js';
import { recordCases } from './record-cases.js';
import type { CorpusWorld, Made } from './world.js';

export type Outcome =
  /** The deal has the values the case expects. */
  | { kind: 'synced' }
  /** The deal synced with something left out, and a warning (never retried by itself). */
  | { kind: 'warning'; code: ErrorCode }
  /** Not written: a stored error with its fix, retried with backoff (or the contact's rollups). */
  | { kind: 'failed'; code: ErrorCode; on?: 'contact' }
  /** HubSpot (or Salesforce) failed on the way; retried, then synced. `code`: what was seen, if anything. */
  | { kind: 'retried'; code: ErrorCode | null }
  /** The opportunity is gone in Salesforce: no live deal (one that synced is archived). */
  | { kind: 'removed' }
  /** Salesforce refuses the write with its own error code: nothing arrives. */
  | { kind: 'refused'; salesforceCode: string };

export const GROUPS = [
  'Owners, stages, picklist and Type values',
  'Lengths at and past the limits',
  'Currencies',
  'Dates at the edges',
  'Unicode and control characters',
  'Deleted parents, records deleted between read and write',
  "HubSpot's 207 naming inputs by index",
  'Malformed or truncated answers',
] as const;
export type Group = (typeof GROUPS)[number];

export interface BadInputCase {
  id: string;
  group: Group;
  /** What arrives (docs/bad-input.md). */
  arrives: string;
  /** What dealbridge does (docs/bad-input.md). */
  does: string;
  outcome: Outcome;
  /** The Salesforce field a warning's or an error's message names. */
  field?: string;
  /** Which test file runs it. */
  file: 'records' | 'faults';
  /** Makes the record(s) (records: before the first pass; faults: installs the fault too). */
  make(w: CorpusWorld): Promise<Made>;
  /** Faults: runs beside the first pass (a record deleted while a write is held up). */
  during?(w: CorpusWorld, made: Made): Promise<void>;
  /** Records: after the first passes, a change (an account deleted, …) and passes again. */
  later?(w: CorpusWorld, made: Made): Promise<void>;
  /** Exact deal property values to find (synced, warning, retried). */
  deal?: Record<string, string | null> | ((made: Made) => Record<string, string | null>);
  /** Further checks (associations, rollups, no duplicate deal). */
  check?(w: CorpusWorld, made: Made): Promise<void>;
}

export const CORPUS: readonly BadInputCase[] = [...recordCases, ...faultCases];

export const TEST_FILES: Record<BadInputCase['file'], string> = {
  records: 'src/engine/bad-input/records.integration.test.ts',
  faults: 'src/engine/bad-input/faults.integration.test.ts',
};

/** `bad input <id>`: the name of the test that shows a case. */
export const testName = (c: Pick<BadInputCase, 'id'>) => `bad input ${c.id}`;

export function outcomeLabel(o: Outcome): string {
  switch (o.kind) {
    case 'synced':
      return 'synced';
    case 'warning':
      return `synced with warning ${o.code}`;
    case 'failed':
      return o.on === 'contact' ? `deal synced, rollups failed with ${o.code}` : `failed with ${o.code}`;
    case 'retried':
      return o.code ? `retried (${o.code}), then synced` : 'retried, then synced';
    case 'removed':
      return 'no live deal (opportunity deleted)';
    case 'refused':
      return `refused by Salesforce (${o.salesforceCode})`;
  }
}
