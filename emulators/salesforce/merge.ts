// Salesforce's merge of accounts or contacts (SOAP `merge()`, Apex `merge`), which the REST API
// does not offer: the seed's past merges and the admin route `POST /__emulator/merge` (what a
// user's merge in the UI, or a dedupe tool over SOAP, does to the data) both come here.
// As Salesforce documents it: related records are reparented to the master (contact roles of a
// merged contact lose their primary flag), the losers are deleted with MasterRecordId set to the
// master, and the master gets an update. The reparented children's SystemModstamp moves too (a
// system change; not documented either way).
import { apiError } from './errors.js';
import type { SoqlValue } from './soql/catalog.js';
import type { OrgStore } from './store.js';
import type { Row } from './table.js';

export type MergeType = 'Account' | 'Contact';

/** Merges `loserIds` (at most 2, as Salesforce allows) into `masterId`, as the store's user `userId`. */
export function mergeRecords(
  store: OrgStore,
  type: MergeType,
  masterId: string,
  loserIds: string[],
  userId: string = store.apiUserId,
): void {
  if (loserIds.length < 1 || loserIds.length > 2)
    throw apiError(400, 'INVALID_ARGUMENT', 'a merge takes one or two records to merge into the master');
  const master = liveRow(store, type, masterId);
  const losers = loserIds.map((id) => liveRow(store, type, id));
  if (losers.some((l) => l.Id === master.Id))
    throw apiError(400, 'INVALID_ARGUMENT', 'the master cannot be merged into itself');
  const at = store.clock.stampNow();
  const children: [string, string, Record<string, SoqlValue>][] =
    type === 'Account'
      ? [
          ['Contact', 'AccountId', { AccountId: master.Id as string }],
          ['Opportunity', 'AccountId', { AccountId: master.Id as string }],
        ]
      : [['OpportunityContactRole', 'ContactId', { ContactId: master.Id as string, IsPrimary: false }]];
  for (const loser of losers) {
    for (const [child, field, values] of children) {
      for (const row of [...store.children(child, field, loser.Id as string, { includeDeleted: false })]) {
        store.mergeRaw(child, row as Row, values);
        (row as Row).SystemModstamp = at;
      }
    }
    store.remove(type, loser.Id as string, userId);
    loser.MasterRecordId = master.Id as string;
    loser.SystemModstamp = at;
  }
  master.LastModifiedDate = at;
  master.SystemModstamp = at;
  master.LastModifiedById = userId;
}

function liveRow(store: OrgStore, type: MergeType, id: string): Row {
  const row = store.get(type, id) as Row | undefined;
  if (!row || row.IsDeleted) throw apiError(404, 'ENTITY_IS_DELETED', `no live ${type} with id ${id}`);
  return row;
}
