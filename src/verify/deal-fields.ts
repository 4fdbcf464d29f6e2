// The mapped fields of one deal against its opportunity, by verify's own reading of DESIGN §2.1:
// name, amount, close date (a day), create date (an instant), description, stage (by label, so a
// stage id from any pipeline setup made is fine), owner (Salesforce user ↔ HubSpot owner by email,
// when one matches), and the currency in multi-currency orgs.
import type { HsObject } from '../domain/hubspot.js';
import type { Difference, Opp } from './types.js';
import { sameDay, sameInstant, sameNumber, sameText } from './values.js';

export function checkDealFields(
  o: Opp,
  deal: HsObject,
  f: {
    stageLabel: Map<string, string>;
    hsStage: Map<string, string>;
    ownerOfUser: Map<string, string | null>;
    multiCurrency: boolean;
  },
  diff: (d: Difference) => void,
): void {
  const p = deal.properties;
  const rec = `opportunity:${o.id}`;
  const field = (name: string, ok: boolean, expected: string | null) => {
    if (!ok)
      diff({
        record: rec,
        hubspotId: deal.id,
        check: 'deal_field',
        field: name,
        expected,
        actual: p[name] ?? null,
        message: `${name} is ${JSON.stringify(p[name] ?? null)}, should be ${JSON.stringify(expected)}`,
      });
  };
  field('dealname', sameText(o.name, p.dealname), o.name);
  field('amount', sameNumber(o.amount, p.amount), o.amount);
  if (o.closeDate) field('closedate', sameDay(o.closeDate, p.closedate), o.closeDate);
  field('createdate', sameInstant(o.createdDate, p.createdate), o.createdDate);
  field('description', sameText(o.description, p.description), o.description);
  const wantStage = f.stageLabel.get(o.stage) ?? o.stage;
  const haveStage = f.hsStage.get(`${p.pipeline ?? ''}/${p.dealstage ?? ''}`) ?? null;
  field('dealstage', haveStage === wantStage, wantStage);
  const owner = o.ownerId ? f.ownerOfUser.get(o.ownerId) : undefined;
  if (owner) field('hubspot_owner_id', sameText(owner, p.hubspot_owner_id), owner);
  if (f.multiCurrency) field('deal_currency_code', sameText(o.currency, p.deal_currency_code), o.currency);
}
