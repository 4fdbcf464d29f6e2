// Salesforce integration settings: the "Opportunity sync" dropdown, pipelines and stage mapping,
// field mappings, owners, contact rules and API budgets.
import { useState } from 'react';
import { send } from '../api';
import { Loading, Notice, useAction, useData } from '../components/common';
import { FieldMappings } from '../components/FieldMappings';
import { StageMap } from '../components/StageMap';
import { num, when } from '../format';
import { useLive } from '../live';
import type { SettingsView } from '../types';

export function SettingsPage() {
  const view = useData<SettingsView>('/api/settings');
  useLive(['settings'], () => void view.reload(), 60_000);
  const v = view.data;
  return (
    <>
      <h1>Salesforce integration settings</h1>
      {view.error && <Notice kind="error" message={view.error} />}
      {!v && !view.error && <Loading what="settings" />}
      {v && (
        <>
          <SyncSection v={v} reload={view.reload} />
          <StageMap v={v} reload={view.reload} />
          <FieldMappings v={v} reload={view.reload} />
          <TypeValueMapSection v={v} reload={view.reload} />
          <OwnersSection v={v} reload={view.reload} />
          <ContactsSection v={v} reload={view.reload} />
          <BudgetsSection v={v} reload={view.reload} />
        </>
      )}
    </>
  );
}

interface SectionProps {
  v: SettingsView;
  reload: () => Promise<void>;
}

async function putSetting(key: string, value: string) {
  return send<{ changed: boolean; cursorStart?: string }>('PUT', `/api/settings/${key}`, { value });
}

function SyncSection({ v, reload }: SectionProps) {
  const action = useAction();
  const on = v.settings.opportunitySync;
  return (
    <section className="card" aria-labelledby="sync-h">
      <h2 id="sync-h">Opportunity sync</h2>
      <p className="hint">
        When on, an opportunity syncs to a HubSpot deal the next time it is created or updated, if one of its
        contact roles is a contact in HubSpot. Existing opportunities come with the{' '}
        <a href="/import">import</a>.
      </p>
      <div className="field">
        <label htmlFor="opportunity-sync">Opportunity sync</label>
        <select
          id="opportunity-sync"
          value={on ? 'on' : 'off'}
          disabled={action.busy}
          onChange={(e) => {
            // Read now: the controlled select shows the stored value again until the reload.
            const value = e.target.value;
            void action.run(async () => {
              const r = await putSetting('opportunitySync', value);
              await reload();
              if (value === 'off') return 'Opportunity sync is off: nothing is written to HubSpot.';
              return r.cursorStart
                ? `Opportunity sync is on: changes from ${when(r.cursorStart)} (Salesforce time) sync.`
                : 'Opportunity sync is on.';
            });
          }}
        >
          <option value="off">Don't sync opportunities</option>
          <option value="on">Sync opportunities</option>
        </select>
      </div>
      <p className="meta">Setup: {v.setupCompletedAt ? `done ${when(v.setupCompletedAt)}` : 'not run yet'}</p>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}

function OwnersSection({ v, reload }: SectionProps) {
  const action = useAction();
  const o = v.owners;
  return (
    <section className="card" aria-labelledby="owners-h">
      <h2 id="owners-h">Owners</h2>
      <p className="hint">
        Salesforce users are matched to HubSpot owners by email. {num(o.matched.length)} matched,{' '}
        <strong>{num(o.unmatched.length)} without a HubSpot owner</strong>.
      </p>
      {o.unmatched.length > 0 && (
        <>
          <h3>Unmatched users</h3>
          <ul className="plain" aria-label="Salesforce users without a HubSpot owner">
            {o.unmatched.map((u) => (
              <li key={u.userId}>
                {u.name} <span className="meta">&lt;{u.email || 'no email'}&gt;</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="field">
        <label htmlFor="fallback-owner">Owner for deals of unmatched users</label>
        <select
          id="fallback-owner"
          value={v.settings.fallbackOwnerId ?? ''}
          disabled={action.busy}
          onChange={(e) => {
            const value = e.target.value;
            void action.run(async () => {
              await putSetting('fallbackOwnerId', value);
              await reload();
              return 'Saved.';
            });
          }}
        >
          <option value="">No owner (record OWNER_NOT_FOUND)</option>
          {o.hubspotOwners.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name} ({h.email})
            </option>
          ))}
        </select>
      </div>
      <details>
        <summary>Matched users ({num(o.matched.length)})</summary>
        <ul className="plain">
          {o.matched.map((m) => (
            <li key={m.userId}>
              {m.name} → HubSpot owner {m.ownerEmail || m.ownerId}
            </li>
          ))}
        </ul>
      </details>
      <button
        type="button"
        disabled={action.busy}
        onClick={() =>
          void action.run(async () => {
            const r = await send<{ problems: string[]; owners: { matched: number; unmatched: unknown[] } }>(
              'POST',
              '/api/setup',
            );
            await reload();
            return `Setup ran: ${r.owners.matched} owners matched, ${r.owners.unmatched.length} unmatched${
              r.problems.length ? `; ${r.problems.length} problem(s): ${r.problems.join('; ')}` : ''
            }.`;
          })
        }
      >
        Run setup again
      </button>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}

/**
 * The Type value map INVALID_PICKLIST's fix names: Salesforce Type values → HubSpot dealtype
 * options, as JSON (the text `dealbridge settings set typeValueMap` takes too).
 */
function TypeValueMapSection({ v, reload }: SectionProps) {
  const action = useAction();
  const current = JSON.stringify(v.settings.typeValueMap, null, 2);
  const [text, setText] = useState(current);
  return (
    <section className="card" aria-labelledby="type-map-h">
      <h2 id="type-map-h">Type value map</h2>
      <p className="meta">
        Salesforce Type values that HubSpot&apos;s Deal type has no option for sync without it, with an
        INVALID_PICKLIST warning. Map them to an existing option here (the option&apos;s internal value), or
        add them as options with <code>dealbridge setup --add-dealtype-options</code>. Saving makes the warned
        records sync again.
      </p>
      <div className="field">
        <label htmlFor="type-value-map">Type value → dealtype option (JSON)</label>
        <textarea
          id="type-value-map"
          rows={4}
          spellCheck={false}
          placeholder='{"Legacy Deal": "newbusiness"}'
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <button
        type="button"
        disabled={action.busy || text === current}
        onClick={() =>
          void action.run(async () => {
            await putSetting('typeValueMap', text);
            await reload();
            return 'Saved.';
          })
        }
      >
        Save value map
      </button>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}

function ContactsSection({ v, reload }: SectionProps) {
  const action = useAction();
  const save = (key: string, value: string) =>
    void action.run(async () => {
      await putSetting(key, value);
      await reload();
      return 'Saved.';
    });
  return (
    <section className="card" aria-labelledby="contacts-h">
      <h2 id="contacts-h">Contacts and companies</h2>
      <div className="field">
        <label htmlFor="lifecycle">Lifecycle stage</label>
        <select
          id="lifecycle"
          value={v.settings.lifecycleStage ? 'on' : 'off'}
          disabled={action.busy}
          onChange={(e) => save('lifecycleStage', e.target.value)}
          aria-describedby="lifecycle-hint"
        >
          <option value="on">Update (forward only)</option>
          <option value="off">Don't update</option>
        </select>
        <p id="lifecycle-hint" className="hint">
          A contact with a role on an open opportunity becomes an opportunity; on a won one, a customer. Never
          backwards.
        </p>
      </div>
      <fieldset className="field">
        <legend>Recent deal amount</legend>
        <label className="radio">
          <input
            type="radio"
            name="recent-rule"
            value="created"
            checked={v.settings.recentDealAmountRule === 'created'}
            disabled={action.busy}
            onChange={() => save('recentDealAmountRule', 'created')}
          />
          The closed-won deal created most recently (HubSpot's rule)
        </label>
        <label className="radio">
          <input
            type="radio"
            name="recent-rule"
            value="closed"
            checked={v.settings.recentDealAmountRule === 'closed'}
            disabled={action.busy}
            onChange={() => save('recentDealAmountRule', 'closed')}
          />
          The closed-won deal closed most recently
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="create-companies">Companies for unmatched accounts</label>
        <select
          id="create-companies"
          value={v.settings.createCompanies ? 'on' : 'off'}
          disabled={action.busy}
          onChange={(e) => save('createCompanies', e.target.value)}
        >
          <option value="on">Create a HubSpot company</option>
          <option value="off">Don't create companies</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="auto-provision">Record types and stages added or renamed in Salesforce</label>
        <select
          id="auto-provision"
          value={v.settings.autoProvision ? 'on' : 'off'}
          disabled={action.busy}
          onChange={(e) => save('autoProvision', e.target.value)}
        >
          <option value="on">Add or rename them in HubSpot</option>
          <option value="off">Report STAGE_NOT_MAPPED until dealbridge setup runs</option>
        </select>
      </div>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}

function BudgetsSection({ v, reload }: SectionProps) {
  const action = useAction();
  const b = v.budgets;
  const [sfPercent, setSfPercent] = useState(String(b.salesforceBudgetPercent));
  const [hsDaily, setHsDaily] = useState(
    b.hubspotDailyAllocation === null ? '' : String(b.hubspotDailyAllocation),
  );
  return (
    <section className="card" aria-labelledby="budgets-h">
      <h2 id="budgets-h">API budgets</h2>
      <form
        className="row-form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            await putSetting('salesforceBudgetPercent', sfPercent);
            await putSetting('hubspotDailyAllocation', hsDaily);
            await reload();
            return 'Budgets saved.';
          });
        }}
      >
        <div className="field">
          <label htmlFor="sf-budget">Salesforce: share of the org's daily API allocation (%)</label>
          <input
            id="sf-budget"
            type="number"
            min={1}
            max={100}
            required
            value={sfPercent}
            onChange={(e) => setSfPercent(e.target.value)}
            aria-describedby="sf-budget-hint"
          />
          <p id="sf-budget-hint" className="hint">
            {b.salesforceUsage
              ? `The org has used ${num(b.salesforceUsage.used)} of ${num(b.salesforceUsage.max)} calls today.`
              : 'Usage is known after the first Salesforce call.'}{' '}
            The sync pauses at this share and resumes when there is room.
          </p>
        </div>
        <div className="field">
          <label htmlFor="hs-budget">HubSpot: calls per day allocated to dealbridge</label>
          <input
            id="hs-budget"
            type="number"
            min={1}
            step={1}
            placeholder={b.hubspotDailyMax ? String(b.hubspotDailyMax) : 'portal limit'}
            value={hsDaily}
            onChange={(e) => setHsDaily(e.target.value)}
            aria-describedby="hs-budget-hint"
          />
          <p id="hs-budget-hint" className="hint">
            {b.hubspotDailyMax ? `The portal's daily limit is ${num(b.hubspotDailyMax)}. ` : ''}Shown against
            the calls made on the Sync health page; empty means the portal's limit.
          </p>
        </div>
        <button type="submit" disabled={action.busy}>
          Save budgets
        </button>
      </form>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}
