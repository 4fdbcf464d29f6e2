// One record write as Change Data Capture sees it: the store reports each API write here, and
// change-events.ts turns a transaction's writes into change events.
import type { Row } from '../table.js';
import type { SoqlValue } from '../soql/catalog.js';

export interface RecordChange {
  entity: string;
  op: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
  row: Row;
  /** UPDATE: the fields whose value changed, with their new values. */
  changed?: Record<string, SoqlValue>;
  userId: string;
}

/**
 * What an update changed: every field whose value differs (derived ones too, as IsWon after a
 * stage change), and LastModifiedDate always (Salesforce lists it in every update's changedFields).
 */
export function diffRow(before: Row, after: Row): Record<string, SoqlValue> {
  const changed: Record<string, SoqlValue> = {};
  for (const k in after) if (k !== 'SystemModstamp' && after[k] !== before[k]) changed[k] = after[k]!;
  changed.LastModifiedDate = after.LastModifiedDate!;
  return changed;
}
