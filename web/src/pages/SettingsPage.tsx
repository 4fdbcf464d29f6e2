// Salesforce integration settings: the "Opportunity sync" dropdown, pipelines and stage mapping,
// field mappings, owners, contact rules and API budgets.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { send } from '../api';
import { Loading, Notice, useAction, useData } from '../components/common';
import { FieldMappings } from '../components/FieldMappings';
import { PropertyLabelsSection } from '../components/PropertyLabels';
import { StageMap } from '../components/StageMap';
import { num, when } from '../format';
import { useLive } from '../live';
import type { SettingsView } from '../types';

export function SettingsPage() {
  const { t } = useTranslation();
  const view = useData<SettingsView>('/api/settings');
  useLive(['settings'], () => void view.reload(), 60_000);
  const v = view.data;
  return (
    <>
      <h1>{t('settings.h1')}</h1>
      {view.error && <Notice kind="error" message={view.error} />}
      {!v && !view.error && <Loading what={t('settings.loadingWhat')} />}
      {v && (
        <>
          <SyncSection v={v} reload={view.reload} />
          <StageMap v={v} reload={view.reload} />
          <FieldMappings v={v} reload={view.reload} />
          <TypeValueMapSection v={v} reload={view.reload} />
          <OwnersSection v={v} reload={view.reload} />
          <ContactsSection v={v} reload={view.reload} />
          <PropertyLabelsSection v={v} reload={view.reload} />
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
  const { t } = useTranslation();
  const action = useAction();
  const on = v.settings.opportunitySync;
  return (
    <section className="card" aria-labelledby="sync-h">
      <h2 id="sync-h">{t('settings.sync.h')}</h2>
      <p className="hint">
        {t('settings.sync.hint')} <a href="/import">{t('settings.sync.importLink')}</a>.
      </p>
      <div className="field">
        <label htmlFor="opportunity-sync">{t('settings.sync.label')}</label>
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
              if (value === 'off') return t('settings.sync.isOff');
              return r.cursorStart
                ? t('settings.sync.isOnFrom', { at: when(r.cursorStart) })
                : t('settings.sync.isOn');
            });
          }}
        >
          <option value="off">{t('settings.sync.off')}</option>
          <option value="on">{t('settings.sync.on')}</option>
        </select>
      </div>
      <p className="meta">
        {v.setupCompletedAt
          ? t('settings.sync.setupDone', { at: when(v.setupCompletedAt) })
          : t('settings.sync.setupNotRun')}
      </p>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}

function OwnersSection({ v, reload }: SectionProps) {
  const { t } = useTranslation();
  const action = useAction();
  const o = v.owners;
  return (
    <section className="card" aria-labelledby="owners-h">
      <h2 id="owners-h">{t('settings.owners.h')}</h2>
      <p className="hint">
        {t('settings.owners.hint', { matched: num(o.matched.length) })}{' '}
        <strong>{t('settings.owners.unmatchedCount', { n: num(o.unmatched.length) })}</strong>.
      </p>
      {o.unmatched.length > 0 && (
        <>
          <h3>{t('settings.owners.unmatched')}</h3>
          <ul className="plain" aria-label={t('settings.owners.unmatchedLabel')}>
            {o.unmatched.map((u) => (
              <li key={u.userId}>
                <span translate="no">{u.name}</span>{' '}
                <span className="meta">
                  &lt;{u.email ? <span translate="no">{u.email}</span> : t('settings.owners.noEmail')}&gt;
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="field">
        <label htmlFor="fallback-owner">{t('settings.owners.fallback')}</label>
        <select
          id="fallback-owner"
          value={v.settings.fallbackOwnerId ?? ''}
          disabled={action.busy}
          onChange={(e) => {
            const value = e.target.value;
            void action.run(async () => {
              await putSetting('fallbackOwnerId', value);
              await reload();
              return t('common.saved');
            });
          }}
        >
          <option value="">{t('settings.owners.noOwner')}</option>
          {o.hubspotOwners.map((h) => (
            <option key={h.id} value={h.id} translate="no">
              {h.name} ({h.email})
            </option>
          ))}
        </select>
      </div>
      <details>
        <summary>{t('settings.owners.matched', { n: num(o.matched.length) })}</summary>
        <ul className="plain">
          {o.matched.map((m) => (
            <li key={m.userId}>
              <span translate="no">{m.name}</span> {t('settings.owners.matchedTo')}{' '}
              <span translate="no">{m.ownerEmail || m.ownerId}</span>
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
            const counts = { matched: num(r.owners.matched), unmatched: num(r.owners.unmatched.length) };
            return r.problems.length
              ? t('settings.owners.setupRanProblems', {
                  ...counts,
                  n: num(r.problems.length),
                  problems: r.problems.join('; '),
                })
              : t('settings.owners.setupRan', counts);
          })
        }
      >
        {t('settings.owners.runSetup')}
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
  const { t } = useTranslation();
  const action = useAction();
  const current = JSON.stringify(v.settings.typeValueMap, null, 2);
  const [text, setText] = useState(current);
  return (
    <section className="card" aria-labelledby="type-map-h">
      <h2 id="type-map-h">{t('settings.typeMap.h')}</h2>
      <p className="meta">
        {t('settings.typeMap.hint1')} <code translate="no">dealbridge setup --add-dealtype-options</code>.{' '}
        {t('settings.typeMap.hint2')}
      </p>
      <div className="field">
        <label htmlFor="type-value-map">{t('settings.typeMap.label')}</label>
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
            return t('common.saved');
          })
        }
      >
        {t('settings.typeMap.save')}
      </button>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}

function ContactsSection({ v, reload }: SectionProps) {
  const { t } = useTranslation();
  const action = useAction();
  const save = (key: string, value: string) =>
    void action.run(async () => {
      await putSetting(key, value);
      await reload();
      return t('common.saved');
    });
  return (
    <section className="card" aria-labelledby="contacts-h">
      <h2 id="contacts-h">{t('settings.contacts.h')}</h2>
      <div className="field">
        <label htmlFor="lifecycle">{t('settings.contacts.lifecycle')}</label>
        <select
          id="lifecycle"
          value={v.settings.lifecycleStage ? 'on' : 'off'}
          disabled={action.busy}
          onChange={(e) => save('lifecycleStage', e.target.value)}
          aria-describedby="lifecycle-hint"
        >
          <option value="on">{t('settings.contacts.lifecycleOn')}</option>
          <option value="off">{t('settings.contacts.lifecycleOff')}</option>
        </select>
        <p id="lifecycle-hint" className="hint">
          {t('settings.contacts.lifecycleHint')}
        </p>
      </div>
      <fieldset className="field">
        <legend>{t('settings.contacts.recent')}</legend>
        <label className="radio">
          <input
            type="radio"
            name="recent-rule"
            value="created"
            checked={v.settings.recentDealAmountRule === 'created'}
            disabled={action.busy}
            onChange={() => save('recentDealAmountRule', 'created')}
          />
          {t('settings.contacts.recentCreated')}
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
          {t('settings.contacts.recentClosed')}
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="create-companies">{t('settings.contacts.companies')}</label>
        <select
          id="create-companies"
          value={v.settings.createCompanies ? 'on' : 'off'}
          disabled={action.busy}
          onChange={(e) => save('createCompanies', e.target.value)}
        >
          <option value="on">{t('settings.contacts.companiesOn')}</option>
          <option value="off">{t('settings.contacts.companiesOff')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="auto-provision">{t('settings.contacts.provision')}</label>
        <select
          id="auto-provision"
          value={v.settings.autoProvision ? 'on' : 'off'}
          disabled={action.busy}
          onChange={(e) => save('autoProvision', e.target.value)}
        >
          <option value="on">{t('settings.contacts.provisionOn')}</option>
          <option value="off">{t('settings.contacts.provisionOff')}</option>
        </select>
      </div>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}

function BudgetsSection({ v, reload }: SectionProps) {
  const { t } = useTranslation();
  const action = useAction();
  const b = v.budgets;
  const [sfPercent, setSfPercent] = useState(String(b.salesforceBudgetPercent));
  const [hsDaily, setHsDaily] = useState(
    b.hubspotDailyAllocation === null ? '' : String(b.hubspotDailyAllocation),
  );
  return (
    <section className="card" aria-labelledby="budgets-h">
      <h2 id="budgets-h">{t('settings.budgets.h')}</h2>
      <form
        className="row-form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            await putSetting('salesforceBudgetPercent', sfPercent);
            await putSetting('hubspotDailyAllocation', hsDaily);
            await reload();
            return t('settings.budgets.saved');
          });
        }}
      >
        <div className="field">
          <label htmlFor="sf-budget">{t('settings.budgets.sf')}</label>
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
              ? t('settings.budgets.sfUsed', {
                  used: num(b.salesforceUsage.used),
                  max: num(b.salesforceUsage.max),
                })
              : t('settings.budgets.sfUnknown')}{' '}
            {t('settings.budgets.sfPauses')}
          </p>
        </div>
        <div className="field">
          <label htmlFor="hs-budget">{t('settings.budgets.hs')}</label>
          <input
            id="hs-budget"
            type="number"
            min={1}
            step={1}
            placeholder={b.hubspotDailyMax ? String(b.hubspotDailyMax) : t('settings.budgets.hsPlaceholder')}
            value={hsDaily}
            onChange={(e) => setHsDaily(e.target.value)}
            aria-describedby="hs-budget-hint"
          />
          <p id="hs-budget-hint" className="hint">
            {b.hubspotDailyMax ? t('settings.budgets.hsLimit', { max: num(b.hubspotDailyMax) }) : ''}
            {t('settings.budgets.hsHint')}
          </p>
        </div>
        <button type="submit" disabled={action.busy}>
          {t('settings.budgets.save')}
        </button>
      </form>
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}
