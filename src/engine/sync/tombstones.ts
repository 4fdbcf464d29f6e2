// Deleted stand-ins for opportunities that Salesforce no longer returns at all (hard deleted, the
// recycle bin emptied), built from the mirror, so that the batch archives their deals as it does
// for any deleted opportunity.
import type { SfContactRole } from '../../domain/salesforce.js';
import type { SfOpportunityWithRoles } from '../ports/remote.js';
import type { StateStore } from '../ports/store.js';

export async function tombstones(
  store: StateStore,
  ids: string[],
  stamp: string,
): Promise<SfOpportunityWithRoles[]> {
  const [mirrors, links] = await Promise.all([store.getOpportunities(ids), store.getDealLinks(ids)]);
  return ids.flatMap((id) => {
    const m = mirrors.get(id);
    if (!m && !links.has(id)) return [];
    return [
      {
        Id: id,
        Name: m?.name ?? id,
        Amount: m?.amount ?? null,
        CloseDate: m?.closeDate ?? null,
        CreatedDate: m?.createdDate ?? stamp,
        StageName: '',
        IsClosed: m?.isClosed ?? false,
        IsWon: m?.isWon ?? false,
        Type: null,
        Description: null,
        OwnerId: null,
        AccountId: m?.accountId ?? null,
        RecordTypeId: null,
        CurrencyIsoCode: m?.currencyIsoCode ?? null,
        SystemModstamp: stamp,
        IsDeleted: true,
        extra: {},
        contactRoles: [] as SfContactRole[],
      },
    ];
  });
}
