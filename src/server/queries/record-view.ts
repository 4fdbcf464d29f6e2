// One opportunity for the Records page: the mirror row, its deal (as last written, and as HubSpot
// has it now — one read), the associations the sync maintains (contacts by role, the company by
// account), its open error, and the field-by-field history from the audit log.
import { errorCatalogue, isErrorCode, type Severity } from '../../errors/index.js';
import type { AuditEntry, DealLink, OpportunityMirror } from '../../engine/ports/store.js';
import { CORPORATE_CURRENCY_SETTING } from '../../engine/setup/run-setup.js';
import type { ServerContext } from '../context.js';
import { publicError } from '../redact.js';

export interface RecordView {
  opportunity: OpportunityMirror;
  /** The currency of its amount: its own (multi-currency orgs), else the org's as setup read it. */
  currency: string | null;
  deal: {
    id: string | null;
    archived: boolean;
    lastSyncedAt: string | null;
    lastWritten: Record<string, string | null>;
    /** HubSpot's current values of those properties (null when not read). */
    current: Record<string, string | null> | null;
    currentError: string | null;
  };
  contacts: { salesforceId: string; hubspotId: string | null; matchedBy: string | null }[];
  company: { accountId: string; name: string | null; hubspotId: string | null } | null;
  /** The record's open error or warning (severity tells which). */
  error: {
    code: string;
    severity: Severity;
    title: string;
    message: string;
    fix: string;
    attempts: number;
    nextRetryAt: string | null;
    /** Set: a dead letter, retried only by hand ("Resync now"). */
    deadLetteredAt: string | null;
  } | null;
  history: AuditEntry[];
  /**
   * Two-way conflicts of this opportunity (audit entries `conflict` on `opportunity:<id>`), newest
   * first: `newValue` won, `oldValue` lost, with when each side changed the field.
   */
  conflicts: AuditEntry[];
  /** Labels of the pipeline and stage ids the deal values hold, for display. */
  labels: Record<string, string>;
}

const HISTORY_LIMIT = 500;

export async function recordView(ctx: ServerContext, opportunityId: string): Promise<RecordView | null> {
  const { store } = ctx.runtime;
  const opp = (await store.getOpportunities([opportunityId])).get(opportunityId);
  const link: DealLink | undefined = (await store.getDealLinks([opportunityId])).get(opportunityId);
  if (!opp && !link) return null;
  const opportunity: OpportunityMirror = opp ?? {
    id: opportunityId,
    name: opportunityId,
    accountId: null,
    amount: null,
    currencyIsoCode: null,
    closeDate: null,
    createdDate: '',
    isClosed: false,
    isWon: false,
    isDeleted: false,
    inScope: false,
    systemModstamp: '',
  };
  const contactIds = (await store.contactIdsForOpportunities([opportunityId])).get(opportunityId) ?? [];
  const contactLinks = contactIds.length > 0 ? await store.getContactLinks(contactIds) : new Map();
  let company: RecordView['company'] = null;
  if (opportunity.accountId) {
    const accountId = opportunity.accountId;
    const companyLink = (await store.getCompanyLinks([accountId])).get(accountId);
    const account = (await store.getAccounts([accountId])).get(accountId);
    company = { accountId, name: account?.Name ?? null, hubspotId: companyLink?.hubspotId ?? null };
  }
  const err = (await store.listErrors({ recordKeys: [`opportunity:${opportunityId}`] }))[0];
  const dealId = link?.dealId ?? null;
  const lastWritten = link?.lastValues ?? {};
  let current: Record<string, string | null> | null = null;
  let currentError: string | null = null;
  if (dealId) {
    try {
      const hs = await ctx.runtime.hubspot();
      // `@contacts` / `@company` are the associations' fingerprints, not deal properties.
      const props = Object.keys(lastWritten).filter((k) => !k.startsWith('@'));
      const [deal] = await hs.readByIds('deals', [dealId], props);
      current = deal ? { ...deal.properties } : null;
      if (!deal) currentError = 'HubSpot has no deal with this id (deleted in HubSpot?)';
    } catch (e) {
      currentError = publicError(e, ctx.secrets).message;
    }
  }
  return {
    opportunity,
    currency:
      opportunity.currencyIsoCode ?? (await store.getSetting<string>(CORPORATE_CURRENCY_SETTING)) ?? null,
    deal: {
      id: dealId,
      archived: link?.archived ?? false,
      lastSyncedAt: link?.lastSyncedAt ?? null,
      lastWritten,
      current,
      currentError,
    },
    contacts: contactIds.map((id) => {
      const l = contactLinks.get(id) as { hubspotId: string; matchedBy: string } | undefined;
      return { salesforceId: id, hubspotId: l?.hubspotId ?? null, matchedBy: l?.matchedBy ?? null };
    }),
    company,
    error: err
      ? {
          code: err.code,
          severity: err.severity,
          title: isErrorCode(err.code) ? errorCatalogue[err.code].title : err.code,
          message: err.message,
          fix: isErrorCode(err.code) ? errorCatalogue[err.code].fix : '',
          attempts: err.attempts,
          nextRetryAt: err.nextRetryAt,
          deadLetteredAt: err.deadLetteredAt,
        }
      : null,
    history: dealId ? await store.auditFor(`deal:${dealId}`, HISTORY_LIMIT) : [],
    conflicts: (await store.auditFor(`opportunity:${opportunityId}`, HISTORY_LIMIT)).filter(
      (e) => e.reason === 'conflict',
    ),
    labels: await pipelineLabels(ctx),
  };
}

async function pipelineLabels(ctx: ServerContext): Promise<Record<string, string>> {
  try {
    const facts = await ctx.facts.get();
    const out: Record<string, string> = {};
    for (const p of facts.pipelines) {
      out[`pipeline:${p.id}`] = p.label;
      for (const st of p.stages) out[`dealstage:${st.id}`] = st.label;
    }
    return out;
  } catch {
    return {};
  }
}
